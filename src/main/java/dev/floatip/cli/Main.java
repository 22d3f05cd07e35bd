package dev.floatip.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.util.List;
import picocli.CommandLine;

/**
 * The single entry point: {@code floatip <command>}. Quarkus boots first, picocli parses, CDI
 * supplies beans. The HTTP endpoint (metrics, health, status) is configured before boot: only the
 * agent and the operator serve it, on {@code --metrics-address}; short commands open no port.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

  /** Where the agent serves /q/metrics, /q/health and /status unless told otherwise. */
  public static final String DEFAULT_METRICS_ADDRESS = "127.0.0.1:9654";

  /**
   * Where the operator serves /q/metrics and /q/health: all addresses of its pod (not hostNetwork),
   * for the kubelet's probes and Prometheus.
   */
  public static final String DEFAULT_OPERATOR_METRICS_ADDRESS = "0.0.0.0:8080";

  @Inject CommandLine.IFactory factory;

  public static void main(String... args) {
    FatalErrors.install(); // an Error in any thread ends the process: no half-alive agent
    configureHttp(List.of(args));
    Quarkus.run(Main.class, args);
  }

  @Override
  public int run(String... args) {
    LogFormat.apply(System.getenv(LogFormat.ENV));
    return new CommandLine(new FloatipCommand(), factory).execute(args);
  }

  static void configureHttp(List<String> args) {
    String command = args.stream().filter(a -> !a.startsWith("-")).findFirst().orElse("");
    if (!command.equals("operator")) {
      // the operator is not started, so its health check would report the agent down
      System.setProperty(
          "quarkus.smallrye-health.check.\"io.quarkiverse.operatorsdk.runtime.OperatorHealthCheck\".enabled",
          "false");
    }
    String address;
    if (command.equals("agent")) {
      address = DEFAULT_METRICS_ADDRESS;
    } else if (command.equals("operator")) {
      address = DEFAULT_OPERATOR_METRICS_ADDRESS;
    } else {
      System.setProperty("quarkus.http.host-enabled", "false");
      return;
    }
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals(AgentCommand.METRICS_ADDRESS) && i + 1 < args.size()) {
        address = args.get(i + 1);
      } else if (a.startsWith(AgentCommand.METRICS_ADDRESS + "=")) {
        address = a.substring(AgentCommand.METRICS_ADDRESS.length() + 1);
      }
    }
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      return; // picocli reports the malformed option
    }
    String host = address.substring(0, colon).replaceAll("^\\[|]$", "");
    System.setProperty("quarkus.http.host", host);
    System.setProperty("quarkus.http.port", address.substring(colon + 1));
  }
}
