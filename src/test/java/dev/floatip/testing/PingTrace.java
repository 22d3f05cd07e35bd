package dev.floatip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a client sees of a VIP: {@code ping -D -i 0.01} from a lab namespace (an echo request every
 * 10 ms, each reply stamped with the wall clock at receipt), so a failover shows as a gap in the
 * replies. iputils ping flushes every line, so the trace can be read while it runs.
 *
 * <pre>{@code
 * try (PingTrace ping = PingTrace.start(lab, lab.client(), vip, dir.resolve("ping.log"))) {
 *   ping.awaitReplies(5, Duration.ofSeconds(5));
 *   Instant t0 = Instant.now(); // make the master fail
 *   PingTrace.Gap gap = ping.awaitGapAfter(t0, Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class PingTrace implements AutoCloseable {

  /** 10 ms between echo requests (root only below 200 ms). */
  public static final Duration PERIOD = Duration.ofMillis(10);

  /**
   * Missing replies in a row that make a gap. A local bridge loses nothing by itself (a starved
   * ping sends late, it does not skip sequence numbers), and a VRRP failover loses at least
   * Skew_Time's worth (60+ ms at a 100 ms advert), so two in a row is an outage.
   */
  public static final int MIN_GAP_PACKETS = 2;

  private static final Pattern REPLY =
      Pattern.compile("^\\[(\\d+)\\.(\\d{6})] \\d+ bytes from \\S+ icmp_seq=(\\d+) .*");

  /** One echo reply: its sequence number and when ping received it. */
  public record Reply(long seq, Instant at) {}

  /**
   * A run of lost replies: {@code last} was the last reply before it, {@code next} the first after.
   */
  public record Gap(Reply last, Reply next) {
    public long lost() {
      return next.seq() - last.seq() - 1;
    }

    /** From {@code t0} to the first reply after the gap: what the client waited. */
    public Duration since(Instant t0) {
      return Duration.between(t0, next.at());
    }
  }

  private final Process process;
  private final Path log;

  private PingTrace(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts pinging {@code target} from {@code from}; output to {@code log}. */
  public static PingTrace start(NetnsLab lab, NetnsLab.Node from, InetAddress target, Path log) {
    List<String> cmd = new ArrayList<>(List.of("ping", "-D", "-n", "-i", "0.01"));
    if (target.getAddress().length == 16) {
      cmd.add(1, "-6");
    }
    cmd.add(VipWatch.literal(target));
    return new PingTrace(lab.start(from.namespace(), log, cmd.toArray(String[]::new)), log);
  }

  /** The replies so far, in order of receipt. */
  public List<Reply> replies() {
    List<Reply> out = new ArrayList<>();
    try {
      for (String line : Files.exists(log) ? Files.readAllLines(log) : List.<String>of()) {
        Matcher m = REPLY.matcher(line);
        if (m.matches()) {
          Instant at =
              Instant.ofEpochSecond(
                  Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) * 1_000L);
          out.add(new Reply(Long.parseLong(m.group(3)), at));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Waits until {@code n} replies came in (the client reaches the VIP). */
  public void awaitReplies(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (replies().size() < n) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new AssertionError("no " + n + " ping replies within " + timeout + " in " + log);
      }
      sleep(PERIOD.multipliedBy(5));
    }
  }

  /**
   * The first gap of at least {@link #MIN_GAP_PACKETS} lost replies that ended after {@code t0}.
   */
  public Optional<Gap> gapAfter(Instant t0) {
    List<Reply> r = replies();
    for (int i = 1; i < r.size(); i++) {
      Gap g = new Gap(r.get(i - 1), r.get(i));
      if (g.lost() >= MIN_GAP_PACKETS && g.next().at().isAfter(t0)) {
        return Optional.of(g);
      }
    }
    return Optional.empty();
  }

  /** Waits for {@link #gapAfter} to have ended, i.e. for the first reply after the outage. */
  public Gap awaitGapAfter(Instant t0, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<Gap> g = gapAfter(t0);
      if (g.isPresent()) {
        return g.get();
      }
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new AssertionError("no reply gap ending after " + t0 + " within " + timeout);
      }
      sleep(PERIOD.multipliedBy(5));
    }
  }

  /** Stops ping (SIGINT: it prints its summary and exits). */
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
