package dev.floatip.testing.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real agents of the scale benchmark: {@code hack/floatip agent --node-name NODE} (the packaged
 * agent with its own JVM flags, {@code -Xmx32m}) in network namespaces PREFIX-r1… that
 * hack/scale-bench.sh created (eth0 with 192.0.2.1K/24 for VRRP and 198.51.100.1K/24 towards the
 * API server), each with the agents' kubeconfig: what a DaemonSet pod would run. Their heap is read
 * with {@code jcmd PID GC.heap_info} and {@code VM.flags}, their RSS from /proc.
 */
final class RealAgents implements AutoCloseable {

  /** GC.heap_info's lines per generation or heap ("DefNew total 9792K, used 5808K", …). */
  private static final Pattern USED =
      Pattern.compile("(?m)^\\s*[A-Za-z][A-Za-z -]*?\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");

  private static final Pattern MAX_HEAP = Pattern.compile("-XX:MaxHeapSize=(\\d+)");

  /** The InternalIP of real node {@code k} (1-based), on its namespace's eth0. */
  static String internalIp(int k) {
    return "192.0.2." + (10 + k);
  }

  private final Map<String, Process> agents = new LinkedHashMap<>();
  private Path work;

  /** Starts an agent for each node name, node {@code k} in namespace PREFIX-rK. */
  void start(List<String> nodes, String prefix, Path kubeconfig, String namespace, Path work)
      throws IOException {
    this.work = work;
    for (int k = 1; k <= nodes.size(); k++) {
      String node = nodes.get(k - 1);
      ProcessBuilder pb =
          new ProcessBuilder(
              "ip",
              "netns",
              "exec",
              prefix + "-r" + k,
              "env",
              "KUBECONFIG=" + kubeconfig.toAbsolutePath(),
              "POD_NAMESPACE=" + namespace,
              "hack/floatip",
              "agent",
              "--node-name",
              node,
              "--metrics-address",
              "127.0.0.1:9464");
      pb.redirectErrorStream(true).redirectOutput(work.resolve("agent-r" + k + ".log").toFile());
      agents.put(node, pb.start()); // ip netns exec, env and hack/floatip exec: this PID is the JVM
    }
  }

  /** Per agent: alive, heap used and committed (KiB), -Xmx (KiB), RSS and peak RSS (KiB). */
  Map<String, Object> measure() {
    Map<String, Object> out = new LinkedHashMap<>();
    agents.forEach(
        (node, p) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("alive", p.isAlive());
          if (p.isAlive()) {
            String heap = jcmd(p.pid(), "GC.heap_info");
            long used = 0;
            long committed = 0;
            Matcher h = USED.matcher(heap);
            while (h.find()) {
              committed += Long.parseLong(h.group(1));
              used += Long.parseLong(h.group(2));
            }
            Matcher x = MAX_HEAP.matcher(jcmd(p.pid(), "VM.flags"));
            m.put("heapUsedMiB", used / 1024.0);
            m.put("heapCommittedMiB", committed / 1024.0);
            jcmd(p.pid(), "GC.run"); // what is live: the heap the caches really need
            long live = 0;
            Matcher after = USED.matcher(jcmd(p.pid(), "GC.heap_info"));
            while (after.find()) {
              live += Long.parseLong(after.group(2));
            }
            m.put("heapLiveMiBAfterFullGC", live / 1024.0);
            // What the live heap is made of, to read next to the logs (docs/benchmarks.md).
            Path histogram = work.resolve("histogram-" + node + ".txt");
            try {
              java.nio.file.Files.writeString(histogram, jcmd(p.pid(), "GC.class_histogram"));
              m.put("classHistogram", histogram.toString());
            } catch (IOException e) {
              m.put("classHistogram", "not written: " + e);
            }
            m.put("xmxMiB", x.find() ? Long.parseLong(x.group(1)) / 1024.0 / 1024 : null);
            m.put("rssMiB", ScaleBench.procStatus(p.pid(), "VmRSS:") / 1024.0);
            m.put("rssPeakMiB", ScaleBench.procStatus(p.pid(), "VmHWM:") / 1024.0);
          } else {
            m.put("exitCode", p.exitValue());
          }
          out.put(node, m);
        });
    return out;
  }

  private static String jcmd(long pid, String command) {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    try {
      Process p =
          new ProcessBuilder(jcmd, String.valueOf(pid), command).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(20, TimeUnit.SECONDS);
      return text;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  List<String> nodes() {
    return new ArrayList<>(agents.keySet());
  }

  @Override
  public void close() {
    agents.values().forEach(Process::destroy); // SIGTERM: the agent resigns and reports Stopped
    for (Process p : agents.values()) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
