package dev.floatip.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floatip.agent.StatusView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

/**
 * A VRRP daemon the test started inside a lab namespace: a floatip agent (the packaged jar, as
 * {@code hack/lab.sh} runs it) or keepalived. {@code ip netns exec} execs the daemon in place, so
 * {@link #pid()} is the daemon itself; signals go to that PID only. The lab stops it on close.
 */
public final class LabDaemon {

  /** keepalived as research/keepalived-baseline.md ran it: foreground, VRRP only, own pid files. */
  private static final String KEEPALIVED = "/usr/sbin/keepalived";

  /** Where the agent serves /status inside its namespace (the default --metrics-address). */
  private static final int STATUS_PORT = 9654;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .findAndRegisterModules()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** One state change from the agent's log ({@code web/v4: BACKUP -> MASTER (...)}). */
  public record StateChange(String router, String from, String to, String line) {}

  private static final Pattern STATE_CHANGE =
      Pattern.compile(".* (\\S+): ([A-Z]+) -> ([A-Z]+) \\(.*");

  private final NetnsLab lab;
  private final String name;
  private final NetnsLab.Node node;
  private final Process process;
  private final Path log;

  private LabDaemon(NetnsLab lab, String name, NetnsLab.Node node, Process process, Path log) {
    this.lab = lab;
    this.name = name;
    this.node = node;
    this.process = process;
    this.log = log;
  }

  /** The packaged agent jar (failsafe sets {@code floatip.jar}); skips the test if it is absent. */
  public static Path agentJar() {
    Path jar = Path.of(System.getProperty("floatip.jar", "target/quarkus-app/quarkus-run.jar"));
    Assumptions.assumeTrue(
        Files.isRegularFile(jar), () -> "skipped: " + jar + " missing (run mvn package first)");
    return jar;
  }

  /**
   * The command line of {@code floatip ARGS…} from the packaged build with this JDK: {@code agent}
   * as hack/floatip and the image run it (issue 15: {@code dev.floatip.cli.AgentMain} on the plain
   * class path, no Quarkus), the other commands from the Quarkus jar.
   */
  public static List<String> floatipCommand(String... args) {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                // small and quick to start: up to four agents share two CPUs in these tests
                "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError",
                "-Xmx64m",
                "-XX:TieredStopAtLevel=1"));
    if (args.length > 0 && args[0].equals("agent")) {
      cmd.addAll(List.of("-cp", agentClassPath(agentJar()), AGENT_MAIN));
    } else {
      cmd.addAll(List.of("-jar", agentJar().toString()));
    }
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** The agent's main class, as hack/floatip, the image and the DaemonSet start it. */
  public static final String AGENT_MAIN = "dev.floatip.cli.AgentMain";

  /**
   * The plain class path of the build next to {@code quarkusRun}, in hack/floatip's order: the
   * application jar, then lib/boot and lib/main, each sorted by name.
   */
  public static String agentClassPath(Path quarkusRun) {
    Path app = quarkusRun.toAbsolutePath().getParent();
    List<String> jars = new java.util.ArrayList<>();
    for (String dir : List.of("app", "lib/boot", "lib/main")) {
      try (var files = Files.list(app.resolve(dir))) {
        files.map(Path::toString).filter(f -> f.endsWith(".jar")).sorted().forEach(jars::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return String.join(":", jars);
  }

  /** Starts {@code floatip agent --config CONFIG --node-name NODE}, logging to {@code log}. */
  public static LabDaemon agent(NetnsLab lab, NetnsLab.Node node, Path config, Path log) {
    List<String> cmd =
        floatipCommand("agent", "--config", config.toString(), "--node-name", node.name());
    Process p = lab.start(node.namespace(), log, cmd.toArray(String[]::new));
    return new LabDaemon(lab, "floatip@" + node.name(), node, p, log);
  }

  public static void assumeKeepalived() {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of(KEEPALIVED)),
        "skipped: keepalived is not installed (apt-get install keepalived; .ci/run does)");
  }

  /**
   * Starts keepalived ({@code -n -l -D -G -P}) on {@code conf}; pid files and log go to {@code
   * dir}.
   */
  public static LabDaemon keepalived(NetnsLab lab, NetnsLab.Node node, Path conf, Path dir) {
    assumeKeepalived();
    String base = "keepalived-" + node.name();
    Path log = dir.resolve(base + ".log");
    Process p =
        lab.start(
            node.namespace(),
            log,
            KEEPALIVED,
            "-n",
            "-l",
            "-D",
            "-G",
            "-P",
            "-f",
            conf.toString(),
            "-p",
            dir.resolve(base + ".pid").toString(),
            "-r",
            dir.resolve(base + ".vrrp.pid").toString());
    return new LabDaemon(lab, "keepalived@" + node.name(), node, p, log);
  }

  public NetnsLab.Node node() {
    return node;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM: graceful stop (priority 0, addresses removed). */
  public void sigterm() {
    process.destroy();
  }

  /** SIGTERMs every daemon, waits for each to exit, and empties the list (between tests). */
  public static void stopAll(List<LabDaemon> daemons) {
    daemons.forEach(LabDaemon::sigterm);
    daemons.forEach(d -> d.awaitExit(Duration.ofSeconds(10)));
    daemons.clear();
  }

  /** SIGKILL, and waits until the process is gone. */
  public void sigkill() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(10));
  }

  /** SIGHUP: reload. */
  public void sighup() {
    NetnsLab.signal(process, "HUP");
  }

  /** Waits for the process to exit; returns its exit code, fails the test on timeout. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new AssertionError(name + " still running after " + timeout + "\n" + logTail());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The log's lines so far. */
  public List<String> lines() {
    try {
      return Files.exists(log) ? Files.readAllLines(log) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for a log line containing every fragment; returns it. */
  public String awaitLine(Duration timeout, String... fragments) {
    return awaitLine(timeout, 0, fragments);
  }

  /**
   * Like {@link #awaitLine(Duration, String...)}, looking only at lines from index {@code from}.
   */
  public String awaitLine(Duration timeout, int from, String... fragments) {
    Predicate<String> match = l -> List.of(fragments).stream().allMatch(l::contains);
    return Awaitility.await(name + " logs " + List.of(fragments))
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .failFast(
            name + " exited\n" + logTail(), () -> !process.isAlive() && find(from, match).isEmpty())
        .until(() -> find(from, match), Optional::isPresent)
        .orElseThrow();
  }

  private Optional<String> find(int from, Predicate<String> match) {
    List<String> lines = lines();
    return lines.subList(Math.min(from, lines.size()), lines.size()).stream()
        .filter(match)
        .findFirst();
  }

  /**
   * The agent's {@code GET /status} (what {@code floatip status --json} prints), read on the
   * agent's own loopback inside its namespace; fails if the agent does not answer.
   */
  public List<StatusView> status() {
    try {
      String body =
          lab.call(
              node,
              () -> {
                // a socket made on the namespace thread lives in the namespace
                try (Socket s = new Socket()) {
                  s.connect(new InetSocketAddress("127.0.0.1", STATUS_PORT), 2000);
                  s.setSoTimeout(5000);
                  s.getOutputStream()
                      .write(
                          "GET /status HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
                              .getBytes(StandardCharsets.US_ASCII));
                  String response =
                      new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                  if (!response.startsWith("HTTP/1.") || !response.split(" ", 3)[1].equals("200")) {
                    throw new IllegalStateException(name + " /status: " + response);
                  }
                  return response.substring(response.indexOf("\r\n\r\n") + 4);
                }
              });
      return JSON.readValue(body, new TypeReference<List<StatusView>>() {});
    } catch (Exception e) {
      throw new AssertionError(name + ": GET /status failed: " + e + "\n" + logTail(), e);
    }
  }

  /** The status entry of one router of the VIP ({@code family} {@code ipv4} or {@code ipv6}). */
  public StatusView status(String vip, String family) {
    return status().stream()
        .filter(v -> v.vip().equals(vip) && v.family().equals(family))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " has no router " + vip + "/" + family));
  }

  /** The state changes the agent logged, in order, from log line {@code from}. */
  public List<StateChange> stateChanges(int from) {
    List<String> lines = lines();
    List<StateChange> out = new java.util.ArrayList<>();
    for (String l : lines.subList(Math.min(from, lines.size()), lines.size())) {
      Matcher m = STATE_CHANGE.matcher(l);
      if (m.matches()) {
        out.add(new StateChange(m.group(1), m.group(2), m.group(3), l));
      }
    }
    return out;
  }

  /** The last lines of the log, for failure messages. */
  public String logTail() {
    List<String> lines = lines();
    return "--- last lines of "
        + log
        + ":\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  @Override
  public String toString() {
    return name + "[" + pid() + "]";
  }
}
