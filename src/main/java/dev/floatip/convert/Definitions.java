package dev.floatip.convert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The top level of a keepalived config: {@code global_defs}, the named tracker definitions, the
 * sync groups and the instances. Blocks floatip has no counterpart for become warnings here.
 */
final class Definitions {

  /** Top-level blocks that are not VRRP, with why they are not converted. */
  private static final Map<String, String> NOT_VRRP =
      Map.ofEntries(
          Map.entry("virtual_server", "LVS/IPVS load balancing is not part of floatip"),
          Map.entry("virtual_server_group", "LVS/IPVS load balancing is not part of floatip"),
          Map.entry("static_ipaddress", "static addresses are not managed by floatip"),
          Map.entry("static_routes", "static routes are not managed by floatip"),
          Map.entry("static_rules", "static rules are not managed by floatip"),
          Map.entry("bfd_instance", "BFD is not supported"),
          Map.entry("garp_group", "GARP rate limits per interface are not supported"),
          Map.entry("linkbeat_interfaces", "floatip always watches links with netlink"),
          Map.entry("vrrp_track_bfd", "BFD is not supported"));

  /** keepalived's default VRRP version, unless global_defs sets vrrp_version. */
  static final int KEEPALIVED_VERSION = 2;

  final Map<String, ConfNode> global = new LinkedHashMap<>();
  int vrrpVersion = KEEPALIVED_VERSION;
  final List<String> notificationEmails = new ArrayList<>();
  final Map<String, ConfNode> scripts = new LinkedHashMap<>();
  final Map<String, ConfNode> processes = new LinkedHashMap<>();
  final Map<String, ConfNode> files = new LinkedHashMap<>();
  final Map<String, ConfNode> syncGroups = new LinkedHashMap<>();
  final Map<String, ConfNode> groupOf = new LinkedHashMap<>();
  final List<ConfNode> instances = new ArrayList<>();

  /** Warnings about the file as a whole; they go on every resource. */
  final List<ConvertWarning> warnings = new ArrayList<>();

  static Definitions read(List<ConfNode> top) throws ConfSyntaxError {
    Definitions d = new Definitions();
    for (ConfNode n : top) {
      switch (n.keyword()) {
        case "global_defs" -> d.globalDefs(n);
        case "vrrp_script" -> d.named(d.scripts, n);
        case "vrrp_track_process" -> d.named(d.processes, n);
        case "track_file", "vrrp_track_file" -> d.named(d.files, n);
        case "vrrp_sync_group" -> d.named(d.syncGroups, n);
        case "vrrp_instance" -> d.instances.add(needBlock(n));
        default -> {
          String why = NOT_VRRP.get(n.keyword());
          d.warn(n, why == null ? "unknown keyword, not converted" : why + "; not converted");
        }
      }
    }
    for (ConfNode g : d.syncGroups.values()) {
      for (ConfNode member : g.children()) {
        if (member.keyword().equals("group")) {
          for (ConfNode instance : member.children()) {
            d.groupOf.putIfAbsent(instance.keyword(), g);
          }
        }
      }
    }
    return d;
  }

  static ConfNode needBlock(ConfNode n) throws ConfSyntaxError {
    if (!n.hasBlock()) {
      throw new ConfSyntaxError(n.at(), n.keyword() + ": expected a { ... } block");
    }
    if (n.args().size() != 1) {
      throw new ConfSyntaxError(n.at(), n.keyword() + ": expected one name before '{'");
    }
    return n;
  }

  private void named(Map<String, ConfNode> into, ConfNode n) throws ConfSyntaxError {
    needBlock(n);
    ConfNode first = into.putIfAbsent(n.arg(), n);
    if (first != null) {
      throw new ConfSyntaxError(
          n.at(), n.keyword() + " " + n.arg() + " is defined twice (first at " + first.at() + ")");
    }
  }

  private void globalDefs(ConfNode n) throws ConfSyntaxError {
    if (!n.hasBlock()) {
      throw new ConfSyntaxError(n.at(), "global_defs: expected a { ... } block");
    }
    for (ConfNode c : n.children()) {
      switch (c.keyword()) {
        case "notification_email" -> c.children().forEach(e -> notificationEmails.add(e.keyword()));
        case "vrrp_version" -> vrrpVersion = Values.integer(c, 2, 3);
        case "router_id",
            "notification_email_from",
            "smtp_server",
            "smtp_helo_name",
            "smtp_connect_timeout",
            "smtp_alert",
            "smtp_alert_vrrp",
            "script_user",
            "enable_script_security",
            "vrrp_garp_master_delay",
            "vrrp_garp_master_repeat",
            "vrrp_garp_master_refresh",
            "vrrp_check_unicast_src" ->
            global.put(c.keyword(), c);
        default -> warn(c, Unsupported.global(c.keyword()));
      }
    }
  }

  /** The global statement, or null. */
  ConfNode global(String keyword) {
    return global.get(keyword);
  }

  private void warn(ConfNode n, String message) {
    warnings.add(new ConvertWarning(n.at(), n.keyword(), message));
  }
}
