package dev.floatip.convert;

import dev.floatip.api.v1alpha1.AuthenticationSpec;
import dev.floatip.api.v1alpha1.GratuitousArpSpec;
import dev.floatip.api.v1alpha1.MailSpec;
import dev.floatip.api.v1alpha1.NotifySpec;
import dev.floatip.api.v1alpha1.PrioritySpec;
import dev.floatip.api.v1alpha1.Schema;
import dev.floatip.api.v1alpha1.SecretKeyRef;
import dev.floatip.api.v1alpha1.TransportMode;
import dev.floatip.api.v1alpha1.TransportSpec;
import dev.floatip.api.v1alpha1.VirtualIPSpec;
import dev.floatip.config.Cidr;
import dev.floatip.config.IpLiteral;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One {@code vrrp_instance} → one VirtualIP spec, with the warnings of what did not carry over. */
final class InstanceConverter {

  /** keepalived accepts priority up to 255 (address owner); floatip never owns the address. */
  static final int OWNER = 255;

  private static final int MAX_ADVERT_SECONDS = 255;
  private static final int MAX_PREEMPT_DELAY = 1000;

  private final Definitions defs;
  private final ConvertOptions options;
  private final ConfNode instance;
  private final String resourceName;
  private final List<ConvertWarning> warnings = new ArrayList<>();
  private final Map<String, String> comments = new LinkedHashMap<>();
  private final Tracks tracks;

  private String interfaceName;
  private Integer vrid;
  private int priority = Schema.PRIORITY;
  private Duration advert = Duration.ofSeconds(1);
  private Integer version;
  private ConfNode stateMaster;
  private ConfNode nopreempt;
  private ConfNode preemptDelay;
  private String password;
  private ConfNode authAt;
  private final List<Address> addresses = new ArrayList<>();
  private final Set<String> peers = new LinkedHashSet<>();
  private ConfNode unicastSource;
  private final Map<String, List<String>> hooks = new LinkedHashMap<>();

  /** keepalived's {@code notify_* "script" user [group]}: hook → user[:group]. */
  private final Map<String, String> hookUsers = new LinkedHashMap<>();

  private final Map<String, ConfNode> hookNodes = new LinkedHashMap<>();
  private ConfNode smtpAlert;
  private Duration garpDelay;
  private Integer garpRepeat;
  private Duration garpRefresh;

  private record Address(
      String text, boolean ipv6, boolean excluded, Optional<String> label, ConfNode at) {}

  InstanceConverter(
      Definitions defs, ConvertOptions options, ConfNode instance, String resourceName) {
    this.defs = defs;
    this.options = options;
    this.instance = instance;
    this.resourceName = resourceName;
    this.tracks = new Tracks(defs, warnings, comments);
  }

  /** The result of one instance. */
  record Result(
      String instanceName,
      String resourceName,
      VirtualIPSpec spec,
      List<ConvertWarning> warnings,
      Map<String, String> scriptComments,
      String password) {}

  Result convert() throws ConfSyntaxError {
    garpDefaults();
    for (ConfNode n : instance.children()) {
      statement(n);
    }
    if (vrid == null) {
      throw new ConfSyntaxError(
          instance.at(), "vrrp_instance " + instance.arg() + ": virtual_router_id is required");
    }
    ConfNode group = defs.groupOf.get(instance.arg());
    if (group != null) {
      syncGroup(group);
    }
    List<Address> kept = addressList();
    List<String> excluded = excluded(kept);
    List<String> addressList =
        kept.stream().map(Address::text).filter(t -> !excluded.contains(t)).toList();
    Map<String, String> labels = labels(kept);
    int ver = version(addressList);
    Duration interval = interval(ver);
    boolean preempt = preempt();
    AuthenticationSpec auth = authentication(ver);
    VirtualIPSpec spec =
        new VirtualIPSpec(
            addressList,
            excluded.isEmpty() ? null : excluded,
            labels.isEmpty() ? null : labels,
            interfaceName,
            vrid,
            ver,
            Values.format(interval),
            transport(),
            null,
            null,
            priority(),
            preempt,
            preempt ? Values.format(delay()) : null,
            auth,
            tracks.spec(group),
            notifications(),
            new GratuitousArpSpec(Values.format(garpDelay), garpRepeat, Values.format(garpRefresh)),
            group == null ? null : Names.syncGroup(group.arg()));
    return new Result(
        instance.arg(),
        resourceName,
        spec,
        List.copyOf(warnings),
        Map.copyOf(comments),
        auth == null ? null : password);
  }

  private void statement(ConfNode n) throws ConfSyntaxError {
    switch (n.keyword()) {
      case "state" -> {
        String s = Values.one(n);
        if (!s.equals("MASTER") && !s.equals("BACKUP")) {
          throw new ConfSyntaxError(n.at(), "state: must be MASTER or BACKUP, was " + s);
        }
        stateMaster = s.equals("MASTER") ? n : null;
      }
      case "interface" -> interfaceName = Values.one(n);
      case "virtual_router_id" -> vrid = Values.integer(n, 1, 255);
      case "priority" -> {
        priority = Values.integer(n, 1, OWNER);
        if (priority == OWNER) {
          priority = OWNER - 1;
          warn(
              n,
              "255 makes keepalived the address owner; floatip never owns the address and uses"
                  + " 254, so the node no longer takes over at once on start. If a virtual"
                  + " address is this node's own, floatip refuses it (it would remove the node's"
                  + " address): give the node another address first");
        }
      }
      case "advert_int" -> advert = Values.seconds(n, MAX_ADVERT_SECONDS);
      case "version" -> version = Values.integer(n, 2, 3);
      case "native_ipv6" -> version = 3;
      case "nopreempt" -> nopreempt = n;
      case "preempt" -> nopreempt = null;
      case "preempt_delay" -> preemptDelay = n;
      case "authentication" -> authentication(n);
      case "virtual_ipaddress" -> addresses(n, false);
      case "virtual_ipaddress_excluded" -> addresses(n, true);
      case "unicast_src_ip" -> {
        ip(n, Values.one(n));
        unicastSource = n;
      }
      case "unicast_peer" -> unicastPeers(n);
      case "track_interface" -> tracks.interfaces(n);
      case "track_script" -> tracks.scripts(n);
      case "track_process" -> tracks.processes(n);
      case "track_file" -> tracks.files(n);
      case "notify", "notify_master", "notify_backup", "notify_fault", "notify_stop" ->
          hook(n, n.keyword());
      case "smtp_alert" -> smtpAlert = n.args().isEmpty() || !n.arg().equals("false") ? n : null;
      case "garp_master_delay" -> garpDelay = Values.seconds(n, Integer.MAX_VALUE);
      case "garp_master_repeat" -> garpRepeat = repeat(n);
      case "garp_master_refresh" -> garpRefresh = Values.seconds(n, Integer.MAX_VALUE);
      case "check_unicast_src" -> {
        // floatip always drops unicast adverts from addresses that are not peers
      }
      default -> warn(n, Unsupported.instance(n.keyword()));
    }
  }

  private void garpDefaults() throws ConfSyntaxError {
    ConfNode d = defs.global("vrrp_garp_master_delay");
    garpDelay = d == null ? Duration.ofSeconds(5) : Values.seconds(d, Integer.MAX_VALUE);
    ConfNode r = defs.global("vrrp_garp_master_repeat");
    garpRepeat = r == null ? Schema.GARP_REPEAT : repeat(r);
    ConfNode f = defs.global("vrrp_garp_master_refresh");
    garpRefresh = f == null ? Duration.ZERO : Values.seconds(f, Integer.MAX_VALUE);
  }

  private int repeat(ConfNode n) throws ConfSyntaxError {
    int value = Values.integer(n, 1, Integer.MAX_VALUE);
    if (value > 100) {
      warn(n, value + " packets per burst; floatip sends at most 100");
      return 100;
    }
    return value;
  }

  private void authentication(ConfNode n) throws ConfSyntaxError {
    String type = null;
    String pass = null;
    for (ConfNode c : n.children()) {
      switch (c.keyword()) {
        case "auth_type" -> type = Values.one(c);
        case "auth_pass" -> pass = Values.one(c);
        default -> warn(c, "unknown keyword in authentication, not converted");
      }
    }
    if (type == null) {
      throw new ConfSyntaxError(n.at(), "authentication: auth_type is required");
    }
    if (type.equals("AH")) {
      warn(n, "auth_type AH (IPsec AH) is not supported; not converted");
      return;
    }
    if (!type.equals("PASS")) {
      throw new ConfSyntaxError(n.at(), "authentication: auth_type must be PASS or AH");
    }
    if (pass == null || pass.isEmpty()) {
      throw new ConfSyntaxError(n.at(), "authentication: auth_pass is required with PASS");
    }
    if (pass.length() > 8) {
      warn(n, "keepalived uses only the first 8 characters of auth_pass; so does the result");
      pass = pass.substring(0, 8);
    }
    password = pass;
    authAt = n;
  }

  private void addresses(ConfNode block, boolean excluded) throws ConfSyntaxError {
    for (ConfNode a : block.children()) {
      String text = a.keyword();
      Cidr cidr;
      try {
        cidr = Cidr.parse(text);
      } catch (IllegalArgumentException e) {
        throw new ConfSyntaxError(
            a.at(), block.keyword() + ": \"" + text + "\" is not an address: " + e.getMessage());
      }
      Optional<String> label = addressOptions(a);
      addresses.add(new Address(text, cidr.address() instanceof Inet6Address, excluded, label, a));
    }
  }

  /** The options after an address; answers its {@code label}. */
  private Optional<String> addressOptions(ConfNode a) throws ConfSyntaxError {
    Optional<String> label = Optional.empty();
    List<String> args = a.args();
    for (int i = 0; i < args.size(); i++) {
      String opt = args.get(i);
      switch (opt) {
        case "dev" -> {
          String dev = value(a, args, ++i);
          if (interfaceName == null) {
            interfaceName = dev;
          } else if (!dev.equals(interfaceName)) {
            warn(
                a,
                "dev",
                "address on "
                    + dev
                    + " but the instance's interface is "
                    + interfaceName
                    + "; floatip puts every address on spec.interface");
          }
        }
        case "label" -> label = Optional.of(value(a, args, ++i));
        case "brd", "broadcast", "scope", "preferred_lft", "peer" -> {
          String v = value(a, args, ++i);
          if (!(opt.equals("scope") && v.equals("global"))) {
            warn(a, opt, "address option " + opt + " " + v + " not converted");
          }
        }
        case "no_track",
            "home",
            "-nodad",
            "nodad",
            "noprefixroute",
            "mngtmpaddr",
            "autojoin",
            "use_vmac" ->
            warn(a, opt, "address option " + opt + " not converted");
        default ->
            throw new ConfSyntaxError(
                a.at(), "virtual_ipaddress: unknown option \"" + opt + "\" after " + a.keyword());
      }
    }
    return label;
  }

  private static String value(ConfNode a, List<String> args, int i) throws ConfSyntaxError {
    if (i >= args.size()) {
      throw new ConfSyntaxError(a.at(), a.keyword() + ": " + args.get(i - 1) + " needs a value");
    }
    return args.get(i);
  }

  private void unicastPeers(ConfNode n) throws ConfSyntaxError {
    for (ConfNode p : n.children()) {
      peers.add(ip(p, p.keyword()));
      if (!p.args().isEmpty()) {
        warn(p, "unicast_peer", "peer options " + String.join(" ", p.args()) + " not converted");
      }
    }
  }

  private static String ip(ConfNode n, String text) throws ConfSyntaxError {
    Optional<InetAddress> a = IpLiteral.parse(text);
    if (a.isEmpty()) {
      throw new ConfSyntaxError(n.at(), n.keyword() + ": \"" + text + "\" is not an IP address");
    }
    return text;
  }

  private void hook(ConfNode n, String which) throws ConfSyntaxError {
    String script = Values.one(n);
    if (n.args().size() > 3) {
      throw new ConfSyntaxError(n.at(), n.keyword() + ": expected \"script\" [user [group]]");
    }
    if (n.args().size() > 1) {
      hookUsers.put(which, String.join(":", n.args().subList(1, n.args().size())));
    }
    hookNodes.put(which, n);
    if (Commands.needsShell(script)) {
      warn(n, "uses shell syntax; runs as /bin/sh -c");
    }
    if (which.equals("notify") && !resourceName.equals(instance.arg())) {
      warn(
          n,
          "the script gets INSTANCE "
              + resourceName
              + " (the VirtualIP's name) where keepalived passed "
              + instance.arg());
    }
    hooks.put(which, Commands.command(script));
  }

  private void syncGroup(ConfNode group) throws ConfSyntaxError {
    String name = group.arg();
    if (!Names.syncGroup(name).equals(name)) {
      warn(group, "vrrp_sync_group", "name " + name + " becomes " + Names.syncGroup(name));
    }
    for (ConfNode n : group.children()) {
      switch (n.keyword()) {
        case "group" -> {
          // membership, read by Definitions
        }
        case "track_interface" -> tracks.interfaces(n);
        case "track_script" -> tracks.scripts(n);
        case "track_process" -> tracks.processes(n);
        case "track_file" -> tracks.files(n);
        case "sync_group_tracking_weight" -> tracks.keepGroupWeights();
        case "notify_master", "notify_backup", "notify_fault", "notify_stop" -> {
          if (hooks.containsKey(n.keyword())) {
            warn(n, "the instance has its own " + n.keyword() + "; the group's is not converted");
          } else {
            hook(n, n.keyword());
            warn(n, "floatip runs hooks per VirtualIP: this one runs once for every member");
          }
        }
        case "notify" ->
            warn(
                n,
                "group notify (GROUP arguments) has no floatip counterpart; the members'"
                    + " notify gets INSTANCE arguments; not converted");
        case "smtp_alert" -> smtpAlert = n;
        default -> warn(n, Unsupported.instance(n.keyword()));
      }
    }
  }

  /** The addresses this instance keeps (those with a unicast peer of their family). */
  private List<Address> addressList() {
    if (addresses.isEmpty()) {
      return List.of();
    }
    if (peers.isEmpty()) {
      return List.copyOf(addresses);
    }
    List<Address> out = new ArrayList<>();
    boolean peer4 = peers.stream().anyMatch(p -> !p.contains(":"));
    boolean peer6 = peers.stream().anyMatch(p -> p.contains(":"));
    for (Address a : addresses) {
      if (a.ipv6 ? peer6 : peer4) {
        out.add(a);
      } else {
        warn(
            a.at,
            a.excluded ? "virtual_ipaddress_excluded" : "virtual_ipaddress",
            a.text
                + ": no "
                + (a.ipv6 ? "IPv6" : "IPv4")
                + " unicast_peer to elect it with; left out");
      }
    }
    return out;
  }

  /**
   * virtual_ipaddress_excluded: moved with the router of their family. An excluded address of a
   * family with no advertised address (keepalived moved IPv6 ones with an IPv4 instance) has no
   * router to move with, so it becomes an advertised address and gets that family's router.
   */
  private List<String> excluded(List<Address> kept) {
    boolean v4 = kept.stream().anyMatch(a -> !a.excluded && !a.ipv6);
    boolean v6 = kept.stream().anyMatch(a -> !a.excluded && a.ipv6);
    List<String> out = new ArrayList<>();
    for (Address a : kept) {
      if (!a.excluded) {
        continue;
      }
      if (a.ipv6 ? v6 : v4) {
        out.add(a.text);
      } else {
        warn(
            a.at,
            "virtual_ipaddress_excluded",
            a.text
                + ": no "
                + (a.ipv6 ? "IPv6" : "IPv4")
                + " address in virtual_ipaddress to move it with (floatip runs one router per"
                + " family), so it goes to spec.addresses and is advertised");
      }
    }
    return out;
  }

  /** The labels of the kept IPv4 addresses; the kernel ignores IFA_LABEL for IPv6. */
  private Map<String, String> labels(List<Address> kept) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Address a : kept) {
      if (a.label.isEmpty()) {
        continue;
      }
      String label = a.label.get();
      if (a.ipv6) {
        warn(
            a.at,
            "label",
            "IPv6 addresses have no label (the kernel ignores it); " + label + " not converted");
      } else if (label.length() > Schema.LABEL_MAX_LENGTH
          || !label.matches(Schema.LABEL)
          || (interfaceName != null && !label.startsWith(interfaceName))) {
        warn(
            a.at,
            "label",
            label
                + ": a label is at most 15 characters and starts with the interface name; not"
                + " converted");
      } else {
        out.put(a.text, label);
      }
    }
    return out;
  }

  private int version(List<String> addressList) {
    int ver = version != null ? version : defs.vrrpVersion;
    boolean v6 = addressList.stream().anyMatch(a -> a.contains(":"));
    boolean v4 = addressList.stream().anyMatch(a -> !a.contains(":"));
    if (ver == 2 && v6) {
      if (v4) {
        warn(
            instance,
            "version",
            "IPv6 addresses need VRRPv3, so the whole VirtualIP uses version 3; peers must run"
                + " version 3 too (keepalived ran this IPv4 instance with version 2)");
      }
      // keepalived runs IPv6 instances with version 3 whatever vrrp_version says
      ver = 3;
    }
    if (v4 && v6) {
      warn(
          instance,
          "virtual_ipaddress",
          "IPv4 and IPv6 addresses: floatip elects them with one VRRP router per family (same"
              + " VRID); keepalived ran one router for both");
    }
    return ver;
  }

  private Duration interval(int ver) {
    if (ver == 2) {
      long s = Math.max(1, (advert.toMillis() + 999) / 1000);
      if (advert.toMillis() % 1000 != 0 || advert.isZero()) {
        warn(instance, "advert_int", "VRRPv2 needs whole seconds; " + s + "s used");
      }
      return Duration.ofSeconds(s);
    }
    long cs = Math.max(1, Math.min(4095, (advert.toMillis() + 5) / 10));
    Duration d = Duration.ofMillis(cs * 10);
    if (!d.equals(advert)) {
      warn(instance, "advert_int", "VRRPv3 counts in 10 ms steps; " + Values.format(d) + " used");
    }
    return d;
  }

  private boolean preempt() {
    if (nopreempt == null) {
      return true;
    }
    if (stateMaster != null) {
      warn(
          stateMaster,
          "nopreempt works only with state BACKUP: keepalived preempted on start; floatip does"
              + " not");
    }
    if (preemptDelay != null) {
      warn(preemptDelay, "has no effect with nopreempt; not converted");
    }
    return false;
  }

  private Duration delay() throws ConfSyntaxError {
    return preemptDelay == null ? Duration.ZERO : Values.seconds(preemptDelay, MAX_PREEMPT_DELAY);
  }

  private TransportSpec transport() {
    if (peers.isEmpty()) {
      if (unicastSource != null) {
        warn(
            unicastSource,
            "without unicast_peer keepalived sends multicast; floatip sends from the interface's"
                + " primary address");
      }
      return new TransportSpec(TransportMode.Multicast, null);
    }
    // every router of the group in one list, the same on each host (the agent skips its own)
    Set<String> all = new LinkedHashSet<>();
    if (unicastSource != null) {
      all.add(unicastSource.arg());
    }
    all.addAll(peers);
    return new TransportSpec(TransportMode.Unicast, List.copyOf(all));
  }

  private PrioritySpec priority() {
    return options.node() == null
        ? new PrioritySpec(priority, null, null)
        : new PrioritySpec(null, null, Map.of(options.node(), priority));
  }

  private AuthenticationSpec authentication(int ver) {
    if (password == null) {
      return null;
    }
    if (ver != 2) {
      warn(authAt, "VRRPv3 has no authentication (keepalived ignores it too); not converted");
      password = null;
      return null;
    }
    if (options.cluster()) {
      return new AuthenticationSpec(
          new SecretKeyRef(Names.secret(resourceName), Conversion.SECRET_KEY, options.namespace()),
          null,
          null);
    }
    if (options.passwordDir() != null) {
      return new AuthenticationSpec(
          null, options.passwordDir().resolve(Names.passwordFile(resourceName)).toString(), null);
    }
    return new AuthenticationSpec(null, null, password);
  }

  private NotifySpec notifications() throws ConfSyntaxError {
    MailSpec mail = smtpAlert == null ? globalSmtpAlert() : mail(smtpAlert);
    if (hooks.isEmpty() && mail == null) {
      return null;
    }
    return new NotifySpec(
        hooks.get("notify"),
        hooks.get("notify_master"),
        hooks.get("notify_backup"),
        hooks.get("notify_fault"),
        hooks.get("notify_stop"),
        hookUser(),
        null,
        mail,
        null);
  }

  /**
   * floatip runs every hook of a VirtualIP as one user: a hook's own user, else global_defs
   * script_user (keepalived's default for scripts and hooks), else the agent's user (null).
   */
  private String hookUser() {
    ConfNode scriptUser = defs.global("script_user");
    String fallback = scriptUser == null ? null : String.join(":", scriptUser.args());
    Map<String, String> users = new LinkedHashMap<>();
    for (String which : hooks.keySet()) {
      users.put(which, hookUsers.getOrDefault(which, fallback));
    }
    List<String> distinct = users.values().stream().distinct().toList();
    if (distinct.size() <= 1) {
      return distinct.isEmpty() ? null : distinct.getFirst();
    }
    String chosen = distinct.stream().filter(u -> u != null).findFirst().orElse(null);
    for (var e : users.entrySet()) {
      if (!java.util.Objects.equals(e.getValue(), chosen)) {
        warn(
            hookNodes.get(e.getKey()),
            "runs as "
                + (e.getValue() == null ? "keepalived's default user" : e.getValue())
                + " under keepalived; floatip runs all hooks of a VirtualIP as one user:"
                + " notify.user "
                + chosen);
      }
    }
    return chosen;
  }

  private MailSpec globalSmtpAlert() throws ConfSyntaxError {
    ConfNode g = defs.global("smtp_alert_vrrp");
    if (g == null) {
      g = defs.global("smtp_alert");
    }
    return g == null || (!g.args().isEmpty() && g.arg().equals("false")) ? null : mail(g);
  }

  private MailSpec mail(ConfNode alert) throws ConfSyntaxError {
    ConfNode server = defs.global("smtp_server");
    if (server == null || defs.notificationEmails.isEmpty()) {
      warn(
          alert,
          "smtp_alert",
          "needs smtp_server and notification_email in global_defs; not converted");
      return null;
    }
    String host = Values.one(server);
    String port = server.args().size() > 1 ? server.args().get(1) : null;
    if (port != null) {
      Values.integer(server, port, 1, 65535);
      host = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
    ConfNode fromNode = defs.global("notification_email_from");
    String from;
    if (fromNode != null) {
      from = Values.one(fromNode);
    } else {
      ConfNode routerId = defs.global("router_id");
      String host0 = routerId == null ? "localhost" : Values.one(routerId);
      from = "keepalived@" + host0;
      warn(
          alert,
          "smtp_alert",
          "no notification_email_from: keepalived used keepalived@<host name>; " + from + " used");
    }
    ConfNode helo = defs.global("smtp_helo_name");
    ConfNode timeout = defs.global("smtp_connect_timeout");
    return new MailSpec(
        host,
        from,
        List.copyOf(defs.notificationEmails),
        helo == null ? null : Values.one(helo),
        Values.format(
            timeout == null ? Duration.ofSeconds(30) : Values.seconds(timeout, Integer.MAX_VALUE)),
        null, // keepalived has no TLS and no AUTH (README: migration)
        null,
        null);
  }

  private void warn(ConfNode n, String message) {
    warn(n, n.keyword(), message);
  }

  private void warn(ConfNode n, String keyword, String message) {
    warnings.add(new ConvertWarning(n.at(), keyword, message));
  }
}
