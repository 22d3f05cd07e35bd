package dev.floatip.cli;

import dev.floatip.agent.AgentRuntime;
import dev.floatip.agent.MonotonicClock;
import dev.floatip.agent.StandaloneAgent;
import dev.floatip.agent.cluster.ClusterAgent;
import dev.floatip.config.ConfigError;
import dev.floatip.dataplane.Dataplane;
import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.linux.LinuxDataplane;
import dev.floatip.kube.ApiRate;
import dev.floatip.kube.ApiRateEnv;
import dev.floatip.kube.ApiRateLimit;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code floatip agent}: run the node agent. */
@Dependent
@Unremovable
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Run the node agent: VRRP for every VirtualIP that selects this node.")
public class AgentCommand implements Callable<Integer> {

  private static final Logger LOG = Logger.getLogger(AgentCommand.class);

  /** Resign, remove the addresses, let STOP hooks start; the rest of the second is Quarkus'. */
  private static final Duration SHUTDOWN = Duration.ofMillis(700);

  @Inject AgentRuntime runtime;

  /** Created only in cluster mode: from KUBECONFIG, ~/.kube/config or the pod's service account. */
  @Inject Instance<Config> kubeConfig;

  @Inject Instance<KubernetesSerialization> kubeSerialization;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "YAML file with VirtualIP documents (standalone mode, no Kubernetes). Without it the"
              + " agent runs in cluster mode: VirtualIPs from the API server.")
  Path config;

  static final String METRICS_ADDRESS = "--metrics-address";

  @Option(
      names = METRICS_ADDRESS,
      paramLabel = "HOST:PORT",
      defaultValue = Main.DEFAULT_METRICS_ADDRESS,
      description =
          "Where to serve /q/metrics (Prometheus), /q/health and /status (default: ${DEFAULT-VALUE};"
              + " 0.0.0.0:PORT to let Prometheus scrape it).")
  String metricsAddress;

  @Option(
      names = "--node-name",
      paramLabel = "NAME",
      description =
          "This node's name: the Kubernetes Node in cluster mode (default: $NODE_NAME), the name"
              + " for priority.nodes / priority.order standalone (default: short host name).")
  String nodeName;

  @Override
  public Integer call() throws Exception {
    // installed first thing in Main.main; here only when run without it (tests)
    AgentSignals signals = AgentSignals.install();
    String node = nodeName != null ? nodeName : System.getenv("NODE_NAME");
    if (config == null && (node == null || node.isBlank())) {
      System.err.println(
          "floatip agent: give --config FILE (standalone), or --node-name / NODE_NAME (cluster"
              + " mode, driven by VirtualIP resources)");
      return 2;
    }
    ApiRate rate = null;
    if (config == null) {
      try {
        rate = ApiRateEnv.read(System.getenv(), ApiRate.AGENT_DEFAULT);
      } catch (IllegalArgumentException e) {
        System.err.println("floatip agent: " + e.getMessage());
        return 2;
      }
    }
    Dataplane dataplane;
    switch (LinuxDataplane.open()) {
      case IoResult.Ok<LinuxDataplane> ok -> dataplane = ok.value();
      case IoResult.Failed<LinuxDataplane> failed -> {
        System.err.println(
            "floatip agent: no netlink access: "
                + failed.message()
                + " (needs CAP_NET_ADMIN and CAP_NET_RAW)");
        return 1;
      }
    }
    try (dataplane) {
      return config != null
          ? standalone(node != null ? node : shortHostName(), dataplane, signals)
          : cluster(node, rate, dataplane, signals);
    }
  }

  private int standalone(String node, Dataplane dataplane, AgentSignals signals)
      throws InterruptedException {
    StandaloneAgent agent =
        new StandaloneAgent(
            config, node, dataplane, new MonotonicClock(), List.of(runtime.metrics()));
    if (!signals.starting()) {
      return 0;
    }
    List<ConfigError> errors = agent.start();
    if (!errors.isEmpty()) {
      errors.forEach(e -> System.err.println(e));
      return 2;
    }
    runtime.started(agent.loop(), agent::checks, agent::notRun);
    signals.running(agent::requestReload);
    signals.awaitStop();
    // resign (priority 0), remove the addresses, exit 0: all within a second
    long stopping = stopping();
    runtime.stopped();
    agent.shutdown(SHUTDOWN);
    return stopped(stopping);
  }

  private int cluster(String node, ApiRate rate, Dataplane dataplane, AgentSignals signals)
      throws InterruptedException {
    try (KubernetesClient client = client(rate)) {
      return cluster(node, client, dataplane, signals);
    }
  }

  private int cluster(
      String node, KubernetesClient client, Dataplane dataplane, AgentSignals signals)
      throws InterruptedException {
    String namespace =
        Optional.ofNullable(System.getenv("POD_NAMESPACE"))
            .or(() -> Optional.ofNullable(client.getNamespace()))
            .orElse("floatip");
    ClusterAgent agent =
        new ClusterAgent(
            client, node, namespace, dataplane, new MonotonicClock(), List.of(runtime.metrics()));
    if (!signals.starting()) {
      return 0;
    }
    agent.start();
    runtime.started(agent.loop(), agent::checks, agent::notRun);
    // the informers pick up every change; HUP has nothing to reload
    signals.running(() -> {});
    signals.awaitStop();
    long stopping = stopping();
    runtime.stopped();
    agent.shutdown(SHUTDOWN);
    return stopped(stopping);
  }

  /**
   * Quarkus' client settings with the agent's own client-side rate limit ({@link
   * ApiRateEnv#QPS}/{@link ApiRateEnv#BURST}): every agent of a cluster bounds its requests.
   */
  private KubernetesClient client(ApiRate rate) {
    ApiRateLimit limit = ApiRateLimit.of(rate);
    LOG.debugf("API requests limited to %s/s, burst %d", rate.qps(), rate.burst());
    return new KubernetesClientBuilder()
        .withKubernetesSerialization(kubeSerialization.get())
        .withConfig(kubeConfig.get())
        .withHttpClientBuilderConsumer(limit::addTo)
        .build();
  }

  private static long stopping() {
    LOG.info("stopping: resigning and removing the addresses");
    return System.nanoTime();
  }

  private static int stopped(long since) {
    LOG.infof("stopped in %d ms; exiting", (System.nanoTime() - since) / 1_000_000);
    return 0;
  }

  static String shortHostName() throws IOException {
    String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    int dot = host.indexOf('.');
    return dot < 0 ? host : host.substring(0, dot);
  }
}
