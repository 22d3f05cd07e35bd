package dev.floatip.testing;

import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in for a Kubernetes API server: <b>Fabric8's mock server in CRUD mode</b> (not a
 * kube-apiserver: no admission, no CEL/OpenAPI validation, no server-side apply, no table printing,
 * merge patch fixed to RFC 7386 by {@link Rfc7386MergeDispatcher}), plain HTTP without
 * authentication, with the VirtualIP CRD applied (so that the status subresource exists) and
 * optionally some Nodes. It answers JOSDK's leader-election permission check, so {@code floatip
 * operator} runs against it unchanged.
 *
 * <p>In a test: {@link #start}. As a process (the cluster lab and {@code ClusterFailoverIT} run it
 * inside a network namespace): {@code java -cp TEST_CLASSPATH dev.floatip.testing.MockApiServer
 * --listen 192.0.2.250:6443 --node n1=192.0.2.11 --kubeconfig-out /tmp/kubeconfig}; it prints
 * {@value #READY} once it listens and everything is applied, and stops on SIGTERM. {@code
 * hack/mock-apiserver} builds the classpath and runs it.
 */
public final class MockApiServer implements AutoCloseable {

  /** The line the process prints when clients may connect. */
  public static final String READY = "ready";

  /** The CRD, relative to the project root (the working directory of tests and hack/). */
  public static final Path CRD = Path.of("crds", "virtualips.floatip.dev.yaml");

  /** A Node to create: its name and InternalIPs (one per family on a dual-stack node). */
  public record NodeSpec(String name, List<String> internalIps) {
    public NodeSpec {
      internalIps = List.copyOf(internalIps);
    }

    public NodeSpec(String name, String internalIp) {
      this(name, List.of(internalIp));
    }

    /** {@code n1=192.0.2.11} or {@code n1=192.0.2.11,2001:db8::11}. */
    public static NodeSpec parse(String text) {
      int eq = text.indexOf('=');
      if (eq <= 0 || eq == text.length() - 1) {
        throw new IllegalArgumentException("--node wants NAME=IP[,IP], got " + text);
      }
      return new NodeSpec(text.substring(0, eq), List.of(text.substring(eq + 1).split(",")));
    }

    @Override
    public String toString() {
      return name + "=" + String.join(",", internalIps);
    }
  }

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final String url;

  private MockApiServer(KubernetesMockServer server, String url) {
    this.server = server;
    this.url = url;
    this.client = server.createClient();
  }

  /**
   * Starts the server on {@code address:port} (port 0: any free one), applies {@code crd} and
   * creates the nodes.
   */
  public static MockApiServer start(InetAddress address, int port, Path crd, List<NodeSpec> nodes) {
    CustomResourceDefinition def = readCrd(crd);
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            responses,
            Discovery.wrap(
                Rfc7386MergeDispatcher.wrap(new KubernetesMixedDispatcher(responses)),
                List.of(def)),
            false);
    Rfc7386MergeDispatcher.expectLeaderElectionCheck(server);
    server.init(address, port);
    String host = address.getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    MockApiServer api = new MockApiServer(server, "http://" + host + ":" + server.getPort());
    try {
      api.client.apiextensions().v1().customResourceDefinitions().resource(def).create();
      nodes.forEach(api::createNode);
      return api;
    } catch (RuntimeException e) {
      api.close();
      throw e;
    }
  }

  /** {@code http://HOST:PORT}. */
  public String url() {
    return url;
  }

  public int port() {
    return server.getPort();
  }

  /** Another client of the server; the caller closes it. */
  public KubernetesClient newClient() {
    return server.createClient();
  }

  /** A client of the server (the mock's own vert.x client; closed with the server). */
  public KubernetesClient client() {
    return client;
  }

  private static CustomResourceDefinition readCrd(Path crd) {
    try (InputStream in = Files.newInputStream(crd)) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CRD " + crd, e);
    }
  }

  /**
   * Creates a Ready Node with {@code status.addresses} InternalIP (what the agents discover peers
   * from) and the {@code kubernetes.io/hostname} label. The status goes in by a second write, as
   * the API server drops it on create.
   */
  public void createNode(NodeSpec spec) {
    var node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(spec.name())
            .addToLabels("kubernetes.io/hostname", spec.name())
            .addToLabels("kubernetes.io/os", "linux")
            .endMetadata()
            .withNewStatus()
            .withAddresses(
                spec.internalIps().stream()
                    .map(
                        ip ->
                            new NodeAddressBuilder().withType("InternalIP").withAddress(ip).build())
                    .toList())
            .addNewAddress()
            .withType("Hostname")
            .withAddress(spec.name())
            .endAddress()
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .withReason("KubeletReady")
            .endCondition()
            .endStatus()
            .build();
    var created = client.nodes().resource(node).create();
    if (created.getStatus() == null || created.getStatus().getAddresses().isEmpty()) {
      created.setStatus(node.getStatus());
      client.nodes().resource(created).updateStatus();
    }
  }

  /**
   * A kubeconfig for this server: one cluster, context and (credential-less) user named {@code
   * floatip-mock}, default namespace {@code default}.
   */
  public String kubeconfig() {
    return kubeconfig(url);
  }

  static String kubeconfig(String server) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: floatip-mock
          cluster:
            server: %s
        users:
        - name: floatip-mock
          user: {}
        contexts:
        - name: floatip-mock
          context:
            cluster: floatip-mock
            user: floatip-mock
            namespace: default
        current-context: floatip-mock
        """
        .formatted(server);
  }

  /** Writes {@link #kubeconfig()} to {@code file} (atomically: readers never see half a file). */
  public Path writeKubeconfig(Path file) {
    try {
      Path abs = file.toAbsolutePath();
      Files.createDirectories(abs.getParent());
      Path tmp = Files.createTempFile(abs.getParent(), ".kubeconfig", ".tmp");
      Files.writeString(tmp, kubeconfig(), StandardCharsets.UTF_8);
      return Files.move(
          tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  /**
   * The classpath of test-scope programs run as processes: test classes, classes and the test
   * dependencies the build lists in {@code target/test-classpath.txt} (failsafe passes its path as
   * {@code floatip.test-classpath}). Pass it as the {@code CLASSPATH} environment variable.
   */
  public static String testClasspath() {
    Path file =
        Path.of(System.getProperty("floatip.test-classpath", "target/test-classpath.txt"))
            .toAbsolutePath();
    if (!Files.isRegularFile(file)) {
      throw new AssertionError(
          file + " is missing: the build writes it in process-test-classes (mvn verify does)");
    }
    Path target = file.getParent();
    try {
      return target.resolve("test-classes")
          + ":"
          + target.resolve("classes")
          + ":"
          + Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code java … MockApiServer ARGS…} with this JDK; run it with {@link #testClasspath()}. */
  public static List<String> processCommand(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                MockApiServer.class.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** The process: see the class comment; {@code --help} lists the options. */
  public static void main(String... args) throws InterruptedException {
    Map<String, List<String>> opts;
    try {
      opts = options(args);
    } catch (IllegalArgumentException e) {
      System.err.println("mock-apiserver: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (opts.containsKey("--help")) {
      System.out.println(USAGE);
      return;
    }
    String listen = last(opts, "--listen", "127.0.0.1:0");
    int colon = listen.lastIndexOf(':');
    InetAddress address;
    int port;
    try {
      address = literal(listen.substring(0, colon).replaceAll("^\\[|]$", ""));
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (UnknownHostException | RuntimeException e) {
      System.err.println("mock-apiserver: --listen wants HOST:PORT, got " + listen);
      System.exit(2);
      return;
    }
    if (!opts.containsKey("--verbose")) {
      // the mock logs every request at INFO; agents and the operator make many
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
          .setLevel(java.util.logging.Level.WARNING);
    }
    List<NodeSpec> nodes =
        opts.getOrDefault("--node", List.of()).stream().map(NodeSpec::parse).toList();
    Path crd = Path.of(last(opts, "--crd", CRD.toString()));

    MockApiServer api = start(address, port, crd, nodes);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  api.close();
                  stopped.countDown();
                },
                "mock-apiserver-stop"));
    String out = last(opts, "--kubeconfig-out", null);
    if (out != null) {
      api.writeKubeconfig(Path.of(out));
    }
    System.out.println(
        "Fabric8 Kubernetes mock server (CRUD mode, not a kube-apiserver) on "
            + api.url()
            + (nodes.isEmpty() ? "" : ", nodes " + nodes)
            + (out == null ? "" : ", kubeconfig " + out));
    System.out.println(READY);
    System.out.flush();
    stopped.await();
  }

  static final String USAGE =
      """
      usage: MockApiServer [--listen HOST:PORT] [--node NAME=IP[,IP]]... \
      [--kubeconfig-out FILE] [--crd FILE]
        --listen          address and port to serve plain HTTP on (default 127.0.0.1:0)
        --node            NAME=IP[,IP]: create a Ready Node with these InternalIPs (repeatable)
        --kubeconfig-out  write a kubeconfig pointing at the server
        --crd             the VirtualIP CRD to apply (default crds/virtualips.floatip.dev.yaml)
        --verbose         log every request
      Prints "ready" when clients may connect; stops on SIGTERM.""";

  private static final List<String> WITH_VALUE =
      List.of("--listen", "--node", "--kubeconfig-out", "--crd");

  static Map<String, List<String>> options(String... args) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      if (name.equals("--help") || name.equals("-h") || name.equals("--verbose")) {
        out.put(name.equals("-h") ? "--help" : name, List.of());
        continue;
      }
      if (!WITH_VALUE.contains(name)) {
        throw new IllegalArgumentException("unknown option " + a);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args[++i];
      }
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  /**
   * The address of an IP literal, named by that literal: the mock server names its URL after {@link
   * InetAddress#getHostName()}, which would otherwise try a reverse DNS lookup (slow or failing
   * inside a network namespace).
   */
  public static InetAddress literal(String ip) throws UnknownHostException {
    return InetAddress.getByAddress(ip, InetAddress.getByName(ip).getAddress());
  }

  private static String last(Map<String, List<String>> opts, String name, String otherwise) {
    List<String> v = opts.get(name);
    return v == null || v.isEmpty() ? otherwise : v.getLast();
  }
}
