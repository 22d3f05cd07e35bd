package dev.floatip.cli;

import io.javaoperatorsdk.operator.Operator;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code floatip operator}: run the operator (leader-elected; see LeaderElection). */
@Dependent
@Unremovable
@Command(
    name = "operator",
    description =
        "Run the operator: the agent DaemonSet, VRID allocation and status for every VirtualIP.")
public class OperatorCommand implements Callable<Integer> {

  static final String METRICS_ADDRESS = "--metrics-address";

  @Inject Instance<Operator> operator;

  @Option(
      names = METRICS_ADDRESS,
      paramLabel = "HOST:PORT",
      defaultValue = Main.DEFAULT_OPERATOR_METRICS_ADDRESS,
      description =
          "Where to serve /q/metrics (Prometheus) and /q/health (default: ${DEFAULT-VALUE}).")
  String metricsAddress;

  @Override
  public Integer call() {
    operator.get().start();
    Quarkus.waitForExit();
    return 0;
  }
}
