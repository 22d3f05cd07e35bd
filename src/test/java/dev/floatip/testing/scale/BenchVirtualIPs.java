package dev.floatip.testing.scale;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The scale benchmark's VirtualIPs as JSON (see {@link ScaleBench} for their shape): the first
 * {@value #WITHOUT_SELECTOR} without nodeSelector, with real agents the next {@value #REAL_VIPS} on
 * their segment, the others one group each with its own toleration.
 */
final class BenchVirtualIPs {

  static final int WITHOUT_SELECTOR = 2;
  static final int REAL_VIPS = 2;
  static final String OWN_TOLERATION = "bench.floatip.dev/team-";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ScaleBench.Settings s;

  BenchVirtualIPs(ScaleBench.Settings settings) {
    this.s = settings;
  }

  static String name(int i) {
    return String.format("vip-%04d", i);
  }

  static String extraName(int j) {
    return String.format("extra-%03d", j);
  }

  /** 198.19.x.y: RFC 2544's range, on the nodes' /15. */
  private static String address(int k) {
    return "198.19." + (k / 254) + "." + (k % 254 + 1) + "/15";
  }

  /** VirtualIP {@code i} of the ones created at once. */
  String vip(int i) {
    if (i < WITHOUT_SELECTOR) {
      return vipJson(name(i), address(i), null, null, true);
    }
    if (s.realAgents() > 0 && i < WITHOUT_SELECTOR + REAL_VIPS) {
      return realVip(name(i), i - WITHOUT_SELECTOR);
    }
    // no spec.virtualRouterId: the operator allocates every VRID (unique per segment)
    return vipJson(name(i), address(i), i % s.groups(), order(i % s.groups(), i), false);
  }

  /** VirtualIP {@code j} of the ones added and deleted later. */
  String extraVip(int j) {
    return vipJson(
        extraName(j), address(30000 + j), j % s.groups(), order(j % s.groups(), j), false);
  }

  /**
   * The group's nodes as {@code priority.order}, rotated by {@code k}: distinct priorities, as a
   * keepalived configuration has them (equal ones tie on a failover: two backups take over at once
   * and the lower address yields, RFC 5798 §6.4.3), and the groups' VirtualIPs spread their
   * masters.
   */
  private java.util.List<String> order(int group, int k) {
    java.util.List<String> members = new java.util.ArrayList<>();
    for (int n = 0; n < s.nodes(); n++) {
      if (s.groupOf(n) == group) {
        members.add(CloudNodes.name(n));
      }
    }
    java.util.Collections.rotate(members, -(k % Math.max(1, members.size())));
    return members;
  }

  /**
   * A VirtualIP's JSON. One of a group selects the group by label, tolerates its taint and has a
   * toleration of its own ({@value #OWN_TOLERATION}NAME, which no node has): its own nodeSelector
   * and toleration, as a team's VirtualIP would have.
   */
  private static String vipJson(
      String name,
      String address,
      Integer group,
      java.util.List<String> order,
      boolean tolerateAll) {
    var root = JSON.createObjectNode();
    root.put("apiVersion", "floatip.dev/v1alpha1").put("kind", "VirtualIP");
    root.putObject("metadata").put("name", name);
    var spec = root.putObject("spec");
    spec.putArray("addresses").add(address);
    if (order != null) {
      var list = spec.putObject("priority").putArray("order");
      order.forEach(list::add);
    }
    if (group != null) {
      spec.putObject("nodeSelector")
          .putObject("matchLabels")
          .put(CloudNodes.GROUP_LABEL, CloudNodes.group(group));
      spec.putArray("tolerations")
          .addObject()
          .put("key", CloudNodes.TAINT_KEY)
          .put("operator", "Equal")
          .put("value", CloudNodes.group(group))
          .put("effect", "NoSchedule");
      spec.withArray("tolerations")
          .addObject()
          .put("key", OWN_TOLERATION + name)
          .put("operator", "Exists")
          .put("effect", "NoSchedule");
    }
    if (tolerateAll) {
      // every group's taint, not the real agents' nodes' (their segment is a real one)
      spec.putArray("tolerations")
          .addObject()
          .put("key", CloudNodes.TAINT_KEY)
          .put("operator", "Exists")
          .put("effect", "NoSchedule");
    }
    return root.toString();
  }

  /** The real agents' VirtualIP {@code k}: 192.0.2.20K/24 on their segment, VRID 200+K. */
  private static String realVip(String name, int k) {
    var root = JSON.createObjectNode();
    root.put("apiVersion", "floatip.dev/v1alpha1").put("kind", "VirtualIP");
    root.putObject("metadata").put("name", name);
    var spec = root.putObject("spec");
    spec.putArray("addresses").add("192.0.2." + (200 + k) + "/24");
    spec.put("virtualRouterId", 200 + k);
    spec.putObject("nodeSelector")
        .putObject("matchLabels")
        .put(CloudNodes.GROUP_LABEL, CloudNodes.REAL_GROUP);
    spec.putArray("tolerations")
        .addObject()
        .put("key", CloudNodes.REAL_TAINT)
        .put("operator", "Exists")
        .put("effect", "NoSchedule");
    return root.toString();
  }
}
