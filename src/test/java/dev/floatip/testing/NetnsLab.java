package dev.floatip.testing;

import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.linux.NetNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway layer-2 network of Linux network namespaces for tests that need root.
 *
 * <pre>
 *   PREFIX-r1 (eth0) ─┐
 *   PREFIX-r2 (eth0) ─┼─ br0 in PREFIX-br   (veth pairs; bridge ports are named r1, r2, …, c)
 *   PREFIX-c  (eth0) ─┘
 * </pre>
 *
 * Router {@code i} (1-based) has 192.0.2.(10+i)/24 and 2001:db8::(10+i)/64, MAC 02:fd:00:00:00:(i);
 * the client has 192.0.2.2/24, 2001:db8::2/64, MAC 02:fd:00:00:00:fe. No default routes, so nothing
 * leaves the lab. DAD is off in the node namespaces (addresses are usable at once, including the
 * link-local fe80::fd:ff:fe00:i), the bridge floods multicast (snooping off). Use only
 * 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32 for anything you add.
 *
 * <p>A second segment, the management network ({@link #addManagementNetwork}: bridge br1,
 * 198.51.100.0/24, an interface {@code mgmt0} in every router; {@link #addManagementHost} for a
 * namespace on it only), carries traffic that must survive a test taking eth0 down, such as an API
 * server's.
 *
 * <p>Names start with a unique prefix ({@code fip<tag>-<random>}), so labs of parallel tests and
 * other engineers never meet. {@link #close()} (also run by a shutdown hook) stops the processes
 * and executors this lab started and deletes its namespaces, which deletes the veths and bridge.
 *
 * <p>Java code inside a namespace: {@link #call} runs a task on a thread that did setns(2) into the
 * namespace ({@link NetNamespace}); sockets created there stay in that namespace whichever thread
 * uses them later. {@link #executor} gives a long-lived namespace thread; {@link #start} runs a
 * process (an agent, keepalived) with {@code ip netns exec}.
 *
 * <pre>{@code
 * NetnsLab.assumeAvailable();
 * try (NetnsLab lab = NetnsLab.create("agent", 2)) {
 *   Node r1 = lab.router(1);
 *   LinuxDataplane dp = lab.call(r1, () -> LinuxDataplane.open().orElseThrow());
 *   lab.exec(r1, "ip", "-o", "addr");
 * }
 * }</pre>
 */
public final class NetnsLab implements AutoCloseable {

  /** One namespace attached to the bridge. */
  public record Node(
      String name,
      String namespace,
      String interfaceName,
      String bridgePort,
      String mac,
      InetAddress ipv4,
      InetAddress ipv6,
      InetAddress ipv6LinkLocal) {
    public static final int IPV4_PREFIX = 24;
    public static final int IPV6_PREFIX = 64;
  }

  /** The outcome of a command. */
  public record ExecResult(List<String> command, int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  private static final Set<NetnsLab> OPEN = Collections.synchronizedSet(new LinkedHashSet<>());
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> List.copyOf(OPEN).forEach(NetnsLab::close), "netns-lab-cleanup"));
  }

  private final String prefix;
  private final String bridgeNamespace;
  private final List<Node> routers = new ArrayList<>();
  private Node client;
  private final List<String> namespaces = new ArrayList<>();
  private final List<Process> processes = Collections.synchronizedList(new ArrayList<>());
  private final List<ExecutorService> executors = Collections.synchronizedList(new ArrayList<>());
  private boolean closed;
  private boolean management;

  private NetnsLab(String prefix) {
    this.prefix = prefix;
    this.bridgeNamespace = prefix + "-br";
  }

  /** Why namespace tests cannot run here, or empty when they can. */
  public static Optional<String> unavailableReason() {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return Optional.of("network namespaces need Linux");
    }
    if (!isRoot()) {
      return Optional.of("network namespace tests need root (CAP_SYS_ADMIN, CAP_NET_ADMIN)");
    }
    if (ipCommand().isEmpty()) {
      return Optional.of("iproute2 'ip' command not found");
    }
    return Optional.empty();
  }

  /** Skips the calling test (JUnit assumption) when {@link #unavailableReason()} is non-empty. */
  public static void assumeAvailable() {
    Optional<String> reason = unavailableReason();
    Assumptions.assumeTrue(reason.isEmpty(), () -> "skipped: " + reason.orElse(""));
  }

  /**
   * A lab for floatip agents: skips the test when namespaces cannot be made here, builds the agent
   * jar if needed, then {@link #create}s the lab.
   */
  public static NetnsLab forAgents(String tag, int routers) {
    assumeAvailable();
    LabDaemon.agentJar();
    return create(tag, routers);
  }

  /**
   * Builds a lab with {@code routers} router namespaces and one client namespace.
   *
   * @param tag a short name of the test (letters/digits, up to 8), part of the namespace names
   */
  public static NetnsLab create(String tag, int routers) {
    if (!tag.matches("[a-z0-9]{1,8}")) {
      throw new IllegalArgumentException("tag must be 1-8 lowercase letters or digits: " + tag);
    }
    if (routers < 1 || routers > 200) {
      throw new IllegalArgumentException("1..200 routers");
    }
    byte[] random = new byte[3];
    RANDOM.nextBytes(random);
    NetnsLab lab = new NetnsLab("fip" + tag + "-" + HexFormat.of().formatHex(random));
    OPEN.add(lab);
    try {
      lab.build(routers);
      return lab;
    } catch (RuntimeException | Error e) {
      lab.close();
      throw e;
    }
  }

  private void build(int count) {
    addNamespace(bridgeNamespace);
    ip("-n", bridgeNamespace, "link", "set", "lo", "up");
    // Quiet bridge namespace: no IPv6 autoconfiguration noise from the bridge itself.
    exec(bridgeNamespace, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
    exec(bridgeNamespace, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
    ip("-n", bridgeNamespace, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0");
    ip("-n", bridgeNamespace, "link", "set", "br0", "up");
    for (int i = 1; i <= count; i++) {
      routers.add(addNode("r" + i, 10 + i, String.format("02:fd:00:00:00:%02x", i)));
    }
    client = addNode("c", 2, "02:fd:00:00:00:fe");
    Stream.concat(routers.stream(), Stream.of(client)).forEach(this::awaitReady);
  }

  private Node addNode(String name, int host, String mac) {
    return addNode(name, name, "br0", "192.0.2.", "2001:db8::", host, mac);
  }

  private Node addNode(
      String name,
      String bridgePort,
      String bridge,
      String v4Prefix,
      String v6Prefix,
      int host,
      String mac) {
    String ns = prefix + "-" + name;
    addNamespace(ns);
    // Before the veth exists, so that it inherits "default": addresses usable without DAD.
    exec(ns, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0");
    exec(ns, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0");
    attach(ns, "eth0", bridgePort, bridge, mac, v4Prefix + host + "/24", v6Prefix + host + "/64");
    return new Node(
        name,
        ns,
        "eth0",
        bridgePort,
        mac,
        address(v4Prefix + host),
        address(v6Prefix + host),
        address(eui64LinkLocal(mac)));
  }

  /** A veth from namespace {@code ns} (as {@code ifname}) to {@code bridge}, up, addressed. */
  private void attach(
      String ns,
      String ifname,
      String bridgePort,
      String bridge,
      String mac,
      String v4Cidr,
      String v6Cidr) {
    ip(
        "-n",
        bridgeNamespace,
        "link",
        "add",
        bridgePort,
        "type",
        "veth",
        "peer",
        "name",
        ifname,
        "netns",
        ns);
    ip("-n", bridgeNamespace, "link", "set", bridgePort, "master", bridge, "up");
    ip("-n", ns, "link", "set", ifname, "address", mac);
    ip("-n", ns, "link", "set", "lo", "up");
    ip("-n", ns, "link", "set", ifname, "up");
    ip("-n", ns, "addr", "add", v4Cidr, "dev", ifname);
    ip("-n", ns, "addr", "add", v6Cidr, "dev", ifname, "nodad");
  }

  private static void checkHost(String name, int host) {
    if (!name.matches("[a-z0-9]{1,6}") || host < 220 || host > 254) {
      throw new IllegalArgumentException("name: 1-6 letters/digits, host 220..254: " + name);
    }
  }

  /**
   * Adds the management network: bridge br1 (198.51.100.0/24, 2001:db8:1::/64) and in every router
   * an interface {@code mgmt0} on it with 198.51.100.(10+i)/24, for traffic that must not share
   * eth0's fate. Call once, before {@link #addManagementHost}.
   */
  public void addManagementNetwork() {
    if (management) {
      return;
    }
    ip("-n", bridgeNamespace, "link", "add", "br1", "type", "bridge", "mcast_snooping", "0");
    ip("-n", bridgeNamespace, "link", "set", "br1", "up");
    for (int i = 1; i <= routers.size(); i++) {
      Node r = routers.get(i - 1);
      attach(
          r.namespace(),
          "mgmt0",
          "m" + r.name(),
          "br1",
          String.format("02:fd:00:00:02:%02x", i),
          "198.51.100." + (10 + i) + "/24",
          "2001:db8:1::" + (10 + i) + "/64");
    }
    management = true;
  }

  /** Router {@code node}'s address on the management network. */
  public InetAddress managementAddress(Node node) {
    return address("198.51.100." + (10 + routers.indexOf(node) + 1));
  }

  /**
   * Adds a namespace {@code PREFIX-name} whose only interface, eth0, is on the management network
   * with 198.51.100.{@code host}/24 (an API server's host, say).
   *
   * @param host 220..254
   */
  public Node addManagementHost(String name, int host) {
    checkHost(name, host);
    addManagementNetwork();
    Node n =
        addNode(
            name,
            "m" + name,
            "br1",
            "198.51.100.",
            "2001:db8:1::",
            host,
            String.format("02:fd:00:00:03:%02x", host));
    awaitReady(n);
    return n;
  }

  /** RFC 4291 Appendix A: fe80:: + the MAC with ff:fe inserted and the U/L bit flipped. */
  static String eui64LinkLocal(String mac) {
    byte[] b = HexFormat.ofDelimiter(":").parseHex(mac);
    b[0] ^= 0x02;
    return String.format(
        "fe80::%x:%x:%x:%x",
        (b[0] & 0xff) << 8 | (b[1] & 0xff),
        (b[2] & 0xff) << 8 | 0xff,
        0xfe00 | (b[3] & 0xff),
        (b[4] & 0xff) << 8 | (b[5] & 0xff));
  }

  private void awaitReady(Node node) {
    Instant deadline = Instant.now().plusSeconds(10);
    while (true) {
      String link = ip("-n", node.namespace(), "-o", "link", "show", "dev", "eth0").stdout();
      String tentative =
          ip("-n", node.namespace(), "-o", "-6", "addr", "show", "dev", "eth0", "tentative")
              .stdout();
      String linkLocal =
          ip("-n", node.namespace(), "-o", "-6", "addr", "show", "dev", "eth0", "scope", "link")
              .stdout();
      if (link.contains("LOWER_UP") && tentative.isBlank() && !linkLocal.isBlank()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(node.name() + " not ready: " + link + tentative);
      }
      sleep(20);
    }
  }

  private void addNamespace(String ns) {
    ip("netns", "add", ns);
    namespaces.add(ns);
  }

  public String prefix() {
    return prefix;
  }

  public String bridgeNamespace() {
    return bridgeNamespace;
  }

  public List<Node> routers() {
    return List.copyOf(routers);
  }

  /** Router {@code i}, 1-based. */
  public Node router(int i) {
    return routers.get(i - 1);
  }

  public Node client() {
    return client;
  }

  /**
   * Runs {@code command} inside {@code namespace} ({@code ip netns exec}); never throws on exit
   * code.
   */
  public ExecResult run(String namespace, String... command) {
    List<String> full =
        new ArrayList<>(List.of(ipCommand().orElse("ip"), "netns", "exec", namespace));
    full.addAll(List.of(command));
    return runCommand(full);
  }

  public ExecResult run(Node node, String... command) {
    return run(node.namespace(), command);
  }

  /** Runs {@code command} inside {@code namespace} and returns stdout; fails unless it exits 0. */
  public String exec(String namespace, String... command) {
    ExecResult r = run(namespace, command);
    if (!r.ok()) {
      throw new IllegalStateException(
          String.join(" ", r.command()) + " exited " + r.exitCode() + ": " + r.stderr());
    }
    return r.stdout();
  }

  public String exec(Node node, String... command) {
    return exec(node.namespace(), command);
  }

  /**
   * Runs {@code ip args…} in the test's own namespace (use {@code -n NS}); fails unless it exits 0.
   */
  public ExecResult ip(String... args) {
    List<String> full = new ArrayList<>(List.of(ipCommand().orElse("ip")));
    full.addAll(List.of(args));
    ExecResult r = runCommand(full);
    if (!r.ok()) {
      throw new IllegalStateException(
          String.join(" ", full) + " exited " + r.exitCode() + ": " + r.stderr());
    }
    return r;
  }

  /**
   * Starts a long-running process inside the namespace, output to {@code log}. The lab stops it on
   * close (SIGTERM, then SIGKILL after 5 s); stop it earlier yourself if the test needs to.
   */
  public Process start(String namespace, Path log, String... command) {
    return start(namespace, log, java.util.Map.of(), command);
  }

  /**
   * Like {@link #start(String, Path, String...)} with {@code env} added to the environment (a
   * {@code null} value removes the variable).
   */
  public Process start(
      String namespace, Path log, java.util.Map<String, String> env, String... command) {
    List<String> full =
        new ArrayList<>(List.of(ipCommand().orElse("ip"), "netns", "exec", namespace));
    full.addAll(List.of(command));
    try {
      ProcessBuilder b = new ProcessBuilder(full);
      env.forEach(
          (k, v) -> {
            if (v == null) {
              b.environment().remove(k);
            } else {
              b.environment().put(k, v);
            }
          });
      Process p =
          b.redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      processes.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends {@code signal} ({@code INT}, {@code HUP}, …) to one process this test started, by PID
   * ({@code ip netns exec} execs in place, so {@link Process#pid()} is the program itself).
   */
  public static void signal(Process process, String signal) {
    if (!process.isAlive()) {
      return;
    }
    ExecResult r = runCommand(List.of("kill", "-s", signal, Long.toString(process.pid())));
    if (!r.ok() && process.isAlive()) {
      throw new IllegalStateException(
          "kill -s " + signal + " " + process.pid() + ": " + r.stderr());
    }
  }

  /** Runs {@code task} on a thread inside the node's namespace and returns its result. */
  public <T> T call(Node node, Callable<T> task) throws Exception {
    return call(node.namespace(), task);
  }

  public <T> T call(String namespace, Callable<T> task) throws Exception {
    ExecutorService executor = executor(namespace);
    try {
      return executor.submit(task).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      executor.shutdown();
      executors.remove(executor);
    }
  }

  /** A single thread living in the namespace; the lab shuts it down on close. */
  public ExecutorService executor(String namespace) {
    IoResult<ExecutorService> r = NetNamespace.executor(namespace);
    ExecutorService executor = r.orElseThrow();
    executors.add(executor);
    return executor;
  }

  public ExecutorService executor(Node node) {
    return executor(node.namespace());
  }

  /** Takes the node's bridge port down: its eth0 loses carrier (a cable pull). */
  public void disconnect(Node node) {
    ip("-n", bridgeNamespace, "link", "set", node.bridgePort(), "down");
  }

  public void reconnect(Node node) {
    ip("-n", bridgeNamespace, "link", "set", node.bridgePort(), "up");
  }

  /**
   * Adds a veth pair {@code name}/{@code peer} inside the node, both up and without addresses: an
   * extra interface whose link a test can take down ({@link #link}) without touching eth0. Taking
   * {@code peer} down drops {@code name}'s carrier. Deleted with the namespace.
   */
  public void addVethPair(Node node, String name, String peer) {
    ip("-n", node.namespace(), "link", "add", name, "type", "veth", "peer", "name", peer);
    ip("-n", node.namespace(), "link", "set", peer, "up");
    ip("-n", node.namespace(), "link", "set", name, "up");
  }

  /** {@code ip link set IFACE up|down} inside the node. */
  public void link(Node node, String iface, boolean up) {
    ip("-n", node.namespace(), "link", "set", iface, up ? "up" : "down");
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Process p : List.copyOf(processes)) {
      stop(p);
    }
    for (ExecutorService e : List.copyOf(executors)) {
      e.shutdownNow();
    }
    for (String ns : namespaces.reversed()) {
      runCommand(List.of(ipCommand().orElse("ip"), "netns", "del", ns));
    }
    OPEN.remove(this);
  }

  private static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ExecResult runCommand(List<String> command) {
    try {
      Path out = Files.createTempFile("netnslab", ".out");
      Path err = Files.createTempFile("netnslab", ".err");
      try {
        Process p =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        return new ExecResult(
            List.copyOf(command),
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
  }

  private static Optional<String> ipCommand() {
    for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
      if (Files.isExecutable(Path.of(dir, "ip"))) {
        return Optional.of(dir + "/ip");
      }
    }
    return Optional.empty();
  }

  private static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:"))
          .anyMatch(l -> l.split("\\s+")[2].equals("0")); // effective uid
    } catch (IOException e) {
      return false;
    }
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
