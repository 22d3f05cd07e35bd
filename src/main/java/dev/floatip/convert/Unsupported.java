package dev.floatip.convert;

import java.util.Map;

/** Why a keepalived keyword is not carried over: the text of its warning. */
final class Unsupported {

  private static final String UNKNOWN = "unknown keyword, not converted";

  private static final Map<String, String> GLOBAL =
      Map.ofEntries(
          Map.entry("vrrp_strict", "strict mode is not enforced; not converted"),
          Map.entry("enable_snmp_vrrp", "SNMP is not supported (use the agent's metrics)"),
          Map.entry("enable_snmp_rfc", "SNMP is not supported (use the agent's metrics)"),
          Map.entry("enable_snmp_keepalived", "SNMP is not supported (use the agent's metrics)"),
          Map.entry("enable_traps", "SNMP is not supported (use the agent's metrics)"),
          Map.entry("enable_dbus", "DBus is not supported (use floatip status)"),
          Map.entry("vrrp_garp_interval", "spacing of gratuitous ARPs is not configurable"),
          Map.entry("vrrp_gna_interval", "spacing of unsolicited NAs is not configurable"),
          Map.entry("vrrp_garp_master_refresh_repeat", "floatip sends one packet per refresh"),
          Map.entry("vrrp_garp_lower_prio_delay", "not configurable; not converted"),
          Map.entry("vrrp_garp_lower_prio_repeat", "not configurable; not converted"),
          Map.entry("vrrp_mcast_group4", "floatip uses the standard group 224.0.0.18"),
          Map.entry("vrrp_mcast_group6", "floatip uses the standard group ff02::12"),
          Map.entry("notify_fifo", "use notify.command or notify.webhook"),
          Map.entry("vrrp_notify_fifo", "use notify.command or notify.webhook"),
          Map.entry("vrrp_skip_check_adv_addr", "not configurable; not converted"),
          Map.entry("vrrp_startup_delay", "not configurable; not converted"),
          Map.entry("lvs_id", "LVS/IPVS load balancing is not part of floatip"),
          Map.entry("lvs_sync_daemon", "LVS/IPVS load balancing is not part of floatip"));

  private static final Map<String, String> INSTANCE =
      Map.ofEntries(
          Map.entry("use_vmac", "virtual MAC addresses are not supported; the node's MAC is used"),
          Map.entry("vmac_xmit_base", "virtual MAC addresses are not supported"),
          Map.entry("use_ipvlan", "ipvlan interfaces are not supported"),
          Map.entry("virtual_routes", "routes are not managed by floatip"),
          Map.entry("virtual_rules", "routing rules are not managed by floatip"),
          Map.entry("static_routes", "static routes are not managed by floatip"),
          Map.entry("static_ipaddress", "static addresses are not managed by floatip"),
          Map.entry("track_bfd", "BFD is not supported"),
          Map.entry("track_src_ip", "not supported; not converted"),
          Map.entry("mcast_src_ip", "floatip sends from the interface's primary address"),
          Map.entry("mcast_dst_ip", "floatip uses the standard multicast groups"),
          Map.entry("unicast_ttl", "floatip always sends with TTL 255 and requires it"),
          Map.entry("dont_track_primary", "floatip always watches the VIP's interface"),
          Map.entry("strict_mode", "strict mode is not enforced; not converted"),
          Map.entry("accept", "accept mode is not configurable"),
          Map.entry("no_accept", "accept mode is not configurable"),
          Map.entry("skip_check_adv_addr", "not configurable; not converted"),
          Map.entry("lower_prio_no_advert", "not configurable; not converted"),
          Map.entry("higher_prio_send_advert", "not configurable; not converted"),
          Map.entry("garp_master_refresh_repeat", "floatip sends one packet per refresh"),
          Map.entry("garp_lower_prio_delay", "not configurable; not converted"),
          Map.entry("garp_lower_prio_repeat", "not configurable; not converted"),
          Map.entry("garp_extra_if", "gratuitous ARPs go out on the VIP's interface only"),
          Map.entry("promote_secondaries", "not configurable; not converted"),
          Map.entry("notify_deleted", "instances are not deleted by reloads; not converted"),
          Map.entry("notify_master_rx_lower_pri", "no such hook in floatip; not converted"),
          Map.entry("down_timer_adverts", "floatip uses RFC's 3 adverts"),
          Map.entry("timer_expired_backup", "not configurable; not converted"),
          Map.entry("linkbeat_use_polling", "floatip always watches links with netlink"),
          Map.entry("vrf", "VRFs are not supported"),
          Map.entry("debug", "use the agent's log level"));

  private Unsupported() {}

  static String global(String keyword) {
    return GLOBAL.getOrDefault(keyword, UNKNOWN);
  }

  static String instance(String keyword) {
    return INSTANCE.getOrDefault(keyword, UNKNOWN);
  }
}
