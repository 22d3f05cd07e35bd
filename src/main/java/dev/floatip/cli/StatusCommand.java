package dev.floatip.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floatip.agent.AgentHttp;
import dev.floatip.agent.StatusView;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code floatip status}: what the local agent's routers are doing, and why. */
@Dependent
@Unremovable
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Show the local agent's VRRP routers: state, priority, master.")
public class StatusCommand implements Callable<Integer> {

  @Option(
      names = "--agent",
      paramLabel = "HOST:PORT",
      defaultValue = Main.DEFAULT_METRICS_ADDRESS,
      description = "The agent's --metrics-address (default: ${DEFAULT-VALUE}).")
  String agent;

  @Option(names = "--json", description = "Print the agent's JSON as it is.")
  boolean raw;

  @Inject ObjectMapper json;

  @Override
  public Integer call() throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + agent + AgentHttp.STATUS))
            .timeout(Duration.ofSeconds(5))
            .build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      System.err.println("floatip status: no agent at " + agent + " (" + e.getMessage() + ")");
      return 1;
    }
    if (response.statusCode() != 200) {
      System.err.println(
          "floatip status: agent answered " + response.statusCode() + ": " + response.body());
      return 1;
    }
    if (raw) {
      System.out.println(response.body());
      return 0;
    }
    print(
        json.readValue(response.body(), new TypeReference<List<StatusView>>() {}),
        System.out,
        Instant.now());
    return 0;
  }

  static void print(List<StatusView> routers, PrintStream out, Instant now) {
    String format = "%-16s %-6s %4s %-8s %-7s %9s  %-26s %-6s %s%n";
    out.printf(format, "VIP", "FAMILY", "VRID", "IFACE", "STATE", "PRIO", "MASTER", "SINCE", "WHY");
    Set<String> checksShown = new HashSet<>();
    for (StatusView r : routers) {
      String why = r.faults().isEmpty() ? r.reason() : String.join("; ", r.faults());
      if (r.standby()) {
        why = why.isEmpty() ? "STANDBY (node maintenance)" : why + "; STANDBY (node maintenance)";
      }
      String prio =
          r.priority() == r.basePriority()
              ? Integer.toString(r.priority())
              : r.priority() + " (" + r.basePriority() + ")";
      out.printf(
          format,
          r.vip(),
          r.family(),
          r.vrid(),
          r.interfaceName(),
          r.state(),
          prio,
          r.master().isEmpty() ? "-" : r.master(),
          r.since() == null ? "-" : age(Duration.between(r.since(), now)),
          why);
      if (!r.addresses().isEmpty()) {
        out.printf("  addresses %s%n", String.join(", ", r.addresses()));
      }
      if (checksShown.add(r.vip())) {
        for (StatusView.CheckView c : r.checks()) {
          String health = c.healthy() == null ? "pending" : c.healthy() ? "ok" : "failing";
          out.printf(
              "  check %s %s: %s, %s%s%n",
              c.kind(),
              c.name(),
              health,
              c.effect(),
              c.message().isEmpty() ? "" : " (" + c.message() + ")");
        }
      }
    }
  }

  static String age(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 7200) {
      return (s / 60) + "m";
    }
    return (s / 3600) + "h";
  }
}
