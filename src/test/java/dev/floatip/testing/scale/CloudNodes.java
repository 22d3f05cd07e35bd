package dev.floatip.testing.scale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Synthetic Nodes shaped like a managed cloud's (about 20 KB of JSON each): 25 labels (hostname,
 * os/arch, instance type, region/zone in both spellings, node group, capacity type, …) plus the
 * benchmark's group label, a taint on every third group, the kubelet's five conditions, InternalIP
 * / ExternalIP / Hostname / InternalDNS addresses, nodeInfo, capacity and allocatable, 50 container
 * images with digests, and managedFields of the kubelet and the node controller. Deterministic:
 * node {@code i} is the same in every run.
 *
 * <p>Addresses: InternalIPs from 198.18.0.0/15 (RFC 2544's benchmarking range; the simulated nodes
 * never touch a real interface), ExternalIPs from 203.0.113.0/24.
 */
public final class CloudNodes {

  /** The label that puts a node in a benchmark group: VirtualIPs select groups by it. */
  public static final String GROUP_LABEL = "bench.floatip.dev/group";

  /** The taint on every third group: its VirtualIPs tolerate it. */
  public static final String TAINT_KEY = "bench.floatip.dev/dedicated";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] ZONES = {"a", "b", "c"};
  private static final String[] TYPES = {"m6i.xlarge", "m6i.2xlarge", "c6i.2xlarge"};

  private CloudNodes() {}

  public static String name(int i) {
    return String.format("ip-198-18-%d-%d.bench.internal", (i + 1) / 254, (i + 1) % 254 + 1);
  }

  /** Node {@code i}'s InternalIP. */
  public static InetAddress internalIp(int i) {
    try {
      return InetAddress.getByAddress(
          new byte[] {(byte) 198, 18, (byte) ((i + 1) / 254), (byte) ((i + 1) % 254 + 1)});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String group(int g) {
    return "g" + g;
  }

  /** Whether group {@code g}'s nodes carry the taint {@value #TAINT_KEY}. */
  public static boolean tainted(int g) {
    return g % 3 == 0;
  }

  /** The group of the real agents' nodes. */
  public static final String REAL_GROUP = "real";

  /** The taint of the real agents' nodes: only their own VirtualIPs select them. */
  public static final String REAL_TAINT = "bench.floatip.dev/real";

  /**
   * Node {@code i} for a real agent: the same shape, group {@value #REAL_GROUP}, taint {@value
   * #REAL_TAINT}, {@code internalIp} (its namespace's eth0) as InternalIP.
   */
  public static Node real(int i, String internalIp) {
    Node n = node(i, 1); // (group 1: untainted)
    n.getMetadata().getLabels().put(GROUP_LABEL, REAL_GROUP);
    n.getSpec()
        .setTaints(
            List.of(
                new TaintBuilder()
                    .withKey(REAL_TAINT)
                    .withValue("true")
                    .withEffect("NoSchedule")
                    .build()));
    n.getStatus().getAddresses().stream()
        .filter(a -> a.getType().equals("InternalIP"))
        .forEach(a -> a.setAddress(internalIp));
    n.getMetadata().getAnnotations().put("alpha.kubernetes.io/provided-node-ip", internalIp);
    return n;
  }

  /** Node {@code i} of group {@code g}, with status (create it, then write the status). */
  public static Node node(int i, int g) {
    String name = name(i);
    String ip = internalIp(i).getHostAddress();
    String zone = "bench-1" + ZONES[i % 3];
    String type = TYPES[i % TYPES.length];
    Random random = new Random(i);
    ObjectNode n = JSON.createObjectNode();
    n.put("apiVersion", "v1").put("kind", "Node");
    ObjectNode meta = n.putObject("metadata");
    meta.put("name", name);
    ObjectNode labels = meta.putObject("labels");
    labels.put("beta.kubernetes.io/arch", "amd64");
    labels.put("beta.kubernetes.io/instance-type", type);
    labels.put("beta.kubernetes.io/os", "linux");
    labels.put("failure-domain.beta.kubernetes.io/region", "bench-1");
    labels.put("failure-domain.beta.kubernetes.io/zone", zone);
    labels.put("kubernetes.io/arch", "amd64");
    labels.put("kubernetes.io/hostname", name);
    labels.put("kubernetes.io/os", "linux");
    labels.put("node.kubernetes.io/instance-type", type);
    labels.put("topology.kubernetes.io/region", "bench-1");
    labels.put("topology.kubernetes.io/zone", zone);
    labels.put("topology.ebs.csi.example.com/zone", zone);
    labels.put("cloud.example.com/nodegroup", "workers-" + zone);
    labels.put("cloud.example.com/nodegroup-image", "ami-0" + hex(random, 8));
    labels.put("cloud.example.com/capacityType", i % 5 == 0 ? "SPOT" : "ON_DEMAND");
    labels.put("cloud.example.com/sourceLaunchTemplateId", "lt-0" + hex(random, 8));
    labels.put("cloud.example.com/sourceLaunchTemplateVersion", "7");
    labels.put("cloud.example.com/compute-type", "ec2");
    labels.put("k8s.io/cloud-provider-example", hex(random, 16));
    labels.put("node.kubernetes.io/lifecycle", "normal");
    labels.put("node-role.kubernetes.io/worker", "");
    labels.put("topology.k8s.example.com/network-node-layer-1", "nn-" + hex(random, 8));
    labels.put("topology.k8s.example.com/network-node-layer-2", "nn-" + hex(random, 8));
    labels.put("topology.k8s.example.com/network-node-layer-3", "nn-" + hex(random, 8));
    labels.put(GROUP_LABEL, group(g));
    ObjectNode annotations = meta.putObject("annotations");
    annotations.put("alpha.kubernetes.io/provided-node-ip", ip);
    annotations.put("node.alpha.kubernetes.io/ttl", "0");
    annotations.put("volumes.kubernetes.io/controller-managed-attach-detach", "true");
    annotations.put(
        "csi.volume.kubernetes.io/nodeid",
        "{\"ebs.csi.example.com\":\"i-0" + hex(random, 16) + "\"}");
    managedFields(meta.putArray("managedFields"));
    ObjectNode spec = n.putObject("spec");
    spec.put("providerID", "example://bench-1" + ZONES[i % 3] + "/i-0" + hex(random, 16));
    spec.put("podCIDR", "10.244." + (i % 256) + ".0/24");
    ArrayNode taints = spec.putArray("taints");
    if (tainted(g)) {
      taints.addObject().put("key", TAINT_KEY).put("value", group(g)).put("effect", "NoSchedule");
    }
    if (taints.isEmpty()) {
      spec.remove("taints");
    }
    ObjectNode status = n.putObject("status");
    ArrayNode addresses = status.putArray("addresses");
    addresses.addObject().put("type", "InternalIP").put("address", ip);
    addresses.addObject().put("type", "ExternalIP").put("address", "203.0.113." + (i % 254 + 1));
    addresses.addObject().put("type", "InternalDNS").put("address", name);
    addresses.addObject().put("type", "Hostname").put("address", name);
    ObjectNode capacity = status.putObject("capacity");
    capacity.put("cpu", "4").put("ephemeral-storage", "104845292Ki").put("hugepages-1Gi", "0");
    capacity.put("hugepages-2Mi", "0").put("memory", "16204616Ki").put("pods", "58");
    ObjectNode allocatable = status.putObject("allocatable");
    allocatable
        .put("cpu", "3920m")
        .put("ephemeral-storage", "95551679124")
        .put("hugepages-1Gi", "0");
    allocatable.put("hugepages-2Mi", "0").put("memory", "15187784Ki").put("pods", "58");
    ArrayNode conditions = status.putArray("conditions");
    condition(
        conditions,
        "NetworkUnavailable",
        "False",
        "RouteCreated",
        "RouteController created a route");
    condition(
        conditions,
        "MemoryPressure",
        "False",
        "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available");
    condition(
        conditions,
        "DiskPressure",
        "False",
        "KubeletHasNoDiskPressure",
        "kubelet has no disk pressure");
    condition(
        conditions,
        "PIDPressure",
        "False",
        "KubeletHasSufficientPID",
        "kubelet has sufficient PID available");
    condition(conditions, "Ready", "True", "KubeletReady", "kubelet is posting ready status");
    status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", 10250);
    ObjectNode info = status.putObject("nodeInfo");
    info.put("architecture", "amd64")
        .put("bootID", uuid(random))
        .put("containerRuntimeVersion", "containerd://1.7.22");
    info.put("kernelVersion", "6.1.112-122.189.amzn2023.x86_64").put("kubeProxyVersion", "v1.31.2");
    info.put("kubeletVersion", "v1.31.2")
        .put("machineID", hex(random, 32))
        .put("operatingSystem", "linux");
    info.put("osImage", "Linux 2023.6.20241031").put("systemUUID", uuid(random));
    ArrayNode images = status.putArray("images");
    for (int k = 0; k < 50; k++) {
      String repo =
          "123456789012.dkr.ecr.bench-1.registry.example.com/team-" + (k % 7) + "/service-" + k;
      ObjectNode image = images.addObject();
      image
          .putArray("names")
          .add(repo + "@sha256:" + hex(random, 64))
          .add(repo + ":v1." + k + "." + (i % 3));
      image.put("sizeBytes", 10_000_000L + random.nextInt(400_000_000));
    }
    return Serialization.unmarshal(n.toString(), Node.class);
  }

  private static void condition(
      ArrayNode conditions, String type, String status, String reason, String message) {
    conditions
        .addObject()
        .put("type", type)
        .put("status", status)
        .put("lastHeartbeatTime", "2026-12-01T10:00:00Z")
        .put("lastTransitionTime", "2026-11-20T08:00:00Z")
        .put("reason", reason)
        .put("message", message);
  }

  /** What kubelet, the node controller and the cloud controller manager leave in managedFields. */
  private static void managedFields(ArrayNode fields) {
    ObjectNode kubelet = fields.addObject();
    kubelet.put("manager", "kubelet").put("operation", "Update").put("apiVersion", "v1");
    kubelet.put("time", "2026-11-20T08:00:00Z").put("fieldsType", "FieldsV1");
    ObjectNode k = kubelet.putObject("fieldsV1");
    ObjectNode kmeta = k.putObject("f:metadata");
    ObjectNode kann = kmeta.putObject("f:annotations");
    kann.putObject(".");
    kann.putObject("f:alpha.kubernetes.io/provided-node-ip");
    kann.putObject("f:volumes.kubernetes.io/controller-managed-attach-detach");
    ObjectNode klab = kmeta.putObject("f:labels");
    klab.putObject(".");
    for (String l :
        new String[] {
          "beta.kubernetes.io/arch",
          "beta.kubernetes.io/os",
          "kubernetes.io/arch",
          "kubernetes.io/hostname",
          "kubernetes.io/os",
          "node.kubernetes.io/instance-type",
          "topology.kubernetes.io/region",
          "topology.kubernetes.io/zone",
          "cloud.example.com/nodegroup",
          "cloud.example.com/capacityType"
        }) {
      klab.putObject("f:" + l);
    }
    k.putObject("f:spec").putObject("f:providerID");
    ObjectNode kubeletStatus = fields.addObject();
    kubeletStatus.put("manager", "kubelet").put("operation", "Update").put("apiVersion", "v1");
    kubeletStatus
        .put("time", "2026-12-01T10:00:00Z")
        .put("fieldsType", "FieldsV1")
        .put("subresource", "status");
    ObjectNode ks = kubeletStatus.putObject("fieldsV1").putObject("f:status");
    ObjectNode kconds = ks.putObject("f:conditions");
    for (String t : new String[] {"DiskPressure", "MemoryPressure", "PIDPressure", "Ready"}) {
      ObjectNode c = kconds.putObject("k:{\"type\":\"" + t + "\"}");
      c.putObject("f:lastHeartbeatTime");
      c.putObject("f:lastTransitionTime");
      c.putObject("f:message");
      c.putObject("f:reason");
      c.putObject("f:status");
    }
    ks.putObject("f:allocatable").putObject("f:ephemeral-storage");
    ks.putObject("f:capacity").putObject("f:ephemeral-storage");
    ks.putObject("f:images");
    ks.putObject("f:nodeInfo").putObject("f:bootID");
    ObjectNode controller = fields.addObject();
    controller
        .put("manager", "kube-controller-manager")
        .put("operation", "Update")
        .put("apiVersion", "v1");
    controller.put("time", "2026-11-20T08:00:05Z").put("fieldsType", "FieldsV1");
    ObjectNode c = controller.putObject("fieldsV1");
    c.putObject("f:metadata")
        .putObject("f:annotations")
        .putObject("f:node.alpha.kubernetes.io/ttl");
    c.putObject("f:spec").putObject("f:podCIDR");
    ObjectNode ccm = fields.addObject();
    ccm.put("manager", "cloud-controller-manager")
        .put("operation", "Update")
        .put("apiVersion", "v1");
    ccm.put("time", "2026-11-20T08:00:07Z")
        .put("fieldsType", "FieldsV1")
        .put("subresource", "status");
    ObjectNode cs = ccm.putObject("fieldsV1").putObject("f:status");
    cs.putObject("f:addresses");
    cs.putObject("f:conditions")
        .putObject("k:{\"type\":\"NetworkUnavailable\"}")
        .putObject("f:status");
  }

  private static String hex(Random random, int chars) {
    byte[] b = new byte[(chars + 1) / 2];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b).substring(0, chars);
  }

  private static String uuid(Random random) {
    return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
  }
}
