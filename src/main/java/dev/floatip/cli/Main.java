package dev.floatip.cli;

import io.quarkus.runtime.PreventFurtherStepsException;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.QuarkusBindException;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigValidationException;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;
import picocli.CommandLine;

/**
 * The single entry point: {@code floatip <command>}. {@code agent} goes to {@link AgentMain} before
 * anything of Quarkus starts (issue 15: the agent is plain Java). For the other commands Quarkus
 * boots first, picocli parses, CDI supplies beans; the operator's HTTP endpoint (metrics, health)
 * is configured before boot, on {@code --metrics-address}; short commands open no port.
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

  private static final Set<String> HELP = Set.of("-h", "--help", "-V", "--version");

  public static void main(String... args) {
    FatalErrors.install(); // an Error in any thread ends the process: no half-alive agent
    if (args.length > 0 && args[0].equals(AgentMain.COMMAND)) {
      AgentMain.main(args); // exits: Quarkus never starts
      return;
    }
    configureHttp(List.of(args));
    LogFormat.configure(System.getenv(LogFormat.ENV));
    Quarkus.run(Main.class, Main::exit, args);
  }

  /** {@code floatip agent}, not its help. */
  static boolean runsAgent(List<String> args) {
    return command(args).equals("agent") && args.stream().noneMatch(HELP::contains);
  }

  /**
   * Quarkus hands over the exit status and, when start-up failed, why. Its own report of a port
   * clash advises {@code kill -9}, which for an agent leaves its addresses on the node: this one
   * replaces it.
   */
  private static void exit(int status, Throwable failure) {
    if (failure != null) {
      Throwable root = failure;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      switch (root) {
        case QuarkusBindException bind ->
            System.err.println(portInUse(bind.getHost(), bind.getPort()));
        case ConfigurationException e -> System.err.println(e.getMessage());
        case ConfigValidationException e -> System.err.println(e.getMessage());
        case PreventFurtherStepsException e -> {
          if (e.getMessage() != null && !e.getMessage().isEmpty()) {
            System.err.println(e.getMessage());
          }
        }
        default -> Logger.getLogger(Main.class).error("floatip failed", failure);
      }
    }
    System.exit(status);
  }

  /** What to do about a port clash, without advice that would orphan an agent's addresses. */
  static String portInUse(String host, int port) {
    return String.format(
        "floatip: cannot listen on %s:%d: the address is in use, maybe by another floatip agent."
            + "%n  Find it with 'ss -ltnp sport = :%d'. Stop an agent with SIGTERM (systemctl stop,"
            + " or kill PID), which resigns and removes its addresses; SIGKILL would leave its"
            + " virtual IPs on the node.%n  Or give this one another %s HOST:PORT.",
        host, port, port, AgentCommand.METRICS_ADDRESS);
  }

  private static String command(List<String> args) {
    return args.stream().filter(a -> !a.startsWith("-")).findFirst().orElse("");
  }

  @Override
  public int run(String... args) {
    return new CommandLine(new FloatipCommand(), factory).execute(args);
  }

  static void configureHttp(List<String> args) {
    String command = command(args);
    if (args.stream().anyMatch(HELP::contains)) {
      command = ""; // help and version open no port
    }
    if (!command.equals("operator")) {
      // the operator is not started, so its health check would report the agent down
      System.setProperty(
          "quarkus.smallrye-health.check.\"io.quarkiverse.operatorsdk.runtime.OperatorHealthCheck\".enabled",
          "false");
    }
    String address;
    if (command.equals("operator")) {
      address = DEFAULT_OPERATOR_METRICS_ADDRESS;
    } else {
      // the agent never gets here (AgentMain serves its own port)
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
