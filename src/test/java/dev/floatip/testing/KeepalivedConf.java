package dev.floatip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a keepalived.conf with one {@code vrrp_instance}, the way someone running keepalived next
 * to floatip would (keepalived 2.2, research/keepalived-baseline.md Appendix C): {@code state
 * BACKUP}, preempt on, garp settings left at their defaults.
 *
 * @param advertInterval keepalived syntax: seconds, {@code 1} or {@code 0.1}
 * @param unicastSource null for multicast
 * @param password VRRPv2 {@code auth_type PASS}, or null
 */
public record KeepalivedConf(
    String routerId,
    int version,
    String interfaceName,
    int vrid,
    int priority,
    String advertInterval,
    List<String> vips,
    String unicastSource,
    List<String> unicastPeers,
    String password) {

  public KeepalivedConf {
    vips = List.copyOf(vips);
    unicastPeers = List.copyOf(unicastPeers);
  }

  public static KeepalivedConf instance(String routerId, int vrid, int priority) {
    return new KeepalivedConf(
        routerId, 3, "eth0", vrid, priority, "0.1", List.of(), null, List.of(), null);
  }

  public KeepalivedConf version(int v, String advert) {
    return new KeepalivedConf(
        routerId,
        v,
        interfaceName,
        vrid,
        priority,
        advert,
        vips,
        unicastSource,
        unicastPeers,
        password);
  }

  public KeepalivedConf vips(String... cidrs) {
    return new KeepalivedConf(
        routerId,
        version,
        interfaceName,
        vrid,
        priority,
        advertInterval,
        List.of(cidrs),
        unicastSource,
        unicastPeers,
        password);
  }

  public KeepalivedConf unicast(String source, String... peers) {
    return new KeepalivedConf(
        routerId,
        version,
        interfaceName,
        vrid,
        priority,
        advertInterval,
        vips,
        source,
        List.of(peers),
        password);
  }

  public KeepalivedConf password(String pass) {
    return new KeepalivedConf(
        routerId,
        version,
        interfaceName,
        vrid,
        priority,
        advertInterval,
        vips,
        unicastSource,
        unicastPeers,
        pass);
  }

  public String render() {
    StringBuilder b = new StringBuilder();
    b.append("# written by floatip's KeepalivedConf (test)\n");
    b.append("global_defs {\n");
    b.append("    router_id ").append(routerId).append('\n');
    b.append("    vrrp_version ").append(version).append('\n');
    b.append("}\n\n");
    b.append("vrrp_instance VI_1 {\n");
    b.append("    state BACKUP\n");
    b.append("    interface ").append(interfaceName).append('\n');
    b.append("    virtual_router_id ").append(vrid).append('\n');
    b.append("    priority ").append(priority).append('\n');
    b.append("    advert_int ").append(advertInterval).append('\n');
    if (password != null) {
      b.append("    authentication {\n");
      b.append("        auth_type PASS\n");
      b.append("        auth_pass ").append(password).append('\n');
      b.append("    }\n");
    }
    if (unicastSource != null) {
      b.append("    unicast_src_ip ").append(unicastSource).append('\n');
      b.append("    unicast_peer {\n");
      unicastPeers.forEach(p -> b.append("        ").append(p).append('\n'));
      b.append("    }\n");
    }
    b.append("    virtual_ipaddress {\n");
    vips.forEach(
        v -> b.append("        ").append(v).append(" dev ").append(interfaceName).append('\n'));
    b.append("    }\n");
    b.append("}\n");
    return b.toString();
  }

  public Path write(Path file) {
    try {
      return Files.writeString(file, render());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
