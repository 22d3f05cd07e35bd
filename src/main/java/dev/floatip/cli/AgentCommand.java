package dev.floatip.cli;

import dev.floatip.agent.AgentHttp;
import dev.floatip.agent.AgentRuntime;
import dev.floatip.agent.MonotonicClock;
import dev.floatip.agent.StandaloneAgent;
import dev.floatip.agent.cluster.ClusterAgent;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.ConfigError;
import dev.floatip.dataplane.Dataplane;
import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.linux.LinuxDataplane;
import dev.floatip.kube.ApiRate;
import dev.floatip.kube.ApiRateEnv;
import dev.floatip.kube.ApiRateLimit;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code floatip agent}: run the node agent. Plain Java, no Quarkus and no CDI ({@link AgentMain}):
 * the start-up is what the agent needs before its first advert, then the HTTP side ({@link
 * AgentHttp}).
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Run the node agent: VRRP for every VirtualIP that selects this node.")
public class AgentCommand implements Callable<Integer> {

  private static final Logger LOG = Logger.getLogger(AgentCommand.class);

  /** Resign, remove the addresses, let STOP hooks start; the rest of the second is the JVM's. */
  private static final Duration SHUTDOWN = Duration.ofMillis(700);

  private AgentRuntime runtime;
  private AgentHttp http;

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
    InetSocketAddress address = address(metricsAddress);
    if (address == null) {
      System.err.println(
          "floatip agent: "
              + METRICS_ADDRESS
              + " '"
              + metricsAddress
              + "' is not HOST:PORT (e.g. 127.0.0.1:9654)");
      return 2;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    runtime = new AgentRuntime(registry);
    try {
      // the port first: a clash must stop this agent before it touches the node
      http = AgentHttp.bind(address, runtime, registry);
    } catch (BindException e) {
      System.err.println(Main.portInUse(address.getHostString(), address.getPort()));
      return 1;
    } catch (IllegalArgumentException e) {
      System.err.println("floatip agent: " + e.getMessage());
      return 2;
    }
    try (AgentHttp serving = http) {
      return run(config, node, rate, signals);
    }
  }

  private Integer run(Path config, String node, ApiRate rate, AgentSignals signals)
      throws Exception {
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
    http.start(); // after the routers started: not on the way to the first advert
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
    http.start();
    // the informers pick up every change; HUP has nothing to reload
    signals.running(() -> {});
    signals.awaitStop();
    long stopping = stopping();
    runtime.stopped();
    agent.shutdown(SHUTDOWN);
    return stopped(stopping);
  }

  /**
   * Fabric8 on the JDK's HttpClient (no Vert.x/Netty in the agent), configured from KUBECONFIG,
   * ~/.kube/config or the pod's service account as Quarkus' client was, with the agent's own
   * client-side rate limit ({@link ApiRateEnv#QPS}/{@link ApiRateEnv#BURST}): every agent of a
   * cluster bounds its requests.
   */
  static KubernetesClient client(ApiRate rate) {
    // the JDK client's selector thread must not block; its executor threads may
    ApiRateLimit limit =
        ApiRateLimit.of(rate, () -> !Thread.currentThread().getName().endsWith("SelectorManager"));
    LOG.debugf("API requests limited to %s/s, burst %d", rate.qps(), rate.burst());
    return new KubernetesClientBuilder()
        .withKubernetesSerialization(serialization())
        .withConfig(Config.autoConfigure(null))
        .withHttpClientFactory(new JdkHttpClientFactory())
        .withHttpClientBuilderConsumer(limit::addTo)
        .build();
  }

  /**
   * As Quarkus' bean: no class-path scan of every Kubernetes model class (hundreds of classes
   * loaded at start), only the kinds the agent reads registered.
   */
  static KubernetesSerialization serialization() {
    KubernetesSerialization s = new KubernetesSerialization(AgentHttp.objectMapper(), false);
    s.registerKubernetesResource(VirtualIP.class);
    s.registerKubernetesResource(Node.class);
    s.registerKubernetesResource(Pod.class);
    s.registerKubernetesResource(Secret.class);
    return s;
  }

  /** {@code HOST:PORT} (IPv6 hosts in brackets or not), or null. */
  static InetSocketAddress address(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0) {
      return null;
    }
    String host = value.substring(0, colon).replaceAll("^\\[|]$", "");
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (port < 0 || port > 65535) {
        return null;
      }
      return new InetSocketAddress(host, port);
    } catch (NumberFormatException e) {
      return null;
    }
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
