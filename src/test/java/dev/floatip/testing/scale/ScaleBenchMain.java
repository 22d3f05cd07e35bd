package dev.floatip.testing.scale;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code hack/scale-bench.sh}'s program: runs {@link ScaleBench} with the options given, prints the
 * table and writes the JSON. Exit code 0 when every phase completed (the targets are judged by the
 * table and by ScaleIT, not here), 1 when a phase timed out, 2 on bad options.
 */
public final class ScaleBenchMain {

  private ScaleBenchMain() {}

  static final String USAGE =
      """
      usage: ScaleBenchMain [--nodes N] [--vips N] [--group-size N] [--converge-seconds S]
                            [--steady-seconds S] [--extra N] [--work DIR] [--out FILE]
                            [--operator-java-opts OPTS] [--listen IP --real-agents K
                            --netns-prefix P]
      """;

  public static void main(String... args) throws Exception {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        System.err.println("scale-bench: bad argument " + args[i] + "\n" + USAGE);
        System.exit(2);
      }
      o.put(args[i].substring(2), args[++i]);
    }
    int nodes = Integer.parseInt(o.getOrDefault("nodes", "1000"));
    int vips = Integer.parseInt(o.getOrDefault("vips", String.valueOf(nodes)));
    Path work = Path.of(o.getOrDefault("work", "target/scale-bench"));
    ScaleBench.Settings settings =
        new ScaleBench.Settings(
            nodes,
            vips,
            Integer.parseInt(o.getOrDefault("group-size", "4")),
            Duration.ofSeconds(Long.parseLong(o.getOrDefault("converge-seconds", "120"))),
            Duration.ofSeconds(Long.parseLong(o.getOrDefault("steady-seconds", "60"))),
            Integer.parseInt(o.getOrDefault("extra", "100")),
            operatorCommand(),
            Map.of("FLOATIP_JAVA_OPTS", o.getOrDefault("operator-java-opts", "-Xmx96m")),
            work,
            o.get("listen"),
            Integer.parseInt(o.getOrDefault("real-agents", "0")),
            o.getOrDefault("netns-prefix", "fipscale"));
    int code;
    try (ScaleBench bench = new ScaleBench(settings)) {
      // Ctrl-C or SIGTERM: the operator and the real agents are stopped too
      Runtime.getRuntime().addShutdownHook(new Thread(bench::close, "scale-bench-stop"));
      try {
        bench.run();
      } catch (Exception e) {
        // (the mock server's event loops would keep the JVM alive: exit explicitly)
        e.printStackTrace();
        System.out.println(Table.of(bench.result()));
        System.out.println("scale-bench: stopped: " + e.getMessage());
        bench.close();
        System.exit(1);
      }
      System.out.println(Table.of(bench.result()));
      String json = bench.json();
      Path out = Path.of(o.getOrDefault("out", work.resolve("result.json").toString()));
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, json + "\n");
      System.out.println("JSON: " + out);
      code = bench.failures().isEmpty() ? 0 : 1;
    }
    System.exit(code);
  }

  /** {@code hack/floatip operator} as hack/lab-cluster.sh runs it, metrics on a free port. */
  static List<String> operatorCommand() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    return new ArrayList<>(
        List.of("hack/floatip", "operator", "--metrics-address", "127.0.0.1:" + port));
  }
}
