package dev.floatip.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.floatip.testing.AdvertCapture;
import dev.floatip.testing.ItLogs;
import dev.floatip.testing.LabDaemon;
import dev.floatip.testing.MockApiServer;
import dev.floatip.testing.NetnsHttp;
import dev.floatip.testing.NetnsLab;
import dev.floatip.testing.NetnsLab.Node;
import dev.floatip.testing.VipWatch;
import dev.floatip.testing.VrrpTiming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The cluster path end to end on a real wire: an API server, {@code floatip operator} and three
 * {@code floatip agent --node-name rN} in cluster mode, one VirtualIP applied through the API.
 *
 * <p>The API server is the strict test API server ({@link MockApiServer}, a process): RBAC from the
 * chart, the CRD's admission and built-in validation, but not a kube-apiserver: no scheduler, no
 * kubelet, no controllers. The operator authenticates as the chart's operator ServiceAccount and
 * runs in its namespace (floatip), each agent as the agents' ServiceAccount, the test as admin. The
 * operator creates the agent DaemonSet in it, but nothing runs that; the test starts the agents
 * itself, one process per node namespace, which is what the DaemonSet's pods would be (hostNetwork:
 * the node's own network namespace). The Nodes r1..r3 are created by the mock with their eth0
 * addresses as InternalIP, from which the agents discover their unicast peers.
 *
 * <pre>
 *   r1, r2, r3: eth0 on br0 (192.0.2.11-13, the VIP 192.0.2.200/24: VRRP and the address)
 *               mgmt0 on br1 (198.51.100.11-13: the way to the API server)
 *   api:        eth0 on br1 (198.51.100.250:6443: MockApiServer and the operator)
 * </pre>
 *
 * The API is reached over a second segment so that taking the master's eth0 down is a data-plane
 * failure that its agent still reports (Fault): with one segment, a cut-off master cannot report,
 * its stale Master entry stays until its Node turns NotReady, and status.master would read "r1,r2"
 * instead of moving.
 *
 * <p>Measured and printed (TIMING lines): link down → the address on the new master; the new
 * master's first advert on the wire → status.master naming it (the API path: agent merge patch,
 * operator watch, aggregation, operator merge patch, our 20 ms poll). Then deleting the VirtualIP
 * must leave no address on any node and the CR gone, its finalizer released by the agents' Stopped
 * reports well before the operator's finalizer timeout.
 */
class ClusterFailoverIT {

  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final String VIP = "192.0.2.200/24";
  private static final List<InetAddress> VIPS = List.of(VipWatch.address(VIP));
  private static final String API_HOST = "198.51.100.250";
  private static final int API_PORT = 6443;
  private static final String VIPS_PATH = "/apis/floatip.dev/v1alpha1/virtualips";
  private static final String DAEMONSET =
      "/apis/apps/v1/namespaces/" + MockApiServer.NAMESPACE + "/daemonsets/floatip-agent";

  /** JVM starts on a busy 2-CPU machine, then an election: not a timing claim. */
  private static final Duration START = Duration.ofSeconds(90);

  /** Sanity bound on wire → status.master (the API path, polled every 20 ms). */
  private static final Duration STATUS_BOUND = Duration.ofSeconds(5);

  /** Poll period of status.master. */
  private static final Duration POLL = Duration.ofMillis(20);

  @Test
  void failoverReachesStatusAndDeleteReleasesTheAddress(TestInfo test) throws Exception {
    String classpath = MockApiServer.testClasspath();
    Path dir = ItLogs.dir(test);
    try (NetnsLab lab = NetnsLab.forAgents("cfo", 3)) {
      Node r1 = lab.router(1);
      Node r2 = lab.router(2);
      Node r3 = lab.router(3);
      List<Node> all = lab.routers();
      Node apiHost = lab.addManagementHost("api", 250);
      VipWatch watch = new VipWatch(lab);
      Path adminKubeconfig = dir.resolve("kubeconfig-admin");
      Path operatorKubeconfig = dir.resolve("kubeconfig-operator");
      Path agentKubeconfig = dir.resolve("kubeconfig-agent");
      // no proxy may sit between the clients and the lab
      Map<String, String> env = new HashMap<>();
      for (String v : List.of("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")) {
        env.put(v, null);
      }

      // the API server, with the Nodes
      List<String> args = new ArrayList<>(List.of("--listen", API_HOST + ":" + API_PORT));
      for (Node r : all) {
        args.addAll(List.of("--node", r.name() + "=" + VipWatch.literal(r.ipv4())));
      }
      args.addAll(List.of("--kubeconfig-out", "admin=" + adminKubeconfig));
      args.addAll(List.of("--kubeconfig-out", "operator=" + operatorKubeconfig));
      args.addAll(List.of("--kubeconfig-out", "agent=" + agentKubeconfig));
      Map<String, String> apiEnv = new HashMap<>(env);
      apiEnv.put("CLASSPATH", classpath);
      Path apiLog = dir.resolve("apiserver.log");
      Process api =
          lab.start(
              apiHost.namespace(),
              apiLog,
              apiEnv,
              MockApiServer.processCommand(args.toArray(String[]::new)).toArray(String[]::new));
      awaitLog(api, apiLog, l -> l.equals(MockApiServer.READY), START);

      env.put("KUBECONFIG", adminKubeconfig.toString());
      // the operator as the chart runs it: its ServiceAccount, the release namespace
      Map<String, String> operatorEnv = new HashMap<>(env);
      operatorEnv.put("KUBECONFIG", operatorKubeconfig.toString());
      operatorEnv.put("FLOATIP_OPERATOR_NAMESPACE", MockApiServer.NAMESPACE);
      // the agents as the DaemonSet runs them: the agents' ServiceAccount, POD_NAMESPACE
      Map<String, String> agentEnv = new HashMap<>(env);
      agentEnv.put("KUBECONFIG", agentKubeconfig.toString());
      agentEnv.put("POD_NAMESPACE", MockApiServer.NAMESPACE);
      try (NetnsHttp http = new NetnsHttp(lab, apiHost.namespace(), API_HOST, API_PORT)) {
        // the operator, next to the API server
        Path operatorLog = dir.resolve("operator.log");
        Process operator =
            lab.start(
                apiHost.namespace(),
                operatorLog,
                operatorEnv,
                LabDaemon.floatipCommand("operator", "--metrics-address", "127.0.0.1:8080")
                    .toArray(String[]::new));

        // the VirtualIP, through the API; the operator allocates its VRID
        String vip =
            """
            {"apiVersion": "floatip.dev/v1alpha1", "kind": "VirtualIP",
             "metadata": {"name": "web"},
             "spec": {"addresses": ["%s"], "version": 3, "advertisementInterval": "100ms",
                      "priority": {"order": ["%s", "%s", "%s"]}}}
            """
                .formatted(VIP, r1.name(), r2.name(), r3.name());
        NetnsHttp.Response created = http.post(VIPS_PATH, vip);
        assertEquals(201, created.code(), created.body());
        await(
            "status.virtualRouterId",
            operator,
            operatorLog,
            START,
            () -> status(http).path("virtualRouterId").isInt());

        // for a runnable VirtualIP the operator makes the agent DaemonSet, which nothing runs here
        await(
            "the agent DaemonSet",
            operator,
            operatorLog,
            Duration.ofSeconds(30),
            () -> http.get(DAEMONSET).code() == 200);

        // the agents, as the DaemonSet's pods would run them: one per node, hostNetwork
        List<Process> agents = new ArrayList<>();
        for (Node r : all) {
          agents.add(
              lab.start(
                  r.namespace(),
                  dir.resolve("agent-" + r.name() + ".log"),
                  agentEnv,
                  LabDaemon.floatipCommand("agent", "--node-name", r.name())
                      .toArray(String[]::new)));
        }

        // election: r1 (first in priority.order) alone holds the address, and status says so
        long elected = System.nanoTime() + START.toNanos();
        while (!watch.holders(all, VIPS).get(VIPS.getFirst()).equals(Set.of(r1.name()))) {
          for (int i = 0; i < agents.size(); i++) {
            Path log = dir.resolve("agent-" + all.get(i).name() + ".log");
            if (!agents.get(i).isAlive()) {
              throw new AssertionError("agent " + all.get(i).name() + " exited\n" + tail(log));
            }
          }
          assertTrue(
              System.nanoTime() < elected,
              "holders after " + START + ": " + watch.holders(all, VIPS));
          Thread.sleep(POLL);
        }
        await(
            "status.master = r1",
            operator,
            operatorLog,
            Duration.ofSeconds(30),
            () -> master(http).equals(r1.name()));
        watch.assertSettled(r1, all, VIPS, INTERVAL.multipliedBy(3));

        // failover: r1's data link goes down (its agent goes Fault and says so over mgmt0)
        try (AdvertCapture fromR2 =
            AdvertCapture.start(
                lab, r3, VipWatch.literal(r2.ipv4()), dir.resolve("adverts-from-r2.log"))) {
          // status.master polled every 20 ms from before the failure, so that its change is
          // stamped when it happens, whatever the wire checks below are doing
          String before = master(http);
          CompletableFuture<Instant> statusAt = new CompletableFuture<>();
          Thread poller =
              Thread.ofPlatform()
                  .name("status-master-poller")
                  .start(
                      () -> {
                        long deadline = System.nanoTime() + STATUS_BOUND.plusSeconds(10).toNanos();
                        String seen = before;
                        try {
                          while (System.nanoTime() < deadline) {
                            Instant asked = Instant.now();
                            seen = master(http);
                            if (seen.equals(r2.name())) {
                              Instant answered = Instant.now();
                              statusAt.complete(
                                  asked.plus(Duration.between(asked, answered).dividedBy(2)));
                              return;
                            }
                            Thread.sleep(POLL);
                          }
                          statusAt.completeExceptionally(
                              new AssertionError(
                                  "status.master is '"
                                      + seen
                                      + "', not r2, "
                                      + STATUS_BOUND.plusSeconds(10)
                                      + " after the failover\n"
                                      + tail(operatorLog)));
                        } catch (InterruptedException | RuntimeException e) {
                          statusAt.completeExceptionally(e);
                        }
                      });
          Instant down = Instant.now();
          long t0 = System.nanoTime();
          lab.disconnect(r1);
          Duration bound = VrrpTiming.bound(VrrpTiming.masterDown(3, INTERVAL, 100));
          Duration wire = watch.awaitSoleHolder(t0, r2, all, VIPS, bound.plusSeconds(10));
          Instant firstAdvert = firstAfter(fromR2, down, Duration.ofSeconds(5));
          Instant statusChanged;
          try {
            statusChanged =
                statusAt.get(STATUS_BOUND.plusSeconds(20).toSeconds(), TimeUnit.SECONDS);
          } catch (ExecutionException e) {
            throw e.getCause() instanceof AssertionError a ? a : new AssertionError(e.getCause());
          } finally {
            poller.interrupt();
          }
          Duration wireToStatus = Duration.between(firstAdvert, statusChanged);
          VrrpTiming.report("cluster: link down on master r1 -> r2 holds the VIP", wire, bound);
          VrrpTiming.report(
              "cluster: link down -> first advert from r2 on the wire",
              Duration.between(down, firstAdvert),
              bound);
          VrrpTiming.report(
              "cluster: r2's first advert on the wire -> status.master = r2",
              wireToStatus,
              STATUS_BOUND);
          assertTrue(wire.compareTo(bound) <= 0, "wire failover took " + wire.toMillis() + " ms");
          assertTrue(
              !wireToStatus.isNegative() && wireToStatus.compareTo(STATUS_BOUND) <= 0,
              "wire -> status.master took "
                  + wireToStatus.toMillis()
                  + " ms (before: "
                  + before
                  + ")");
        }
        JsonNode nodes = status(http).path("nodes");
        assertEquals("Master", nodes.path(r2.name()).path("state").asText(), nodes.toString());
        assertEquals("Fault", nodes.path(r1.name()).path("state").asText(), nodes.toString());

        // delete: every agent stops its routers and reports Stopped; the operator then releases
        // the finalizer (long before its 60 s timeout), and no node keeps the address
        lab.reconnect(r1);
        long t1 = System.nanoTime();
        NetnsHttp.Response deleted = http.delete(VIPS_PATH + "/web");
        assertTrue(deleted.code() == 200 || deleted.code() == 202, deleted.toString());
        await(
            "the VirtualIP gone",
            operator,
            operatorLog,
            Duration.ofSeconds(30),
            () -> http.get(VIPS_PATH + "/web").code() == 404);
        VrrpTiming.report(
            "cluster: delete -> CR gone (finalizer released)",
            Duration.ofNanos(System.nanoTime() - t1),
            Duration.ofSeconds(30));
        watch.assertSettled(null, all, VIPS, INTERVAL.multipliedBy(5));
        agents.forEach(a -> assertTrue(a.isAlive(), "an agent exited"));
        // nothing the operator or the agents asked for was refused (RBAC, validation)
        List<String> refused = MockApiServer.componentRefusals(Files.readAllLines(apiLog));
        assertTrue(refused.isEmpty(), "the API server refused: " + refused);
      }
    }
  }

  private static JsonNode status(NetnsHttp http) {
    NetnsHttp.Response r = http.get(VIPS_PATH + "/web");
    return r.code() == 200 ? r.json().path("status") : MissingNode.getInstance();
  }

  private static String master(NetnsHttp http) {
    return status(http).path("master").asText("");
  }

  /** The first advert captured after {@code after}, waiting up to {@code timeout} for it. */
  private static Instant firstAfter(AdvertCapture capture, Instant after, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<Instant> first = capture.times().stream().filter(t -> t.isAfter(after)).findFirst();
      if (first.isPresent()) {
        return first.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no advert captured within " + timeout);
      }
      Thread.sleep(POLL);
    }
  }

  /** Polls {@code done} until true; fails with the log's tail if it is not within timeout. */
  private static void await(String what, Process process, Path log, Duration timeout, Check done)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.ok()) {
      if (!process.isAlive()) {
        throw new AssertionError(what + ": the process exited\n" + tail(log));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " after " + timeout + "\n" + tail(log));
      }
      Thread.sleep(POLL.multipliedBy(5));
    }
  }

  private static void awaitLog(Process process, Path log, Predicate<String> line, Duration timeout)
      throws Exception {
    await(
        "log line in " + log.getFileName(),
        process,
        log,
        timeout,
        () -> lines(log).stream().anyMatch(line));
  }

  @FunctionalInterface
  private interface Check {
    boolean ok() throws Exception;
  }

  private static List<String> lines(Path log) {
    try {
      return Files.exists(log) ? Files.readAllLines(log) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String tail(Path log) {
    List<String> l = lines(log);
    return "--- last lines of "
        + log
        + ":\n"
        + String.join("\n", l.subList(Math.max(0, l.size() - 40), l.size()));
  }
}
