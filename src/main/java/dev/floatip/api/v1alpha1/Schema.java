package dev.floatip.api.v1alpha1;

/** Patterns and defaults shared by the schema annotations of the API types. */
public final class Schema {

  /**
   * A duration such as {@code 1s}, {@code 100ms}, {@code 1.5s} or {@code 1m30s}: one or more
   * decimal numbers, each with a unit ms, s, m or h (a subset of Go's duration syntax, which
   * Kubernetes users know). {@code dev.floatip.config.Durations} parses it.
   */
  public static final String DURATION = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";

  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final String IPV4 = OCTET + "(\\." + OCTET + "){3}";

  /** One IPv6 group: 1..4 hex digits. */
  private static final String H = "[0-9A-Fa-f]{1,4}";

  /**
   * An IPv6 literal in every RFC 4291 §2.2 text form: eight groups, at most one {@code ::} standing
   * for one or more zero groups, optionally ending in a dotted quad that stands for the last two
   * groups (RFC 5952's forms are a subset). Refuses {@code :::}, two {@code ::}, and too many
   * groups. RE2 has no look-ahead, so the forms are listed by the number of groups before the
   * {@code ::}. {@code dev.floatip.config.IpLiteral} is the exact check (IPv4-mapped addresses and
   * the like).
   */
  private static final String IPV6 =
      "("
          // eight groups, no ::
          + ("(" + H + ":){7}" + H)
          // a groups, ::, b groups (a + b <= 7)
          + ("|(" + H + ":){1,7}:")
          + ("|(" + H + ":){1}(:" + H + "){1,6}")
          + ("|(" + H + ":){2}(:" + H + "){1,5}")
          + ("|(" + H + ":){3}(:" + H + "){1,4}")
          + ("|(" + H + ":){4}(:" + H + "){1,3}")
          + ("|(" + H + ":){5}(:" + H + "){1,2}")
          + ("|(" + H + ":){6}:" + H)
          + ("|:((:" + H + "){1,7}|:)")
          // six groups and a dotted quad, no ::
          + ("|(" + H + ":){6}" + IPV4)
          // a groups, ::, b groups, dotted quad (a + b <= 5)
          + ("|::(" + H + ":){0,5}" + IPV4)
          + ("|(" + H + ":){1}:(" + H + ":){0,4}" + IPV4)
          + ("|(" + H + ":){2}:(" + H + ":){0,3}" + IPV4)
          + ("|(" + H + ":){3}:(" + H + ":){0,2}" + IPV4)
          + ("|(" + H + ":){4}:(" + H + ":)?" + IPV4)
          + ("|(" + H + ":){5}:" + IPV4)
          + ")";

  /** An IP address literal (IPv4 dotted quad without leading zeros, or IPv6). RE2 syntax. */
  public static final String IP = "^(" + IPV4 + "|" + IPV6 + ")$";

  /** {@code IP[/prefix]}: prefix 1..32 for IPv4, 1..128 for IPv6, without leading zeros. */
  public static final String CIDR =
      "^("
          + IPV4
          + "(/(3[0-2]|[12][0-9]|[1-9]))?|"
          + IPV6
          + "(/(12[0-8]|1[01][0-9]|[1-9][0-9]|[1-9]))?)$";

  /** The longest IPv6 text (45 characters, with a dotted quad) plus "/128". */
  public static final int CIDR_MAX_LENGTH = 49;

  public static final int IP_MAX_LENGTH = 45;

  /** The longest duration the schema accepts as text; bounds the cost of CEL rules. */
  public static final int DURATION_MAX_LENGTH = 32;

  /** Kubernetes object names, Node names included, are at most 253 characters. */
  public static final int NAME_MAX_LENGTH = 253;

  /** Kubernetes object names (RFC 1123 subdomain). */
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** Namespace names (RFC 1123 label). */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /** At most 255 addresses per family fit in one advertisement. */
  public static final int MAX_ADDRESSES = 510;

  /**
   * Addresses moved with a VirtualIP but not advertised (keepalived virtual_ipaddress_excluded): no
   * advert bounds them; this bound keeps the CRD's rules cheap.
   */
  public static final int MAX_EXCLUDED_ADDRESSES = 1024;

  /** IFNAMSIZ - 1: the longest IFA_LABEL the kernel takes (linux/if.h, devinet.c's policy). */
  public static final int LABEL_MAX_LENGTH = 15;

  /** An address label: printable ASCII, no blank, no '/' (as interface names, dev_valid_name). */
  public static final String LABEL = "^[!-.0-~]{1,15}$";

  /** VRIDs are 1..255. */
  public static final int MAX_VRIDS = 255;

  /** Every priority above the lowest (1..254) can go to one listed node at most. */
  public static final int MAX_ORDER = 253;

  // Defaults: an int constant for Java code and its text for @Default, kept in one place.

  public static final int VERSION = 3;
  public static final String VERSION_TEXT = "" + VERSION;
  public static final String ADVERTISEMENT_INTERVAL = "1s";

  /** VRRP's default priority (RFC 5798 §5.2.4, keepalived VRRP_PRIO_DFL). */
  public static final int PRIORITY = 100;

  public static final String PRIORITY_TEXT = "" + PRIORITY;
  public static final String PREEMPT_DELAY = "0s";

  /** keepalived vrrp_script interval (anchors §1.8); also used for TCP and HTTP checks. */
  public static final String CHECK_INTERVAL = "1s";

  /** keepalived vrrp_script rise and fall (anchors §1.8). */
  public static final int RISE_FALL = 1;

  public static final String RISE_FALL_TEXT = "" + RISE_FALL;

  /** keepalived track_file weight "defaults to 1" (anchors §1.7). */
  public static final int FILE_WEIGHT = 1;

  public static final String FILE_WEIGHT_TEXT = "" + FILE_WEIGHT;

  /** keepalived vrrp_track_process quorum (anchors §1.7). */
  public static final int QUORUM = 1;

  public static final String QUORUM_TEXT = "" + QUORUM;
  public static final int MIN_READY = 1;
  public static final String MIN_READY_TEXT = "" + MIN_READY;
  public static final int HTTP_STATUS = 200;
  public static final String HTTP_STATUS_TEXT = "" + HTTP_STATUS;

  /** keepalived garp_master_delay / garp_master_repeat / garp_master_refresh (anchors §1.12). */
  public static final String GARP_DELAY = "5s";

  public static final int GARP_REPEAT = 5;
  public static final String GARP_REPEAT_TEXT = "" + GARP_REPEAT;
  public static final String GARP_REFRESH = "0s";

  public static final String NOTIFY_TIMEOUT = "30s";

  private Schema() {}
}
