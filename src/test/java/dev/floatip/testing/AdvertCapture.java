package dev.floatip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;

/**
 * The VRRP adverts one lab node receives on eth0, as tcpdump sees them ({@code -tt -l}: one line a
 * packet, stamped with the capture time). Needs tcpdump (CI installs it).
 */
public final class AdvertCapture implements AutoCloseable {

  private static final Pattern PACKET = Pattern.compile("^(\\d+)\\.(\\d{6}) .*");

  private final Process process;
  private final Path log;

  private AdvertCapture(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts capturing on {@code node}'s eth0 the IPv4 VRRP packets (IP protocol 112) from {@code
   * source}, and waits until tcpdump listens.
   */
  public static AdvertCapture start(NetnsLab lab, NetnsLab.Node node, String source, Path log) {
    Assertions.assertTrue(
        Files.isExecutable(Path.of("/usr/bin/tcpdump"))
            || Files.isExecutable(Path.of("/usr/sbin/tcpdump")),
        "tcpdump is needed (apt-get install tcpdump; .ci/run does)");
    Process p =
        lab.start(
            node.namespace(),
            log,
            "tcpdump",
            "-i",
            "eth0",
            "-n",
            "-p",
            "-tt",
            "-l",
            "ip proto 112 and src host " + source);
    AdvertCapture c = new AdvertCapture(p, log);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (c.lines().stream().noneMatch(l -> l.contains("listening on"))) {
      if (System.nanoTime() > deadline || !p.isAlive()) {
        throw new AssertionError("tcpdump did not start: " + c.lines());
      }
      sleep(Duration.ofMillis(20));
    }
    return c;
  }

  /** When each captured advert arrived. */
  public List<Instant> times() {
    List<Instant> out = new ArrayList<>();
    for (String l : lines()) {
      Matcher m = PACKET.matcher(l);
      if (m.matches()) {
        out.add(
            Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) * 1000L));
      }
    }
    return out;
  }

  /** The longest time between two adverts captured within [{@code from}, {@code to}]. */
  public Duration longestGap(Instant from, Instant to) {
    List<Instant> t = times().stream().filter(i -> !i.isBefore(from) && !i.isAfter(to)).toList();
    Duration longest = Duration.ZERO;
    for (int i = 1; i < t.size(); i++) {
      Duration d = Duration.between(t.get(i - 1), t.get(i));
      longest = d.compareTo(longest) > 0 ? d : longest;
    }
    return longest;
  }

  /** Adverts captured within [{@code from}, {@code to}]. */
  public long count(Instant from, Instant to) {
    return times().stream().filter(i -> !i.isBefore(from) && !i.isAfter(to)).count();
  }

  private List<String> lines() {
    try {
      return Files.exists(log) ? Files.readAllLines(log) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    NetnsLab.signal(process, "INT");
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
