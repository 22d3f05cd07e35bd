package dev.floatip.config;

import dev.floatip.api.v1alpha1.AuthenticationSpec;
import dev.floatip.api.v1alpha1.GratuitousArpSpec;
import dev.floatip.api.v1alpha1.PrioritySpec;
import dev.floatip.api.v1alpha1.Schema;
import dev.floatip.api.v1alpha1.SecretKeyRef;
import dev.floatip.api.v1alpha1.TransportMode;
import dev.floatip.api.v1alpha1.TransportSpec;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.VirtualIPSpec;
import dev.floatip.vrrp.Advertisement;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.VrrpVersion;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one validator of a VirtualIP, shared by the operator (CRD) and the standalone file loader. It
 * finds every problem, not just the first, and names each by field path. It never resolves names.
 * The CRD schema repeats the simple rules so the API server refuses them early; this class is the
 * complete set.
 */
public final class VirtualIPValidator {

  /** Kubernetes object names (RFC 1123 subdomain). */
  static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /** keepalived preempt_delay: 0..1000 s (anchors §1.3). */
  static final Duration MAX_PREEMPT_DELAY = Duration.ofSeconds(1000);

  /** VRRPv2 carries 8 bytes of authentication data (RFC 2338 §5.3.10). */
  static final int MAX_PASSWORD = 8;

  private static final Pattern SYNC_GROUP = Pattern.compile(VirtualIPSpec.SYNC_GROUP);
  private static final Pattern LABEL = Pattern.compile(Schema.LABEL);

  private final Violations v = new Violations();
  private final VirtualIPSpec spec;
  private final Mode mode;
  private final Set<IpFamily> families = EnumSet.noneOf(IpFamily.class);
  private final Map<InetAddress, Integer> addressIndex = new HashMap<>();
  private VrrpVersion version = VrrpVersion.V3;

  private VirtualIPValidator(VirtualIPSpec spec, Mode mode) {
    this.spec = spec;
    this.mode = mode;
  }

  /** All problems of a VirtualIP, empty if it is valid. */
  public static List<Violation> validate(VirtualIP vip, Mode mode) {
    Violations top = new Violations();
    String name = vip.getMetadata() == null ? null : vip.getMetadata().getName();
    if (top.requiredText("metadata.name", name)
        && (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches())) {
      top.add(
          "metadata.name",
          "must be a DNS subdomain: lower case letters, digits, '-' and '.', at most 253");
    }
    if (!top.required("spec", vip.getSpec())) {
      return top.list();
    }
    return concat(top.list(), validate(vip.getSpec(), mode));
  }

  /** All problems of a spec; paths start with {@code spec.}. */
  public static List<Violation> validate(VirtualIPSpec spec, Mode mode) {
    VirtualIPValidator check = new VirtualIPValidator(spec, mode);
    check.run();
    return check.v.list();
  }

  /**
   * The problem with a {@code track.files} path, if any: absolute, without {@code ..}, and not
   * under a system path ({@code /proc}, {@code /etc} but {@code /etc/keepalived}…).
   */
  public static Optional<String> trackFileProblem(String path) {
    return TrackChecks.filePathProblem(path);
  }

  /**
   * The problem with a VRRPv2 password, if any: 1..8 printable ASCII characters. Longer is an
   * error: keepalived would silently use the first 8, and two configs that differ after the 8th
   * character would then disagree about what they mean.
   */
  public static Optional<String> passwordProblem(String password) {
    if (password.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (password.length() > MAX_PASSWORD) {
      return Optional.of("at most 8 characters (VRRPv2 carries 8 bytes), was " + password.length());
    }
    if (!password.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
      return Optional.of("only printable ASCII characters");
    }
    return Optional.empty();
  }

  private void run() {
    versionAndInterval();
    addresses();
    excludedAddresses();
    addressLabels();
    vrid();
    interfaceName();
    transport();
    SelectorChecks.nodeSelection(v, spec, mode);
    priority();
    preemption();
    authentication();
    TrackChecks.track(v, spec.track(), mode);
    NotifyChecks.notify(v, spec.notifications(), mode);
    gratuitousArp();
    if (spec.syncGroup() != null && !SYNC_GROUP.matcher(spec.syncGroup()).matches()) {
      v.add("spec.syncGroup", "must be 1..63 letters, digits, '.', '_' or '-'");
    }
  }

  private void versionAndInterval() {
    Integer ver = spec.version();
    if (ver != null && ver != 2 && ver != 3) {
      v.add("spec.version", "must be 2 or 3, was " + ver);
    } else if (ver != null && ver == 2) {
      version = VrrpVersion.V2;
    }
    String path = "spec.advertisementInterval";
    Duration interval = v.duration(path, spec.advertisementInterval(), Duration.ZERO, null);
    if (interval != null) {
      try {
        Advertisement.validateInterval(version, interval);
      } catch (IllegalArgumentException e) {
        String was = ", was " + spec.advertisementInterval();
        v.add(
            path,
            version == VrrpVersion.V2
                ? "must be whole seconds 1s..255s with version 2" + was + " (RFC 3768 §5.3.7)"
                : "must be 10ms..40.95s in 10 ms steps with version 3"
                    + was
                    + " (RFC 5798 §5.2.7)");
      }
    }
  }

  private void addresses() {
    String path = "spec.addresses";
    List<String> list = spec.addresses();
    if (list == null || list.isEmpty()) {
      v.add(path, "at least one address is required");
      return;
    }
    Map<InetAddress, Integer> seen = new HashMap<>();
    Map<IpFamily, Integer> perFamily = new EnumMap<>(IpFamily.class);
    for (int i = 0; i < list.size(); i++) {
      String item = FieldPath.index(path, i);
      Cidr cidr;
      try {
        cidr = Cidr.parse(list.get(i));
      } catch (IllegalArgumentException e) {
        v.add(item, e.getMessage());
        continue;
      }
      InetAddress a = cidr.address();
      if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isMulticastAddress()) {
        v.add(item, "must be a unicast address, not unspecified, loopback or multicast");
      } else {
        SubnetAddresses.problem(cidr).ifPresent(m -> v.add(item, m));
      }
      addressIndex.putIfAbsent(a, i);
      Integer first = seen.putIfAbsent(a, i);
      if (first != null) {
        v.add(item, "duplicate of " + FieldPath.index(path, first));
      }
      if (version == VrrpVersion.V2 && cidr.family() == IpFamily.IPV6) {
        v.add(item, "IPv6 needs version 3 (VRRPv2 is IPv4 only, RFC 3768)");
      }
      families.add(cidr.family());
      perFamily.merge(cidr.family(), 1, Integer::sum);
    }
    perFamily.forEach(
        (family, n) -> {
          if (n > Advertisement.MAX_ADDRESSES) {
            v.add(path, "at most 255 " + name(family) + " addresses (one advert's count field)");
          }
        });
  }

  /** Like spec.addresses, but no advert carries them: each needs a router of its family. */
  private void excludedAddresses() {
    String path = "spec.excludedAddresses";
    List<String> list = spec.excludedAddressList();
    Map<InetAddress, Integer> seen = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String item = FieldPath.index(path, i);
      Cidr cidr;
      try {
        cidr = Cidr.parse(list.get(i));
      } catch (IllegalArgumentException e) {
        v.add(item, e.getMessage());
        continue;
      }
      InetAddress a = cidr.address();
      if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isMulticastAddress()) {
        v.add(item, "must be a unicast address, not unspecified, loopback or multicast");
      } else {
        SubnetAddresses.problem(cidr).ifPresent(m -> v.add(item, m));
      }
      Integer advertised = addressIndex.get(a);
      Integer first = seen.putIfAbsent(a, i);
      if (advertised != null) {
        v.add(
            item,
            "is also spec.addresses["
                + advertised
                + "]: an address is either advertised or excluded, not both");
      } else if (first != null) {
        v.add(item, "duplicate of " + FieldPath.index(path, first));
      }
      if (version == VrrpVersion.V2 && cidr.family() == IpFamily.IPV6) {
        v.add(item, "IPv6 needs version 3 (VRRPv2 is IPv4 only, RFC 3768)");
      } else if (!families.contains(cidr.family())) {
        v.add(
            item,
            "no "
                + name(cidr.family())
                + " address in spec.addresses: an excluded address moves with the router of its"
                + " family");
      }
    }
  }

  /**
   * IFA_LABEL per IPv4 address. The kernel takes at most IFNAMSIZ - 1 bytes and ignores the label
   * of an IPv6 address; tools that list aliases (ifconfig, {@code ip addr show label eth0:*})
   * expect it to start with the interface name, which netlink itself does not check.
   */
  private void addressLabels() {
    if (spec.addressLabels() == null) {
      return;
    }
    List<String> entries = new ArrayList<>(spec.addressList());
    entries.addAll(spec.excludedAddressList());
    spec.addressLabels()
        .forEach(
            (key, label) -> {
              String item = FieldPath.field("spec.addressLabels", key);
              if (!entries.contains(key)) {
                v.add(item, "not an entry of spec.addresses or spec.excludedAddresses");
              } else if (key.contains(":")) {
                v.add(item, "IPv6 addresses have no label (the kernel ignores IFA_LABEL for IPv6)");
              }
              labelProblem(label, spec.interfaceName()).ifPresent(m -> v.add(item, m));
            });
  }

  /** What is wrong with {@code label} on {@code interfaceName} (null: not known yet). */
  public static Optional<String> labelProblem(String label, String interfaceName) {
    if (label == null || label.isEmpty()) {
      return Optional.of("a label must not be empty");
    }
    int bytes = label.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > Schema.LABEL_MAX_LENGTH) {
      return Optional.of(
          "at most " + Schema.LABEL_MAX_LENGTH + " bytes (IFNAMSIZ - 1), was " + bytes);
    }
    if (!LABEL.matcher(label).matches()) {
      return Optional.of("only printable ASCII characters, no blank or '/'");
    }
    if (interfaceName != null && !label.startsWith(interfaceName)) {
      return Optional.of(
          label
              + " does not start with the interface name "
              + interfaceName
              + " (e.g. "
              + interfaceName
              + ":10)");
    }
    return Optional.empty();
  }

  private void vrid() {
    Integer vrid = spec.virtualRouterId();
    if (vrid == null && mode == Mode.STANDALONE) {
      v.add("spec.virtualRouterId", "required in a standalone file (no operator allocates one)");
    }
    v.range("spec.virtualRouterId", vrid, 1, 255);
  }

  private void interfaceName() {
    if (spec.interfaceName() != null) {
      SelectorChecks.interfaceName(v, "spec.interface", spec.interfaceName());
    }
  }

  private void transport() {
    TransportSpec t = spec.transportOrDefault();
    String path = "spec.transport.peers";
    List<String> peers = t.peerList();
    if (t.modeOrDefault() == TransportMode.Multicast) {
      if (!peers.isEmpty()) {
        v.add(path, "only used with mode Unicast");
      }
      return;
    }
    if (peers.isEmpty()) {
      if (mode == Mode.STANDALONE) {
        v.add(
            path,
            "required with mode Unicast in a standalone file (no cluster to discover peers from);"
                + " or use mode: Multicast");
      }
      return;
    }
    Map<InetAddress, Integer> seen = new HashMap<>();
    Set<IpFamily> peerFamilies = EnumSet.noneOf(IpFamily.class);
    for (int i = 0; i < peers.size(); i++) {
      String item = FieldPath.index(path, i);
      String text = peers.get(i);
      if (!v.requiredText(item, text)) {
        continue;
      }
      Optional<InetAddress> parsed = IpLiteral.parse(text);
      if (parsed.isEmpty()) {
        v.add(
            item,
            text.contains("/")
                ? "a peer is an address, without /prefix"
                : IpLiteral.notALiteral(text));
        continue;
      }
      InetAddress a = parsed.get();
      if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isMulticastAddress()) {
        v.add(item, "must be a unicast address, not unspecified, loopback or multicast");
      }
      Integer first = seen.putIfAbsent(a, i);
      if (first != null) {
        v.add(item, "duplicate of " + FieldPath.index(path, first));
      }
      Integer vip = addressIndex.get(a);
      if (vip != null) {
        v.add(
            item,
            "is the virtual address spec.addresses["
                + vip
                + "]: a peer is another node's own address (the agent would take it)");
      }
      IpFamily family = IpFamily.of(a);
      peerFamilies.add(family);
      if (!families.isEmpty() && !families.contains(family)) {
        v.add(item, "no " + name(family) + " address in spec.addresses to advertise to it");
      }
    }
    for (IpFamily family : families) {
      if (!peerFamilies.contains(family)) {
        v.add(path, "no " + name(family) + " peer for the " + name(family) + " addresses");
      }
    }
  }

  private void priority() {
    PrioritySpec p = spec.priority();
    if (p == null) {
      return;
    }
    v.range("spec.priority.default", p.defaultPriority(), 1, 254);
    List<String> order = p.orderList();
    for (int i = 0; i < order.size(); i++) {
      String item = FieldPath.index("spec.priority.order", i);
      if (v.requiredText(item, order.get(i))) {
        nodeName(item, order.get(i));
      }
    }
    v.unique(order, i -> FieldPath.index("spec.priority.order", i), "node");
    int dflt = p.defaultOrDefault();
    if (!order.isEmpty() && dflt >= 1 && dflt <= 254) {
      int n = (int) order.stream().distinct().count();
      if (n > BasePriority.MAX - dflt) {
        v.add(
            "spec.priority.order",
            n
                + " nodes need distinct priorities above default "
                + dflt
                + " but only "
                + (BasePriority.MAX - dflt)
                + " are free (the maximum is 254); lower spec.priority.default");
      }
    }
    p.nodeMap()
        .forEach(
            (node, prio) -> {
              String item = FieldPath.field("spec.priority.nodes", node);
              if (node.isBlank()) {
                v.add("spec.priority.nodes", "node name must not be empty");
              } else if (node.length() > Schema.NAME_MAX_LENGTH) {
                nodeName(item, node);
              } else if (v.required(item, prio)) {
                v.range(item, prio, 1, 254);
              }
            });
  }

  /** Node names are Kubernetes object names: at most 253 characters (the CRD's maxLength). */
  private void nodeName(String path, String name) {
    if (name.length() > Schema.NAME_MAX_LENGTH) {
      v.add(path, "a node name has at most 253 characters");
    }
  }

  private void preemption() {
    Duration delay =
        v.duration("spec.preemptDelay", spec.preemptDelay(), Duration.ZERO, MAX_PREEMPT_DELAY);
    if (delay != null && !delay.isZero() && !spec.preemptOrDefault()) {
      v.add("spec.preemptDelay", "has no effect with preempt: false");
    }
  }

  private void authentication() {
    AuthenticationSpec a = spec.authentication();
    if (a == null) {
      return;
    }
    String path = "spec.authentication";
    if (version != VrrpVersion.V2) {
      v.add(path, "only with version: 2 (VRRPv3 has no authentication, RFC 5798 §5.2)");
    }
    int sources =
        (a.passwordSecretRef() != null ? 1 : 0)
            + (a.passwordFile() != null ? 1 : 0)
            + (a.password() != null ? 1 : 0);
    if (sources != 1) {
      v.add(path, "set exactly one of passwordSecretRef, passwordFile, password");
    }
    if (a.password() != null) {
      passwordProblem(a.password()).ifPresent(m -> v.add(path + ".password", m));
    }
    if (a.passwordFile() != null) {
      if (mode == Mode.CLUSTER) {
        v.add(path + ".passwordFile", "only in a standalone file; use passwordSecretRef");
      } else if (!a.passwordFile().startsWith("/")) {
        v.add(path + ".passwordFile", "must be an absolute path");
      }
    }
    SecretKeyRef ref = a.passwordSecretRef();
    if (ref != null) {
      String refPath = path + ".passwordSecretRef";
      if (mode == Mode.STANDALONE) {
        v.add(refPath, "only in a cluster; use passwordFile in a standalone file");
        return;
      }
      secretKeyRef(v, refPath, ref);
    }
  }

  /** A Secret key reference's fields, as the API server would check them. */
  static void secretKeyRef(Violations v, String refPath, SecretKeyRef ref) {
    {
      if (v.requiredText(refPath + ".name", ref.name())
          && (ref.name().length() > Schema.NAME_MAX_LENGTH
              || !DNS_SUBDOMAIN.matcher(ref.name()).matches())) {
        v.add(refPath + ".name", "must be a Secret name (DNS subdomain)");
      }
      if (v.requiredText(refPath + ".key", ref.key())
          && !ref.key().matches("[-._a-zA-Z0-9]{1,253}")) {
        v.add(refPath + ".key", "must consist of letters, digits, '-', '_' or '.'");
      }
      if (ref.namespace() != null
          && (ref.namespace().length() > 63 || !DNS_LABEL.matcher(ref.namespace()).matches())) {
        v.add(refPath + ".namespace", "must be a namespace name (DNS label)");
      }
    }
  }

  private void gratuitousArp() {
    GratuitousArpSpec g = spec.gratuitousArp();
    if (g == null) {
      return;
    }
    v.duration("spec.gratuitousArp.delay", g.delay(), Duration.ZERO, null);
    v.range("spec.gratuitousArp.repeat", g.repeat(), 1, 100);
    v.duration("spec.gratuitousArp.refresh", g.refresh(), Duration.ZERO, null);
  }

  static String name(IpFamily family) {
    return family == IpFamily.IPV4 ? "IPv4" : "IPv6";
  }

  private static List<Violation> concat(List<Violation> a, List<Violation> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
