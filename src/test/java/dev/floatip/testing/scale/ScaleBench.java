package dev.floatip.testing.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.floatip.agent.cluster.SimulatedAgents;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.testing.MockApiServer;
import dev.floatip.testing.apiserver.Identity;
import dev.floatip.testing.apiserver.RequestCounter;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The scale benchmark of "Kubernetes at scale" (hack/scale-bench.sh, ScaleIT): the strict test API
 * server in this JVM (so that it counts every request by caller, verb and resource), N synthetic
 * cloud-shaped Nodes ({@link CloudNodes}), the operator as its own process from the built jar (as
 * the chart runs it: its ServiceAccount, {@code -Xmx96m}), an agent for every node simulated by
 * {@link SimulatedAgents} (the agent's own VRRP loop, placement and status reporter on an in-memory
 * segment, {@link SimLan}), then V VirtualIPs created at once. It measures:
 *
 * <ol>
 *   <li>the time until every VirtualIP has {@code status.virtualRouterId}, phase Active and a
 *       master; the operator's RSS (VmRSS) and peak (VmHWM);
 *   <li>the largest VirtualIP object (its JSON as the API server returns it);
 *   <li>how often the agent DaemonSet's {@code spec.template} changed while {@link Settings#extra}
 *       VirtualIPs were added and then deleted;
 *   <li>writes per minute by caller in a steady window (after 5 s without a write), and the real
 *       agents' heap and RSS;
 *   <li>one failover (a simulated master node's link goes down): status writes per agent and
 *       VirtualIP entry, and by the operator per VirtualIP.
 * </ol>
 *
 * <p>VirtualIP {@code i}: the first {@value BenchVirtualIPs#WITHOUT_SELECTOR} have no nodeSelector
 * and tolerate every group's taint (they select every simulated node, as a VirtualIP without a
 * nodeSelector does); with real agents the next {@value BenchVirtualIPs#REAL_VIPS} select only
 * their nodes; the others select one group of {@link Settings#groupSize} nodes by {@link
 * CloudNodes#GROUP_LABEL} and tolerate that group's taint. Allocated VRIDs are unique cluster-wide
 * (VridAllocator), so at most 255 can be allocated: one VirtualIP in 8 and the ones without a
 * selector get an allocated VRID, the others an explicit {@code spec.virtualRouterId} (252..255 by
 * slot within its group, unique per group; 240.. for the 100 added later).
 */
public final class ScaleBench implements AutoCloseable {

  static final String VIPS_PATH = "/apis/floatip.dev/v1alpha1/virtualips";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What to run.
   *
   * @param nodes Nodes (and simulated agents)
   * @param vips VirtualIPs created at once
   * @param groupSize nodes per group (a VirtualIP with a nodeSelector selects one group)
   * @param converge how long to wait for every VirtualIP's VRID and status
   * @param steady the steady-state window
   * @param extra VirtualIPs added then deleted for the DaemonSet template count
   * @param operatorCommand how to start the operator (its kubeconfig comes by KUBECONFIG)
   * @param work where logs and kubeconfigs go
   */
  public record Settings(
      int nodes,
      int vips,
      int groupSize,
      Duration converge,
      Duration steady,
      int extra,
      List<String> operatorCommand,
      Map<String, String> operatorEnv,
      Path work,
      String listen,
      int realAgents,
      String netnsPrefix) {

    /** On loopback, no real agents. */
    public Settings(
        int nodes,
        int vips,
        int groupSize,
        Duration converge,
        Duration steady,
        int extra,
        List<String> operatorCommand,
        Map<String, String> operatorEnv,
        Path work) {
      this(
          nodes,
          vips,
          groupSize,
          converge,
          steady,
          extra,
          operatorCommand,
          operatorEnv,
          work,
          null,
          0,
          null);
    }

    /** Groups of simulated nodes (the real agents' nodes form their own). */
    public int groups() {
      return Math.max(1, (nodes - realAgents) / groupSize);
    }

    /** Node {@code i}'s group, -1 for a real agent's node. */
    int groupOf(int i) {
      return i < realAgents ? -1 : (i - realAgents) % groups();
    }
  }

  /** The mock server logs every request at INFO: millions here (kept: JUL holds loggers weakly). */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final Settings s;
  private final BenchVirtualIPs virtualIPs;
  private final Map<String, Object> result = new LinkedHashMap<>();
  private final List<String> failures = new ArrayList<>();
  private MockApiServer api;
  private volatile Process operator;
  private SimulatedAgents agents;
  private SimLan lan;
  private final RealAgents realAgents = new RealAgents();
  private final Map<String, SimDataplane> dataplanes = new HashMap<>();
  private SharedIndexInformer<DaemonSet> daemonSets;
  private final List<Long> templateChanges =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile String lastTemplate;
  private final HttpClient http = HttpClient.newHttpClient();
  private volatile long peakRssKb;
  private Thread rssSampler;
  private Thread drainer;
  private final List<String> operatorExits = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final long started0 = System.nanoTime();

  public ScaleBench(Settings settings) {
    this.s = settings;
    this.virtualIPs = new BenchVirtualIPs(settings);
  }

  /** The measurements, in order (JSON-friendly: numbers, strings, maps). */
  public Map<String, Object> result() {
    return result;
  }

  /** Steps that did not finish (timeouts); empty when every phase completed. */
  public List<String> failures() {
    return failures;
  }

  public Map<String, Object> run() throws Exception {
    long t = System.nanoTime();
    result.put("nodes", s.nodes());
    result.put("virtualIPs", s.vips());
    result.put("groupSize", s.groupSize());
    setUp();
    log(
        "setup: %d Nodes, the operator, %d simulated and %d real agents in %.1f s",
        s.nodes(), s.nodes() - s.realAgents(), s.realAgents(), secs(t));
    createAndConverge();
    largest("largestVirtualIPBytesAfterConverge");
    if (inTime("addDelete")) {
      addAndDelete();
    }
    if (inTime("steady")) {
      steady();
    }
    largest("largestVirtualIPBytes");
    if (inTime("failover")) {
      failover();
    }
    result.put("operatorRssPeakMiB", peakRssKb / 1024.0);
    result.put("apiRequestsTotal", Writes.totals(api.requests().requests()));
    result.put("failures", failures);
    return result;
  }

  // --- setup -------------------------------------------------------------------------------------

  private void setUp() throws Exception {
    Files.createDirectories(s.work());
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    drainer =
        Thread.ofPlatform()
            .daemon()
            .name("drain-recorded-requests")
            .start(
                () -> {
                  // the mock web server keeps every request it received (for takeRequest), bodies
                  // included: millions here, so they are taken and dropped
                  while (api == null || !Thread.currentThread().isInterrupted()) {
                    try {
                      if (api != null) {
                        api.takeRequest(1, java.util.concurrent.TimeUnit.SECONDS);
                      } else {
                        Thread.sleep(100);
                      }
                    } catch (InterruptedException e) {
                      return;
                    } catch (RuntimeException e) {
                      // closed
                    }
                  }
                });
    api =
        s.listen() == null
            ? MockApiServer.start()
            : MockApiServer.start(
                MockApiServer.literal(s.listen()), 0, MockApiServer.CRD, List.of());
    KubernetesClient admin = api.client();
    // the agents' namespace, ServiceAccounts and RBAC come from manifests/install.yaml, as helm
    // leaves them
    Path kcOperator =
        api.writeKubeconfig(s.work().resolve("kubeconfig-operator"), Identity.OPERATOR);
    api.writeKubeconfig(s.work().resolve("kubeconfig-admin"), Identity.ADMIN);
    api.writeKubeconfig(s.work().resolve("kubeconfig-agent"), Identity.AGENT);
    long t = System.nanoTime();
    createNodes(admin);
    long nodeBytes = Serialization.asJson(CloudNodes.node(0, 0)).length();
    result.put("nodeJsonBytes", nodeBytes);
    log("%d Nodes (%d bytes of JSON each) in %.1f s", s.nodes(), nodeBytes, secs(t));
    watchTemplate(admin);
    startOperator(kcOperator);
    lan = new SimLan();
    List<String> names = new ArrayList<>();
    for (int i = s.realAgents(); i < s.nodes(); i++) {
      names.add(CloudNodes.name(i));
      dataplanes.put(CloudNodes.name(i), lan.attach(CloudNodes.internalIp(i), 15));
    }
    agents =
        new SimulatedAgents(
            api.newClient(Identity.AGENT), MockApiServer.NAMESPACE, names, dataplanes::get);
    agents.start();
    if (s.realAgents() > 0) {
      List<String> real = new ArrayList<>();
      for (int k = 0; k < s.realAgents(); k++) {
        real.add(CloudNodes.name(k));
      }
      realAgents.start(
          real,
          s.netnsPrefix(),
          s.work().resolve("kubeconfig-agent"),
          MockApiServer.NAMESPACE,
          s.work());
    }
  }

  private void createNodes(KubernetesClient admin) throws InterruptedException {
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      for (int i = 0; i < s.nodes(); i++) {
        int idx = i;
        pool.submit(
            () -> {
              Node node =
                  idx < s.realAgents()
                      ? CloudNodes.real(idx, RealAgents.internalIp(idx + 1))
                      : CloudNodes.node(idx, s.groupOf(idx));
              Node created = admin.nodes().resource(node).create();
              created.setStatus(node.getStatus()); // the API server drops status on create
              admin.nodes().resource(created).updateStatus();
              return null;
            });
      }
    }
  }

  private void startOperator(Path kubeconfig) throws IOException, InterruptedException {
    Path logFile = s.work().resolve("operator.log");
    ProcessBuilder pb = new ProcessBuilder(s.operatorCommand());
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("FLOATIP_OPERATOR_NAMESPACE", MockApiServer.NAMESPACE);
    // the Helm value agent.tolerations a cluster with such taints sets: agents run on every group
    pb.environment()
        .put(
            "FLOATIP_OPERATOR_AGENT_TOLERATIONS",
            "[{\"key\": \""
                + CloudNodes.TAINT_KEY
                + "\", \"operator\": \"Exists\", \"effect\": \"NoSchedule\"}, {\"key\": \""
                + CloudNodes.REAL_TAINT
                + "\", \"operator\": \"Exists\", \"effect\": \"NoSchedule\"}]");
    pb.environment().putAll(s.operatorEnv());
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    operator = pb.start();
    result.put("operatorCommand", String.join(" ", s.operatorCommand()));
    result.put("operatorRestarts", operatorExits);
    rssSampler =
        Thread.ofPlatform()
            .daemon()
            .name("operator-watch")
            .start(
                () -> {
                  // the peak RSS, and a restart when the operator exits (as its Deployment's
                  // restartPolicy Always would), each exit recorded with the log's last line
                  while (!closed.get()) {
                    Process p = operator;
                    if (p.isAlive()) {
                      peakRssKb = Math.max(peakRssKb, procStatus(p.pid(), "VmHWM:"));
                    } else if (!closed.get()) {
                      operatorExits.add(
                          String.format(
                              "%.0f s: exit code %d: %s",
                              secs(started0), p.exitValue(), lastLine(logFile)));
                      log("the operator exited (%s); restarting it", lastLine(logFile));
                      try {
                        operator = pb.start();
                      } catch (IOException e) {
                        return;
                      }
                    }
                    try {
                      Thread.sleep(250);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    boolean started =
        waitFor(Duration.ofSeconds(120), () -> logContains(logFile, "Started event processing"));
    if (!started) {
      throw new IllegalStateException(
          "the operator did not start within 120 s (exits: " + operatorExits + "); see " + logFile);
    }
  }

  private static String lastLine(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return lines.isEmpty() ? "" : lines.getLast().strip();
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean logContains(Path file, String text) {
    try {
      return Files.readString(file).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** A field of /proc/PID/status in kB (VmRSS:, VmHWM:), 0 when gone. */
  static long procStatus(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  /** Records every distinct spec.template of the agent DaemonSet, with its time. */
  private void watchTemplate(KubernetesClient admin) {
    daemonSets = admin.apps().daemonSets().inNamespace(MockApiServer.NAMESPACE).inform();
    daemonSets.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(DaemonSet ds) {
            seen(ds);
          }

          @Override
          public void onUpdate(DaemonSet old, DaemonSet ds) {
            seen(ds);
          }

          @Override
          public void onDelete(DaemonSet ds, boolean unknown) {}
        });
  }

  private synchronized void seen(DaemonSet ds) {
    String template = Serialization.asJson(ds.getSpec().getTemplate());
    if (lastTemplate != null && !lastTemplate.equals(template)) {
      templateChanges.add(System.nanoTime());
    }
    lastTemplate = template;
  }

  private long templateChangesBetween(long from, long to) {
    synchronized (templateChanges) {
      return templateChanges.stream().filter(t -> t >= from && t <= to).count();
    }
  }

  // --- phases ------------------------------------------------------------------------------------

  private void createAndConverge() throws Exception {
    List<String> json = new ArrayList<>();
    for (int i = 0; i < s.vips(); i++) {
      json.add(virtualIPs.vip(i));
    }
    long t0 = System.nanoTime();
    createAll(json);
    double created = secs(t0);
    Progress progress = new Progress(t0);
    boolean all =
        waitFor(
            s.converge(),
            () -> {
              JsonNode items = list();
              progress.saw(items);
              return pending(items) == 0;
            });
    double elapsed = secs(t0);
    result.put("convergeMilestones", progress.milestones);
    int left = pending(list());
    result.put("createSeconds", created);
    result.put("convergedSeconds", all ? elapsed : null);
    result.put("notConvergedVirtualIPs", left);
    result.put("notConvergedBy", why(list()));
    result.put("operatorRssMiBAfterConverge", procStatus(operator.pid(), "VmRSS:") / 1024.0);
    result.put("templateChangesDuringCreate", templateChangesBetween(t0, System.nanoTime()));
    if (!all) {
      failures.add(
          left
              + " VirtualIPs without VRID, phase Active or master after "
              + s.converge().toSeconds()
              + " s");
    }
    log(
        "create %d VirtualIPs: %.1f s; every VRID + Active + master: %s",
        s.vips(),
        created,
        all
            ? String.format("%.1f s", elapsed)
            : left + " missing after " + s.converge().toSeconds() + " s");
  }

  /**
   * When (seconds after the first create, at the 0.5 s polls) every VirtualIP existed, had its VRID
   * (the operator's allocation), its candidates (the operator's plan), an entry of every candidate
   * (the agents' reports), phase Active and a master; the counts are logged every 10 s.
   */
  private final class Progress {
    final long t0;
    final Map<String, Double> milestones = new LinkedHashMap<>();
    long lastLog;

    Progress(long t0) {
      this.t0 = t0;
    }

    void saw(JsonNode items) {
      Map<String, Integer> n = new LinkedHashMap<>();
      for (String k : List.of("created", "vrid", "candidates", "reported", "active", "master")) {
        n.put(k, 0);
      }
      for (JsonNode v : items) {
        JsonNode st = v.path("status");
        n.merge("created", 1, Integer::sum);
        if (st.hasNonNull("virtualRouterId")) {
          n.merge("vrid", 1, Integer::sum);
        }
        JsonNode candidates = st.path("candidates");
        if (candidates.isArray() && !candidates.isEmpty()) {
          n.merge("candidates", 1, Integer::sum);
          boolean every = true;
          for (JsonNode c : candidates) {
            every &= st.path("nodes").has(c.path("name").asText());
          }
          if (every) {
            n.merge("reported", 1, Integer::sum);
          }
        }
        if ("Active".equals(st.path("phase").asText())) {
          n.merge("active", 1, Integer::sum);
        }
        if (!st.path("master").asText("").isEmpty()) {
          n.merge("master", 1, Integer::sum);
        }
      }
      double at = secs(t0);
      n.forEach(
          (k, count) -> {
            if (count >= s.vips()) {
              milestones.putIfAbsent(
                  "all" + Character.toUpperCase(k.charAt(0)) + k.substring(1), at);
            }
          });
      if (System.nanoTime() - lastLog > 10_000_000_000L) {
        lastLog = System.nanoTime();
        log("converging, %.1f s: %s (of %d)", at, n, s.vips());
      }
    }
  }

  private void steady() throws InterruptedException {
    // first let the convergence burst end: no write for 5 s (at most the steady window)
    quiet(Duration.ofSeconds(5), s.steady());
    var before = api.requests().requests();
    long t0 = System.nanoTime();
    Thread.sleep(clamp(s.steady()).toMillis());
    double minutes = secs(t0) / 60;
    var delta = RequestCounter.delta(before, api.requests().requests());
    Map<String, Double> perMinute = new LinkedHashMap<>();
    Writes.writesByCallerWithoutLeases(delta).forEach((who, n) -> perMinute.put(who, n / minutes));
    Map<String, Double> withLeases = new LinkedHashMap<>();
    Writes.writesByCaller(delta).forEach((who, n) -> withLeases.put(who, n / minutes));
    result.put("steadyWindowSeconds", Math.round(minutes * 60));
    result.put("steadyWritesPerMinute", perMinute);
    result.put("steadyWritesPerMinuteWithLeaseRenewals", withLeases);
    result.put("steadyWrites", Writes.writeDetail(delta));
    result.put("operatorRssMiBSteady", procStatus(operator.pid(), "VmRSS:") / 1024.0);
    if (s.realAgents() > 0) {
      result.put("realAgents", realAgents.measure());
    } else {
      result.put(
          "realAgents", "not run (needs root and network namespaces: hack/scale-bench.sh as root)");
    }
    log("steady %d s: writes per minute %s", s.steady().toSeconds(), perMinute);
  }

  /** Waits until no write for {@code gap}, at most {@code max}; returns whether it got quiet. */
  private boolean quiet(Duration gap, Duration max) throws InterruptedException {
    long end = System.nanoTime() + clamp(max).toNanos();
    long last = Writes.writes(api.requests().requests());
    long since = System.nanoTime();
    while (System.nanoTime() < end) {
      Thread.sleep(250);
      long now = Writes.writes(api.requests().requests());
      if (now != last) {
        last = now;
        since = System.nanoTime();
      } else if (System.nanoTime() - since >= gap.toNanos()) {
        return true;
      }
    }
    return false;
  }

  private void failover() throws Exception {
    JsonNode items = list();
    Map<String, String> masters = new HashMap<>();
    for (JsonNode v : items) {
      masters.put(
          v.path("metadata").path("name").asText(), v.path("status").path("master").asText(""));
    }
    // a master of group VirtualIPs only (not of one that selects every node)
    String victim = null;
    String vipName = null;
    for (int i = BenchVirtualIPs.WITHOUT_SELECTOR; i < s.vips() && victim == null; i++) {
      String m = masters.get(BenchVirtualIPs.name(i));
      boolean mastersWide = false;
      for (int k = 0; k < BenchVirtualIPs.WITHOUT_SELECTOR; k++) {
        mastersWide |= Objects.equals(masters.get(BenchVirtualIPs.name(k)), m);
      }
      if (m != null && !m.isEmpty() && !mastersWide && dataplanes.containsKey(m)) {
        victim = m;
        vipName = BenchVirtualIPs.name(i);
      }
    }
    if (victim == null) {
      failures.add("failover: no VirtualIP with a simulated master");
      return;
    }
    String failed = victim;
    List<String> mastered =
        masters.entrySet().stream()
            .filter(e -> e.getValue().equals(failed))
            .map(Map.Entry::getKey)
            .sorted()
            .toList();
    quiet(Duration.ofSeconds(3), s.steady());
    var before = api.requests().requests();
    var entriesBefore = api.requests().entryWrites();
    var objectsBefore = api.requests().objectWrites();
    long t0 = System.nanoTime();
    dataplanes.get(victim).setLink(false);
    String watched = vipName;
    // two clocks: the agents' entries (a new node reports Master) and the operator's aggregate
    double[] agentsSecs = {-1};
    boolean moved =
        waitFor(
            s.converge(),
            () -> {
              boolean agentsDone = true;
              boolean operatorDone = true;
              for (JsonNode v : list()) {
                if (!mastered.contains(v.path("metadata").path("name").asText())) {
                  continue;
                }
                JsonNode st = v.path("status");
                boolean reported = false;
                for (var e : st.path("nodes").properties()) {
                  reported |=
                      !e.getKey().equals(failed)
                          && "Master".equals(e.getValue().path("state").asText());
                }
                agentsDone &= reported;
                String m = st.path("master").asText("");
                operatorDone &=
                    !m.isEmpty() && !m.equals(failed) && "Active".equals(st.path("phase").asText());
              }
              if (agentsDone && agentsSecs[0] < 0) {
                agentsSecs[0] = secs(t0);
              }
              return agentsDone && operatorDone;
            });
    double moveSecs = secs(t0);
    quiet(Duration.ofSeconds(3), s.steady());
    var delta = RequestCounter.delta(before, api.requests().requests());
    var entries = RequestCounter.delta(entriesBefore, api.requests().entryWrites());
    var objects = RequestCounter.delta(objectsBefore, api.requests().objectWrites());
    long maxPerEntry = entries.values().stream().mapToLong(Long::longValue).max().orElse(0);
    Map<String, Long> perAgent = new java.util.TreeMap<>();
    entries.forEach((k, n) -> perAgent.merge(k.substring(k.indexOf('/') + 1), n, Long::sum));
    Map<String, Long> operatorPerVip = new java.util.TreeMap<>();
    objects.forEach(
        (k, n) -> {
          if (k.startsWith(Identity.OPERATOR.user().name() + " virtualips/status/")) {
            operatorPerVip.put(k.substring(k.lastIndexOf('/') + 1), n);
          }
        });
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("failedNode", victim);
    f.put("virtualIPsItMastered", mastered.size());
    f.put("secondsUntilAgentsReportANewMaster", agentsSecs[0] < 0 ? null : agentsSecs[0]);
    f.put("secondsUntilStatusMasterMoved", moved ? moveSecs : null);
    f.put("writesByCaller", Writes.writesByCallerWithoutLeases(delta));
    f.put("agentsThatWrote", perAgent.size());
    f.put("agentEntriesWritten", entries.size());
    f.put("maxWritesPerAgentEntry", maxPerEntry);
    f.put(
        "maxWritesPerAgent", perAgent.values().stream().mapToLong(Long::longValue).max().orElse(0));
    f.put("maxWritesPerAgentPerVirtualIP", maxPerEntry);
    f.put("operatorStatusWritesPerVirtualIP", operatorPerVip);
    f.put(
        "maxOperatorStatusWritesPerVirtualIP",
        operatorPerVip.values().stream().mapToLong(Long::longValue).max().orElse(0));
    result.put("failover", f);
    if (!moved) {
      failures.add(
          "failover: "
              + watched
              + " and the others "
              + victim
              + " mastered got no new master in "
              + s.converge().toSeconds()
              + " s");
    }
    log("failover of %s (master of %d): %s", victim, mastered.size(), f);
    dataplanes.get(victim).setLink(true);
    quiet(Duration.ofSeconds(3), s.steady());
  }

  private void addAndDelete() throws Exception {
    if (s.extra() <= 0) {
      return;
    }
    List<String> json = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int j = 0; j < s.extra(); j++) {
      json.add(virtualIPs.extraVip(j));
      names.add(BenchVirtualIPs.extraName(j));
    }
    long t0 = System.nanoTime();
    createAll(json);
    boolean up =
        waitFor(
            s.converge(),
            () -> {
              int n = 0;
              for (JsonNode v : list()) {
                if (names.contains(v.path("metadata").path("name").asText()) && ready(v)) {
                  n++;
                }
              }
              return n == names.size();
            });
    double upSecs = secs(t0);
    long t1 = System.nanoTime();
    KubernetesClient admin = api.client();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      for (String n : names) {
        pool.submit(() -> admin.resources(VirtualIP.class).withName(n).delete());
      }
    }
    boolean gone =
        waitFor(
            s.converge(),
            () -> {
              for (JsonNode v : list()) {
                if (names.contains(v.path("metadata").path("name").asText())) {
                  return false;
                }
              }
              return true;
            });
    double goneSecs = secs(t1);
    Thread.sleep(2000); // a template write that follows the last delete still counts
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("added", s.extra());
    a.put("secondsUntilAllAddedActive", up ? upSecs : null);
    a.put("secondsUntilAllDeletedGone", gone ? goneSecs : null);
    a.put("templateChanges", templateChangesBetween(t0, System.nanoTime()));
    result.put("addDelete", a);
    if (!up) {
      failures.add(
          "add/delete: not every added VirtualIP was Active within "
              + s.converge().toSeconds()
              + " s");
    }
    if (!gone) {
      failures.add(
          "add/delete: not every deleted VirtualIP was gone within "
              + s.converge().toSeconds()
              + " s");
    }
    log("add and delete %d VirtualIPs: %s", s.extra(), a);
  }

  private void largest(String key) {
    String body = get(VIPS_PATH);
    long max = 0;
    String which = null;
    try {
      for (JsonNode v : JSON.readTree(body).path("items")) {
        long size = JSON.writeValueAsString(v).length();
        if (size > max) {
          max = size;
          which = v.path("metadata").path("name").asText();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    result.put(key, max);
    result.put(key + "Name", which);
  }

  private void createAll(List<String> json) throws InterruptedException {
    AtomicInteger failed = new AtomicInteger();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (String body : json) {
        pool.submit(
            () -> {
              HttpResponse<String> r = send("POST", VIPS_PATH, body);
              if (r.statusCode() / 100 != 2) {
                failed.incrementAndGet();
                System.err.println(
                    "scale-bench: create refused: " + r.statusCode() + " " + r.body());
              }
            });
      }
    }
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " VirtualIPs were refused");
    }
  }

  /** How the VirtualIPs that are not ready fall short: no VRID, by phase, no master. */
  private static Map<String, Integer> why(JsonNode items) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    for (JsonNode v : items) {
      if (ready(v)) {
        continue;
      }
      JsonNode st = v.path("status");
      if (!st.hasNonNull("virtualRouterId")) {
        out.merge("noVirtualRouterId", 1, Integer::sum);
      }
      out.merge("phase " + st.path("phase").asText("(none)"), 1, Integer::sum);
      if (st.path("master").asText("").isEmpty()) {
        out.merge("noMaster", 1, Integer::sum);
      }
    }
    return out;
  }

  private static boolean ready(JsonNode v) {
    JsonNode st = v.path("status");
    return st.hasNonNull("virtualRouterId")
        && "Active".equals(st.path("phase").asText())
        && !st.path("master").asText("").isEmpty();
  }

  private int pending(JsonNode items) {
    int n = 0;
    for (JsonNode v : items) {
      if (!ready(v)) {
        n++;
      }
    }
    return n + Math.max(0, s.vips() - items.size());
  }

  private JsonNode list() {
    try {
      return JSON.readTree(get(VIPS_PATH)).path("items");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String get(String path) {
    HttpResponse<String> r = send("GET", path, null);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + ": " + r.statusCode());
    }
    return r.body();
  }

  private HttpResponse<String> send(String method, String path, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api.url() + path))
            .header("Authorization", "Bearer " + Identity.ADMIN.token())
            .header("Content-Type", "application/json");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // --- helpers -----------------------------------------------------------------------------------

  /**
   * Bounds the whole run (after setup) to {@code budget}: every wait is cut at the deadline, and a
   * phase that would start after it is not run (and listed in {@link #failures()}).
   */
  public ScaleBench budget(Duration budget) {
    this.deadline = System.nanoTime() + budget.toNanos();
    this.bounded = true;
    return this;
  }

  private long deadline;
  private boolean bounded;

  /** {@code d}, or what is left before the deadline if less. */
  private Duration clamp(Duration d) {
    if (!bounded) {
      return d;
    }
    long left = deadline - System.nanoTime();
    return Duration.ofNanos(Math.max(0, Math.min(d.toNanos(), left)));
  }

  private boolean inTime(String phase) {
    if (bounded && deadline - System.nanoTime() <= 0) {
      failures.add(phase + ": not run, the time budget was used up");
      return false;
    }
    return true;
  }

  private boolean waitFor(Duration max, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + clamp(max).toNanos();
    while (true) {
      try {
        if (done.getAsBoolean()) {
          return true;
        }
      } catch (RuntimeException e) {
        // the API answered something unexpected: try again until the deadline
      }
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(500);
    }
  }

  private static double secs(long since) {
    return Math.round((System.nanoTime() - since) / 1e8) / 10.0;
  }

  static void log(String format, Object... args) {
    System.err.printf(
        "[scale-bench %tT] %s%n", System.currentTimeMillis(), String.format(format, args));
  }

  /** The result as pretty JSON. */
  public String json() {
    try {
      return JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Stops the real agents, the operator, the simulated agents and the server; once. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    realAgents.close();
    if (rssSampler != null) {
      rssSampler.interrupt(); // no restart from now on
      try {
        rssSampler.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (operator != null) {
      operator.destroy();
      try {
        if (!operator.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          operator.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (drainer != null) {
      drainer.interrupt();
    }
    if (daemonSets != null) {
      daemonSets.close();
    }
    if (agents != null) {
      agents.close();
    }
    if (api != null) {
      api.close();
    }
  }
}
