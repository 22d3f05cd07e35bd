package dev.floatip.testing;

import dev.floatip.operator.model.AgentRbacFactory;
import dev.floatip.operator.model.OperatorConfig;
import dev.floatip.testing.apiserver.CrdAdmission;
import dev.floatip.testing.apiserver.Identity;
import dev.floatip.testing.apiserver.RbacPolicy;
import dev.floatip.testing.apiserver.StrictDispatcher;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for a Kubernetes API server that refuses what kube-apiserver refuses, for every call
 * floatip makes: Fabric8's mock server in CRUD mode stores the objects, and {@link
 * StrictDispatcher} in front of it authenticates bearer tokens ({@link Identity}: admin, the
 * operator's and the agents' ServiceAccounts; none or unknown: 401), authorizes with the RBAC
 * authorizer over the RBAC objects it holds (403), runs the RBAC registry's escalation and bind
 * checks, the VirtualIP CRD's admission (schema, defaults, pruning, CEL rules, status subresource)
 * and the built-in validation (422), answers SelfSubjectRulesReviews, the pod field selector {@code
 * spec.nodeName} and, after {@link #compact()}, 410 Expired to watches from older resourceVersions.
 * At start it holds the default namespaces, the CRD, and the Namespace, ServiceAccounts and RBAC
 * objects of manifests/install.yaml (the chart rendered with default values), as {@code helm
 * install} leaves them.
 *
 * <p>It is still a test double: plain HTTP, no server-side apply, no table printing, no OpenAPI, no
 * controllers (no pods run, nothing garbage-collects), fixed tokens, and the CRUD mock's watch
 * replays every matching object on open.
 *
 * <p>In a test: {@link #start}, then {@link #client(Identity)}. As a process (the cluster lab and
 * {@code ClusterFailoverIT} run it inside a network namespace): {@code java -cp TEST_CLASSPATH
 * dev.floatip.testing.MockApiServer --listen 192.0.2.250:6443 --node n1=192.0.2.11 --kubeconfig-out
 * admin=/tmp/admin --kubeconfig-out operator=/tmp/operator --kubeconfig-out agent=/tmp/agent}; it
 * prints {@value #READY} once it listens and everything is applied, and stops on SIGTERM. {@code
 * hack/mock-apiserver} builds the classpath and runs it.
 */
public final class MockApiServer implements AutoCloseable {

  /** The line the process prints when clients may connect. */
  public static final String READY = "ready";

  /** The CRD, relative to the project root (the working directory of tests and hack/). */
  public static final Path CRD = Path.of("crds", "virtualips.floatip.dev.yaml");

  /** The chart rendered with default values (hack/render-manifests.sh; HelmChartTest). */
  public static final Path INSTALL = Path.of("manifests", "install.yaml");

  /** The namespace the chart installs into: the operator's and the agents'. */
  public static final String NAMESPACE = Identity.NAMESPACE;

  /** The kinds of a rendered chart that {@code helm install} leaves in the API server. */
  private static final List<String> INSTALLED_KINDS =
      List.of(
          "Namespace",
          "ServiceAccount",
          "ClusterRole",
          "ClusterRoleBinding",
          "Role",
          "RoleBinding");

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
  private final StrictDispatcher strict;
  private final String url;
  private final Map<Identity, KubernetesClient> clients = new EnumMap<>(Identity.class);

  private MockApiServer(KubernetesMockServer server, StrictDispatcher strict, String url) {
    this.server = server;
    this.strict = strict;
    this.url = url;
  }

  /** {@link #start(InetAddress, int, Path, List, List)} with manifests/install.yaml. */
  public static MockApiServer start(InetAddress address, int port, Path crd, List<NodeSpec> nodes) {
    return start(address, port, crd, nodes, List.of(INSTALL));
  }

  /** On loopback, any port, the committed CRD and chart, no nodes. */
  public static MockApiServer start() {
    return start(InetAddress.getLoopbackAddress(), 0, CRD, List.of());
  }

  /**
   * Starts the server on {@code address:port} (port 0: any free one), creates the namespaces
   * default, kube-system and kube-public, applies {@code crd}, installs the Namespaces,
   * ServiceAccounts and RBAC objects of {@code manifests} (rendered charts, e.g. {@code helm
   * template} output) and creates the nodes.
   */
  public static MockApiServer start(
      InetAddress address, int port, Path crd, List<NodeSpec> nodes, List<Path> manifests) {
    CustomResourceDefinition def = readCrd(crd);
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    StrictDispatcher strict =
        new StrictDispatcher(
            new KubernetesMixedDispatcher(responses),
            RbacPolicy.of(List.of()),
            CrdAdmission.load(crd));
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            responses,
            Discovery.wrap(strict, List.of(def)),
            false);
    server.init(address, port);
    String host = address.getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    MockApiServer api =
        new MockApiServer(server, strict, "http://" + host + ":" + server.getPort());
    try {
      KubernetesClient admin = api.client();
      for (String ns : List.of("default", "kube-system", "kube-public")) {
        admin
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .create();
      }
      admin.apiextensions().v1().customResourceDefinitions().resource(def).create();
      for (Path manifest : manifests) {
        api.install(manifest);
      }
      nodes.forEach(api::createNode);
      return api;
    } catch (RuntimeException e) {
      api.close();
      throw e;
    }
  }

  /**
   * Creates what {@code helm install} would of a rendered chart: its Namespaces, ServiceAccounts
   * and RBAC objects (not the workloads and Services: nothing here would run them), as admin.
   */
  public void install(Path manifest) {
    List<HasMetadata> items;
    try (InputStream in = Files.newInputStream(manifest)) {
      items = client().load(in).items();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + manifest, e);
    }
    for (HasMetadata item : items) {
      if (item != null && INSTALLED_KINDS.contains(item.getKind())) {
        client().resource(item).createOr(r -> r.update());
      }
    }
  }

  /**
   * The agents' ServiceAccount, ClusterRole (no Secret rule) and ClusterRoleBinding, written as
   * admin as the operator writes them for its first VirtualIP (AgentRbacFactory): for tests that
   * run agents without an operator.
   */
  public void createAgentRbac() {
    OperatorConfig cfg = OperatorConfig.defaults().withNamespace(NAMESPACE);
    KubernetesClient admin = client();
    admin.resource(AgentRbacFactory.serviceAccount(cfg)).createOr(r -> r.update());
    admin.resource(AgentRbacFactory.clusterRole(cfg)).createOr(r -> r.update());
    admin.resource(AgentRbacFactory.clusterRoleBinding(cfg)).createOr(r -> r.update());
  }

  /** Creates a namespace (as admin): nothing can be created in one that does not exist. */
  public void createNamespace(String name) {
    client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(r -> r.update());
  }

  /**
   * Forgets every resourceVersion issued so far and closes the open watches: clients re-watch, get
   * 410 Expired and must list again (see {@link StrictDispatcher#compact()}).
   */
  public void compact() {
    strict.compact();
  }

  /** How many watches were answered 410 Expired since the start. */
  public int expiredWatches() {
    return strict.expiredWatches();
  }

  /** The requests answered so far, by caller, verb and resource (for the scale benchmark). */
  public dev.floatip.testing.apiserver.RequestCounter requests() {
    return strict.counter();
  }

  /** The refusals (401, 403, 404 from admission, 415, 422…) answered so far, as logged. */
  public List<String> refusals() {
    return strict.refusals();
  }

  /**
   * The refusals of floatip's own components (operator and agents): 401, 403 and 422 answers to
   * their ServiceAccounts, i.e. a missing RBAC rule or an object kube-apiserver would not accept.
   * Tests end by checking it is empty.
   */
  public List<String> componentRefusals() {
    return componentRefusals(refusals());
  }

  /** {@link #componentRefusals()} of logged refusal lines (the server process's log). */
  public static List<String> componentRefusals(List<String> lines) {
    return lines.stream()
        .filter(
            l -> l.startsWith("test-apiserver refused system:serviceaccount:" + NAMESPACE + ":"))
        .filter(l -> l.matches(".*: (401|403|422) .*"))
        .toList();
  }

  /** The next {@code times} requests {@code METHOD PATH} fail with {@code code} (an outage). */
  public void failNext(String method, String path, int code, int times) {
    strict.failNext(method, path, code, times);
  }

  /** The next request the server received, or null after the timeout. */
  public RecordedRequest takeRequest(long timeout, TimeUnit unit) throws InterruptedException {
    return server.takeRequest(timeout, unit);
  }

  /** {@code http://HOST:PORT}. */
  public String url() {
    return url;
  }

  public int port() {
    return server.getPort();
  }

  /** A new client authenticating as {@code identity}; the caller closes it. */
  public KubernetesClient newClient(Identity identity) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url + "/")
            .withNamespace("default")
            .withHttp2Disable(true)
            .withOauthToken(identity.token())
            .build();
    return server.createClient(b -> b.withConfig(config));
  }

  /** A client authenticating as {@code identity}, closed with the server. */
  public synchronized KubernetesClient client(Identity identity) {
    return clients.computeIfAbsent(identity, this::newClient);
  }

  /** The admin client (system:masters), closed with the server. */
  public KubernetesClient client() {
    return client(Identity.ADMIN);
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
    var created = client().nodes().resource(node).create();
    if (created.getStatus() == null || created.getStatus().getAddresses().isEmpty()) {
      created.setStatus(node.getStatus());
      client().nodes().resource(created).updateStatus();
    }
  }

  /**
   * A kubeconfig for this server authenticating as {@code identity}: one cluster, context and user
   * named {@code floatip-mock-IDENTITY}, default namespace {@code default}.
   */
  public String kubeconfig(Identity identity) {
    return kubeconfig(url, identity);
  }

  static String kubeconfig(String server, Identity identity) {
    String name = "floatip-mock-" + identity.name().toLowerCase(java.util.Locale.ROOT);
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: floatip-mock
          cluster:
            server: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: %s
          context:
            cluster: floatip-mock
            user: %s
            namespace: default
        current-context: %s
        """
        .formatted(server, name, identity.token(), name, name, name);
  }

  /**
   * Writes {@link #kubeconfig(Identity)} to {@code file} (atomically: readers never see half a
   * file).
   */
  public Path writeKubeconfig(Path file, Identity identity) {
    try {
      Path abs = file.toAbsolutePath();
      Files.createDirectories(abs.getParent());
      Path tmp = Files.createTempFile(abs.getParent(), ".kubeconfig", ".tmp");
      Files.writeString(tmp, kubeconfig(identity), StandardCharsets.UTF_8);
      return Files.move(
          tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(KubernetesClient::close);
    clients.clear();
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
    List<Path> manifests = new ArrayList<>(List.of(INSTALL));
    opts.getOrDefault("--rbac", List.of()).forEach(f -> manifests.add(Path.of(f)));
    Map<Identity, Path> kubeconfigs = new LinkedHashMap<>();
    try {
      for (String out : opts.getOrDefault("--kubeconfig-out", List.of())) {
        int eq = out.indexOf('=');
        Identity id = eq < 0 ? Identity.ADMIN : Identity.parse(out.substring(0, eq));
        kubeconfigs.put(id, Path.of(out.substring(eq + 1)));
      }
    } catch (IllegalArgumentException e) {
      System.err.println("mock-apiserver: --kubeconfig-out wants [admin|operator|agent=]FILE");
      System.exit(2);
      return;
    }

    MockApiServer api = start(address, port, crd, nodes, manifests);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  api.close();
                  stopped.countDown();
                },
                "mock-apiserver-stop"));
    kubeconfigs.forEach((id, file) -> api.writeKubeconfig(file, id));
    System.out.println(
        "test API server (Fabric8's mock store behind RBAC, admission and validation; not a"
            + " kube-apiserver) on "
            + api.url()
            + ", RBAC from "
            + manifests
            + (nodes.isEmpty() ? "" : ", nodes " + nodes)
            + (kubeconfigs.isEmpty() ? "" : ", kubeconfigs " + kubeconfigs));
    System.out.println(READY);
    System.out.flush();
    stopped.await();
  }

  static final String USAGE =
      """
      usage: MockApiServer [--listen HOST:PORT] [--node NAME=IP[,IP]]... \
      [--kubeconfig-out [IDENTITY=]FILE]... [--crd FILE] [--rbac FILE]...
        --listen          address and port to serve plain HTTP on (default 127.0.0.1:0)
        --node            NAME=IP[,IP]: create a Ready Node with these InternalIPs (repeatable)
        --kubeconfig-out  IDENTITY=FILE: write a kubeconfig authenticating as admin, operator
                          (ServiceAccount floatip/floatip-operator) or agent (floatip/floatip-agent);
                          FILE alone means admin (repeatable)
        --crd             the VirtualIP CRD to apply (default crds/virtualips.floatip.dev.yaml)
        --rbac            a rendered chart (helm template) or RBAC manifest whose Namespaces,
                          ServiceAccounts and RBAC objects are created after manifests/install.yaml
                          (repeatable)
        --verbose         log every request
      Prints "ready" when clients may connect; stops on SIGTERM.""";

  private static final List<String> WITH_VALUE =
      List.of("--listen", "--node", "--kubeconfig-out", "--crd", "--rbac");

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
