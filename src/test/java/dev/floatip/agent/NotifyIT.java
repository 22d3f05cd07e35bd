package dev.floatip.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.floatip.testing.FloatipYaml;
import dev.floatip.testing.ItLogs;
import dev.floatip.testing.LabDaemon;
import dev.floatip.testing.LabDaemon.StateChange;
import dev.floatip.testing.NetnsLab;
import dev.floatip.testing.NetnsLab.Node;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Notifications from a real agent (DESIGN §5): hooks with keepalived's arguments, mail and webhook,
 * for every transition, in order, one at a time. The SMTP server (GreenMail) and the webhook
 * receiver (the JDK's HttpServer) run in this JVM but listen on 127.0.0.1 inside the agent's
 * namespace (created on a namespace thread, see {@link NetnsLab#call}), where the agent reaches
 * them.
 *
 * <p>The hook appends {@code begin ARGS} and, after an optional delay, {@code end ARGS} to a file:
 * a hook that started before the previous one ended would show as two {@code begin}s in a row.
 */
class NotifyIT {

  private static final String VIP = "192.0.2.220/24";
  private static final int PRIORITY = 150;
  private static final Duration START = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern HOOK_LINE = Pattern.compile("(begin|end) (.*)");

  private static NetnsLab lab;
  private static GreenMail smtp;
  private static HttpServer webhook;
  private static final List<String> posts = Collections.synchronizedList(new ArrayList<>());

  private final List<LabDaemon> agents = new ArrayList<>();

  @BeforeAll
  static void lab() throws Exception {
    lab = NetnsLab.forAgents("ntf", 1);
    // both servers are made on a thread inside r1's namespace: their sockets (and the threads
    // they start) live there, on r1's loopback
    smtp =
        lab.call(
            r1(),
            () -> {
              GreenMail g =
                  new GreenMail(
                      new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
              g.start();
              return g;
            });
    webhook =
        lab.call(
            r1(),
            () -> {
              HttpServer s =
                  HttpServer.create(
                      new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
              s.createContext(
                  "/hook",
                  exchange -> {
                    posts.add(
                        new String(
                            exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                  });
              s.start();
              return s;
            });
  }

  @AfterAll
  static void closeLab() {
    if (webhook != null) {
      webhook.stop(0);
    }
    if (smtp != null) {
      smtp.stop();
    }
    if (lab != null) {
      lab.close();
    }
  }

  @BeforeEach
  void clearServers() throws Exception {
    posts.clear();
    smtp.purgeEmailFromAllMailboxes();
  }

  @AfterEach
  void reset() {
    LabDaemon.stopAll(agents);
    lab.reconnect(r1());
    lab.run(r1(), "ip", "link", "del", "flap0");
  }

  /**
   * start → BACKUP → MASTER; link down → FAULT; link up → BACKUP → MASTER; SIGTERM → STOP. Every
   * transition reaches the hooks (the per-state one first, then the generic command with {@code
   * INSTANCE web STATE PRIORITY}), the mail ({@code [r1] VRRP Instance web - Entering STATE state},
   * FAULT included) and the webhook (JSON), in the order the agent logged them.
   */
  @Test
  void everyTransitionReachesHooksMailAndWebhook(TestInfo test) {
    Path dir = ItLogs.dir(test);
    Path hooks = dir.resolve("hooks.log");
    LabDaemon a1 = start(dir, hooks, "0", "");
    a1.awaitLine(START, "web/v4", "BACKUP -> MASTER");

    lab.disconnect(r1());
    a1.awaitLine(Duration.ofSeconds(10), "web/v4", "MASTER -> FAULT");
    lab.reconnect(r1());
    a1.awaitLine(Duration.ofSeconds(10), "web/v4", "FAULT -> BACKUP");
    int mark = a1.lines().size();
    a1.awaitLine(Duration.ofSeconds(10), mark, "web/v4", "BACKUP -> MASTER");
    // let the notifications so far finish: the STOP below has only the agent's shutdown time
    awaitHooks(hooks, 10); // five transitions, each with its per-state hook and the generic one
    awaitMailSubjects(5);
    awaitPosts(5);

    a1.sigterm();
    assertThat(a1.awaitExit(Duration.ofSeconds(10))).isZero();

    List<String> expected = List.of("BACKUP", "MASTER", "FAULT", "BACKUP", "MASTER", "STOP");
    List<StateChange> changes = a1.stateChanges(0);
    assertThat(changes).extracting(NotifyIT::word).isEqualTo(expected);

    // hooks: the agent's transitions in order, keepalived's arguments, one at a time; the
    // per-state hook (master, backup, fault, stop) runs right before the generic command
    List<String> runs = hookRuns(hooks);
    assertThat(runs).isEqualTo(expectedRuns(changes));
    assertThat(runs)
        .filteredOn(r -> r.startsWith("INSTANCE"))
        .filteredOn(r -> r.matches("INSTANCE web (BACKUP|MASTER) .*"))
        .allSatisfy(r -> assertThat(r).endsWith(" " + PRIORITY));

    // mail: one per transition, FAULT and STOP included, in order
    assertThat(awaitMailSubjects(expected.size()))
        .isEqualTo(
            expected.stream()
                .map(s -> "[r1] VRRP Instance web - Entering " + s + " state")
                .toList());

    // webhook: the JSON fields, a consistent chain of states, in order
    List<JsonNode> events = awaitPosts(expected.size());
    assertThat(events).extracting(e -> e.get("state").asText()).isEqualTo(expected);
    String previous = "INITIALIZE";
    Instant last = Instant.EPOCH;
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      assertThat(e.get("vip").asText()).isEqualTo("web");
      assertThat(e.get("family").asText()).isEqualTo("IPv4");
      assertThat(e.get("node").asText()).isEqualTo("r1");
      assertThat(e.get("from").asText()).isEqualTo(previous);
      assertThat(e.get("to").asText()).isEqualTo(changes.get(i).to());
      assertThat(e.get("priority").asInt()).isEqualTo(priority(changes.get(i)));
      assertThat(e.get("reason").asText()).isNotBlank();
      Instant at = Instant.parse(e.get("timestamp").asText());
      assertThat(at).isAfterOrEqualTo(last);
      last = at;
      previous = e.get("to").asText();
    }
    assertThat(events.getLast().get("to").asText()).isEqualTo("INITIALIZE");
  }

  /**
   * {@code notify.user}: the agent (root) runs its hooks as the given uid:gid through setpriv, so a
   * hook's {@code id} shows nobody's ids, not root's. The hook and its output live in a directory
   * of their own that the user may enter.
   */
  @Test
  void hooksRunAsNotifyUser(TestInfo test) throws IOException {
    Path dir = ItLogs.dir(test);
    Path own = Files.createTempDirectory("floatip-hook-user");
    try {
      Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path ids = Files.createFile(own.resolve("ids.log"));
      Files.setPosixFilePermissions(ids, PosixFilePermissions.fromString("rw-rw-rw-"));
      Path hook = own.resolve("ids.sh");
      Files.writeString(hook, "#!/bin/sh\necho \"$(id -u):$(id -g) $*\" >> \"$1\"\n");
      Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path config =
          FloatipYaml.vip("web", 91)
              .multicast()
              .addresses(VIP)
              .interval("100ms")
              .priority("r1", PRIORITY)
              .notify(
                  """
                  master: [%s, %s]
                  user: "65534:65534"
                  timeout: 5s
                  """
                      .formatted(hook, ids))
              .write(dir.resolve("vip.yaml"));
      LabDaemon a = LabDaemon.agent(lab, r1(), config, dir.resolve("agent-r1.log"));
      agents.add(a);
      a.awaitLine(START, "web/v4", "BACKUP -> MASTER");
      Awaitility.await("the master hook")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> !lines(ids).isEmpty());
      assertThat(lines(ids)).containsExactly("65534:65534 " + ids);
    } finally {
      try (var files = Files.list(own)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(own);
    }
  }

  /**
   * A tracked interface flapped ten times faster than the hooks run (each takes 100 ms, and r1
   * never gets to MASTER in between): every transition still reaches the hook, the mail and the
   * webhook, in the agent's order, and no hook starts before the previous one ended.
   */
  @Test
  void rapidFlappingIsDeliveredInOrderOneAtATime(TestInfo test) {
    Path dir = ItLogs.dir(test);
    Path hooks = dir.resolve("hooks.log");
    lab.addVethPair(r1(), "flap0", "flap1");
    LabDaemon a1 =
        start(
            dir,
            hooks,
            "0.1",
            """
            interfaces:
            - name: flap0
            """);
    a1.awaitLine(START, "web/v4", "BACKUP -> MASTER");

    for (int i = 0; i < 10; i++) {
      int mark = a1.lines().size();
      lab.link(r1(), "flap0", false);
      a1.awaitLine(Duration.ofSeconds(10), mark, "web/v4", "-> FAULT");
      lab.link(r1(), "flap0", true);
      a1.awaitLine(Duration.ofSeconds(10), mark, "web/v4", "FAULT -> BACKUP");
    }
    int mark = a1.lines().size();
    a1.awaitLine(Duration.ofSeconds(10), mark, "web/v4", "BACKUP -> MASTER");
    List<StateChange> changes = a1.stateChanges(0);
    // BACKUP, MASTER, then FAULT/BACKUP ten times (a MASTER in between only if the machine
    // stalled for a Master_Down_Interval), then MASTER
    List<String> words = changes.stream().map(NotifyIT::word).toList();
    assertThat(words).filteredOn("FAULT"::equals).hasSize(10);
    assertThat(words).hasSizeGreaterThanOrEqualTo(23);

    awaitHooks(hooks, 2 * changes.size());
    assertThat(hookRuns(hooks)).isEqualTo(expectedRuns(changes));
    assertThat(awaitMailSubjects(changes.size()))
        .isEqualTo(
            words.stream().map(s -> "[r1] VRRP Instance web - Entering " + s + " state").toList());
    assertThat(awaitPosts(changes.size()))
        .extracting(e -> e.get("state").asText())
        .isEqualTo(words);
  }

  // ---- helpers

  private static Node r1() {
    return lab.router(1);
  }

  /** Starts r1's agent with the hooks (delay in seconds), mail and webhook, and {@code track}. */
  private LabDaemon start(Path dir, Path hooks, String delay, String track) {
    Path hook = hookScript(dir);
    FloatipYaml doc =
        FloatipYaml.vip("web", 91)
            .multicast()
            .addresses(VIP)
            .interval("100ms")
            .priority("r1", PRIORITY)
            .notify(
                """
                command: [%1$s, %2$s, "%3$s"]
                master: [%1$s, %2$s, "%3$s", master-hook]
                backup: [%1$s, %2$s, "%3$s", backup-hook]
                fault: [%1$s, %2$s, "%3$s", fault-hook]
                stop: [%1$s, %2$s, "%3$s", stop-hook]
                timeout: 5s
                mail:
                  smtpServer: 127.0.0.1:%4$d
                  from: floatip@example.com
                  to: [ops@example.com]
                webhook:
                  url: http://127.0.0.1:%5$d/hook
                """
                    .formatted(
                        hook,
                        hooks,
                        delay,
                        smtp.getSmtp().getPort(),
                        webhook.getAddress().getPort()));
    if (!track.isBlank()) {
      doc = doc.track(track);
    }
    Path config = doc.write(dir.resolve("vip.yaml"));
    LabDaemon a = LabDaemon.agent(lab, r1(), config, dir.resolve("agent-r1.log"));
    agents.add(a);
    return a;
  }

  /** {@code hook.sh LOG DELAY ARGS…}: appends "begin ARGS", sleeps DELAY s, appends "end ARGS". */
  private static Path hookScript(Path dir) {
    try {
      Path hook = dir.resolve("hook.sh");
      Files.writeString(
          hook,
          """
          #!/bin/sh
          log=$1; delay=$2; shift 2
          echo "begin $*" >> "$log"
          [ "$delay" = 0 ] || sleep "$delay"
          echo "end $*" >> "$log"
          """);
      Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
      return hook;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The hook runs in order, each as its arguments; fails unless every run ended before the next
   * began.
   */
  private static List<String> hookRuns(Path hooks) {
    List<String> runs = new ArrayList<>();
    String open = null;
    for (String line : lines(hooks)) {
      Matcher m = HOOK_LINE.matcher(line);
      assertThat(m.matches()).as("hook log line %s", line).isTrue();
      if (m.group(1).equals("begin")) {
        assertThat(open).as("hook '%s' began while '%s' ran", m.group(2), open).isNull();
        open = m.group(2);
      } else {
        assertThat(m.group(2)).as("end of the running hook").isEqualTo(open);
        runs.add(open);
        open = null;
      }
    }
    assertThat(open).as("a hook never ended").isNull();
    return runs;
  }

  /**
   * What the hooks must have run for these transitions, in order: the per-state hook, then the
   * generic command with keepalived's arguments.
   */
  private static List<String> expectedRuns(List<StateChange> changes) {
    List<String> runs = new ArrayList<>();
    for (StateChange c : changes) {
      runs.add(word(c).toLowerCase(Locale.ROOT) + "-hook");
      runs.add("INSTANCE web " + word(c) + " " + priority(c));
    }
    return runs;
  }

  /** Waits until {@code n} hook runs have ended. */
  private static void awaitHooks(Path hooks, int n) {
    Awaitility.await(n + " hook runs")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> lines(hooks).stream().filter(l -> l.startsWith("end ")).count() >= n);
  }

  private static List<String> awaitMailSubjects(int n) {
    MimeMessage[] mails =
        Awaitility.await(n + " mails")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(smtp::getReceivedMessages, m -> m.length >= n);
    List<String> subjects = new ArrayList<>();
    for (MimeMessage m : mails) {
      try {
        subjects.add(m.getSubject());
      } catch (MessagingException e) {
        throw new IllegalStateException(e);
      }
    }
    return subjects;
  }

  private static List<JsonNode> awaitPosts(int n) {
    Awaitility.await(n + " webhook posts")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> posts.size() >= n);
    List<JsonNode> out = new ArrayList<>();
    for (String body : List.copyOf(posts)) {
      try {
        out.add(JSON.readTree(body));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** keepalived's state word of a logged change: STOP for the return to INITIALIZE. */
  private static String word(StateChange c) {
    return c.to().equals("INITIALIZE") ? "STOP" : c.to();
  }

  private static final Pattern PRIORITY_IN_LOG = Pattern.compile(", priority (\\d+)\\)");

  private static int priority(StateChange c) {
    Matcher m = PRIORITY_IN_LOG.matcher(c.line());
    assertThat(m.find()).as("priority in %s", c.line()).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
