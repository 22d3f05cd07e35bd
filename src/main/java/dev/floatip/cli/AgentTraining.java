package dev.floatip.cli;

import dev.floatip.agent.AgentHttp;
import dev.floatip.agent.AgentRuntime;
import dev.floatip.agent.EventLoop;
import dev.floatip.config.ConfigFile;
import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.linux.LinuxDataplane;
import dev.floatip.kube.ApiRate;
import dev.floatip.vrrp.Advertisement;
import dev.floatip.vrrp.Authentication;
import dev.floatip.vrrp.VrrpCodec;
import dev.floatip.vrrp.VrrpVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import picocli.CommandLine;

/**
 * {@code AgentMain train [standalone|cluster]}: the JDK AOT cache's training run ({@code
 * -XX:AOTCacheOutput}). It loads and links what a real start loads, without touching the node and
 * without CAP_NET_ADMIN (the image build has none): the option parsing, the log formats, a
 * standalone config with its validation, VRRP frames, the Linux dataplane's netlink side when it
 * opens, the event loop, the Prometheus registry and the HTTP port with every endpoint; for {@code
 * cluster} also the Kubernetes client (built, never connected). A JDK 25 cache loads every class it
 * holds at start-up, so a standalone agent gets a cache without the client (about 1,000 classes of
 * Fabric8, TLS and java.net.http it would never use).
 */
final class AgentTraining {

  private static final Logger LOG = Logger.getLogger(AgentTraining.class);

  static final String COMMAND = "train";

  /** What the cache is for. */
  enum Mode {
    STANDALONE,
    CLUSTER
  }

  private static final String CONFIG =
      """
      apiVersion: floatip.dev/v1alpha1
      kind: VirtualIP
      metadata:
        name: training
      spec:
        addresses: [192.0.2.10/24, 2001:db8::10/64]
        interface: eth0
        virtualRouterId: 51
        advertisementInterval: 1s
        transport:
          mode: Multicast
        priority:
          order: [n1, n2]
      """;

  private AgentTraining() {}

  static int run(Mode mode) throws Exception {
    LogFormat.configurePlain("text");
    LOG.info("AOT training run: loading what an agent start loads");
    LogFormat.json(LogFormat.properties());
    new CommandLine(new AgentCommand())
        .parseArgs(
            "--config", "/dev/null", "--node-name", "n1", "--metrics-address", "127.0.0.1:0");
    if (ConfigFile.parse("training.yaml", CONFIG) instanceof ConfigFile.Invalid invalid) {
      throw new IllegalStateException("the training config does not load: " + invalid.errors());
    }
    ConfigFile.parse("bad.yaml", CONFIG.replace("51", "512")); // the errors' path too
    Advertisement adv =
        new Advertisement(
            VrrpVersion.V3,
            51,
            100,
            Duration.ofSeconds(1),
            List.of(InetAddress.getByName("192.0.2.10")),
            Authentication.NONE);
    byte[] frame =
        VrrpCodec.encode(
            adv, InetAddress.getByName("192.0.2.1"), InetAddress.getByName("224.0.0.18"));
    VrrpCodec.decode(
        frame, InetAddress.getByName("192.0.2.1"), InetAddress.getByName("224.0.0.18"));

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AgentRuntime runtime = new AgentRuntime(registry);
    if (LinuxDataplane.open() instanceof IoResult.Ok<LinuxDataplane> ok) {
      try (LinuxDataplane dataplane = ok.value();
          EventLoop loop =
              new EventLoop(Clock.systemUTC(), dataplane, List.of(runtime.metrics()))) {
        loop.start();
        runtime.started(loop, vip -> Optional.empty());
        serve(runtime, registry);
        runtime.stopped();
      }
    } else {
      serve(runtime, registry);
    }
    if (mode == Mode.CLUSTER) {
      try (KubernetesClient client = AgentCommand.client(ApiRate.AGENT_DEFAULT)) {
        client.resources(dev.floatip.api.v1alpha1.VirtualIP.class).inNamespace("x");
      }
    }
    LOG.infof("AOT training run (%s) done", mode.name().toLowerCase(java.util.Locale.ROOT));
    return 0;
  }

  private static void serve(AgentRuntime runtime, PrometheusMeterRegistry registry)
      throws IOException {
    try (AgentHttp http =
        AgentHttp.bind(new InetSocketAddress("127.0.0.1", 0), runtime, registry)) {
      http.start();
      for (String path : List.of("/q/health/live", "/q/health/ready", "/q/metrics", "/status")) {
        try (Socket s = new Socket()) {
          s.connect(http.address(), 5_000);
          s.setSoTimeout(5_000);
          OutputStream out = s.getOutputStream();
          out.write(
              ("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          s.getInputStream().readAllBytes();
        }
      }
    }
  }
}
