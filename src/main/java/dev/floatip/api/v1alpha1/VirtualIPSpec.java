package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The desired floating IP (DESIGN §4). Every field but {@code addresses} is optional; a {@code
 * null} means "the default", which the API server fills in from the CRD for resources and the
 * {@code ...OrDefault()} accessors supply for standalone files. ({@code notify} and {@code
 * interface} are Java names, hence the renamed components.) The rules that the schema cannot
 * express live in {@code dev.floatip.config.VirtualIPValidator}.
 */
@ValidationRule(
    value = "!has(self.authentication) || self.version == 2",
    message = "only with version: 2 (VRRPv3 has no authentication, RFC 5798 §5.2)",
    fieldPath = ".authentication",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "self.version != 2 || self.addresses.all(a, !a.contains(':'))",
    message = "IPv6 needs version 3 (VRRPv2 is IPv4 only, RFC 3768)",
    fieldPath = ".addresses")
@ValidationRule(
    value =
        "self.version != 2 || ("
            + VirtualIPSpec.INTERVAL
            + " >= duration('1s') && "
            + VirtualIPSpec.INTERVAL
            + " <= duration('255s') && "
            + VirtualIPSpec.INTERVAL
            + " == duration(string("
            + VirtualIPSpec.INTERVAL
            + ".getSeconds()) + 's'))",
    message = "must be whole seconds 1s..255s with version 2 (RFC 3768 §5.3.7)",
    fieldPath = ".advertisementInterval")
@ValidationRule(
    value =
        "self.version == 2 || ("
            + VirtualIPSpec.INTERVAL
            + " >= duration('10ms') && "
            + VirtualIPSpec.INTERVAL
            + " <= duration('40950ms') && "
            + VirtualIPSpec.SUBSECOND
            + ".getMilliseconds() % 10 == 0 && "
            + VirtualIPSpec.SUBSECOND
            + " == duration(string("
            + VirtualIPSpec.SUBSECOND
            + ".getMilliseconds()) + 'ms'))",
    message = "must be 10ms..40.95s in 10 ms steps with version 3 (RFC 5798 §5.2.7)",
    fieldPath = ".advertisementInterval")
@ValidationRule(
    value =
        "!has(self.addressLabels) || self.addressLabels.all(k, k in self.addresses ||"
            + " (has(self.excludedAddresses) && k in self.excludedAddresses))",
    message = "every key must be an entry of spec.addresses or spec.excludedAddresses",
    fieldPath = ".addressLabels")
@ValidationRule(
    value = "!has(self.addressLabels) || self.addressLabels.all(k, !k.contains(':'))",
    message = "IPv4 addresses only: the kernel ignores IFA_LABEL on IPv6 addresses",
    fieldPath = ".addressLabels")
@ValidationRule(
    value =
        "!has(self.addressLabels) || !has(self.interface) ||"
            + " self.addressLabels.all(k, self.addressLabels[k].startsWith(self.interface))",
    message = "a label must start with spec.interface (ifconfig's eth0:10 aliases)",
    fieldPath = ".addressLabels")
@ValidationRule(
    value = "!has(self.excludedAddresses) || self.excludedAddresses.all(e, !(e in self.addresses))",
    message = "an address is either advertised (spec.addresses) or excluded, not both",
    fieldPath = ".excludedAddresses")
@ValidationRule(
    value =
        "!has(self.excludedAddresses) || self.version != 2 ||"
            + " self.excludedAddresses.all(a, !a.contains(':'))",
    message = "IPv6 needs version 3 (VRRPv2 is IPv4 only, RFC 3768)",
    fieldPath = ".excludedAddresses")
@ValidationRule(
    value = "duration(self.preemptDelay) <= duration('1000s')",
    message = "must be 0s..1000s",
    fieldPath = ".preemptDelay")
@ValidationRule(
    value = "self.preempt || duration(self.preemptDelay) == duration('0s')",
    message = "has no effect with preempt: false",
    fieldPath = ".preemptDelay")
public record VirtualIPSpec(
    @Required
        @Size(min = 1, max = Schema.MAX_ADDRESSES)
        @JsonPropertyDescription(
            "Virtual addresses as IP[/prefix] (default prefix /32 or /128), each at most once."
                + " IPv4 and IPv6 may mix: one VRRP router per family, same VRID.")
        List<@Pattern(Schema.CIDR) @Size(max = Schema.CIDR_MAX_LENGTH) String> addresses,
    @Size(max = Schema.MAX_EXCLUDED_ADDRESSES)
        @JsonPropertyDescription(
            "Addresses that move with the VIP like spec.addresses (added, announced by GARP/NA)"
                + " but are not listed in adverts, so no advert limit applies (keepalived"
                + " virtual_ipaddress_excluded). Same syntax; each needs an address of its family in"
                + " spec.addresses.")
        List<@Pattern(Schema.CIDR) @Size(max = Schema.CIDR_MAX_LENGTH) String> excludedAddresses,
    @Size(max = Schema.MAX_ADDRESSES + Schema.MAX_EXCLUDED_ADDRESSES)
        @JsonPropertyDescription(
            "Optional IFA_LABEL per IPv4 address (keepalived 'label'; 'ip addr show label eth0:10',"
                + " ifconfig aliases): key an entry of spec.addresses or spec.excludedAddresses,"
                + " value at most 15 bytes,"
                + " starting with the interface name. IPv6 addresses have no labels (the kernel"
                + " ignores IFA_LABEL for them).")
        Map<String, @Pattern(Schema.LABEL) String> addressLabels,
    @JsonProperty("interface")
        @JsonPropertyDescription(
            "Interface to put the addresses on. Default: per node, the interface whose connected"
                + " subnet holds the address.")
        String interfaceName,
    @Min(1)
        @Max(255)
        @JsonPropertyDescription(
            "Virtual Router ID, 1..255. Absent: the operator allocates one (status.virtualRouterId)."
                + " Required in a standalone file.")
        Integer virtualRouterId,
    @Min(2)
        @Max(3)
        @Default(Schema.VERSION_TEXT)
        @JsonPropertyDescription(
            "VRRP version: 3 (RFC 5798) or 2 (RFC 3768; IPv4 only, needed for keepalived v2 peers"
                + " and PASS authentication).")
        Integer version,
    @Pattern(Schema.DURATION)
        @Size(max = Schema.DURATION_MAX_LENGTH)
        @Default(Schema.ADVERTISEMENT_INTERVAL)
        @JsonPropertyDescription(
            "Advertisement interval, e.g. 1s, 100ms, 1.5s. Version 3: 10ms..40.95s in 10 ms steps;"
                + " version 2: whole seconds 1..255.")
        String advertisementInterval,
    @JsonPropertyDescription("How adverts travel: Unicast (default) or Multicast.")
        TransportSpec transport,
    @JsonPropertyDescription("Nodes that take part (a LabelSelector over Nodes). Default: all.")
        LabelSelector nodeSelector,
    @JsonPropertyDescription("Tolerations for the agent on the selected nodes.")
        List<Toleration> tolerations,
    @JsonPropertyDescription("Base priority of each node.") PrioritySpec priority,
    @Default("true")
        @JsonPropertyDescription(
            "Whether a higher-priority backup takes over from a lower-priority master (false ="
                + " keepalived nopreempt).")
        Boolean preempt,
    @Pattern(Schema.DURATION)
        @Size(max = Schema.DURATION_MAX_LENGTH)
        @Default(Schema.PREEMPT_DELAY)
        @JsonPropertyDescription(
            "How long a lower-priority master is tolerated before it is preempted (keepalived"
                + " preempt_delay, 0s..1000s).")
        String preemptDelay,
    @JsonPropertyDescription(
            "VRRPv2 simple password (PASS). Not security: it guards against VRID mix-ups.")
        AuthenticationSpec authentication,
    @JsonPropertyDescription("Health checks that change the priority or put the node in FAULT.")
        TrackSpec track,
    @JsonProperty("notify") @JsonPropertyDescription("Hooks run on state changes.")
        NotifySpec notifications,
    @JsonPropertyDescription("Gratuitous ARP / unsolicited NA on becoming master.")
        GratuitousArpSpec gratuitousArp,
    @Pattern(SYNC_GROUP)
        @JsonPropertyDescription(
            "VirtualIPs sharing a syncGroup on a node change state together (keepalived"
                + " vrrp_sync_group).")
        String syncGroup) {

  public static final String SYNC_GROUP = "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$";

  /** The advertisement interval in CEL rules (the API server has applied the default). */
  static final String INTERVAL = "duration(self.advertisementInterval)";

  /** The part of the interval below one second, in CEL (getMilliseconds agrees below 1 s). */
  static final String SUBSECOND =
      "(" + INTERVAL + " - duration(string(" + INTERVAL + ".getSeconds()) + 's'))";

  public int versionOrDefault() {
    return version == null ? Schema.VERSION : version;
  }

  public String advertisementIntervalOrDefault() {
    return advertisementInterval == null ? Schema.ADVERTISEMENT_INTERVAL : advertisementInterval;
  }

  public TransportSpec transportOrDefault() {
    return transport == null ? new TransportSpec(null, null) : transport;
  }

  public PrioritySpec priorityOrDefault() {
    return priority == null ? new PrioritySpec(null, null, null) : priority;
  }

  public boolean preemptOrDefault() {
    return preempt == null || preempt;
  }

  public String preemptDelayOrDefault() {
    return preemptDelay == null ? Schema.PREEMPT_DELAY : preemptDelay;
  }

  public TrackSpec trackOrDefault() {
    return track == null ? new TrackSpec(null, null, null, null, null, null, null) : track;
  }

  public GratuitousArpSpec gratuitousArpOrDefault() {
    return gratuitousArp == null ? new GratuitousArpSpec(null, null, null) : gratuitousArp;
  }

  /** The excluded (not advertised) addresses, never null. */
  public List<String> excludedAddressList() {
    return excludedAddresses == null ? List.of() : excludedAddresses;
  }

  /** The label of the address entry {@code address} (as written in the spec), if any. */
  public Optional<String> labelOf(String address) {
    return addressLabels == null
        ? Optional.empty()
        : Optional.ofNullable(addressLabels.get(address));
  }

  /** The addresses, never null. */
  public List<String> addressList() {
    return addresses == null ? List.of() : addresses;
  }
}
