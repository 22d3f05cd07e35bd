package dev.floatip.dataplane.linux;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.MacAddress;
import dev.floatip.testing.NetnsLab;
import dev.floatip.testing.NetnsLab.Node;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Gratuitous ARP and unsolicited NA reach the peer and update its neighbour table. */
class PacketAnnouncerIT {
  private static final String STALE_MAC = "02:00:00:00:00:99";
  private static NetnsLab lab;
  private static LinuxDataplane dp1;
  private static Node r1;
  private static Node r2;

  @BeforeAll
  static void lab() throws Exception {
    NetnsLab.assumeAvailable();
    lab = NetnsLab.create("announce", 2);
    r1 = lab.router(1);
    r2 = lab.router(2);
    dp1 = lab.call(r1, () -> LinuxDataplane.open().orElseThrow());
  }

  @AfterAll
  static void closeLab() {
    if (dp1 != null) {
      dp1.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void gratuitousArpUpdatesThePeersEntry() throws Exception {
    var vip = (Inet4Address) InetAddress.getByName("192.0.2.200");
    // arp_accept=0 (default) only updates existing entries: pre-seed one (toolchain.md §4).
    lab.exec(
        r2,
        "ip",
        "neigh",
        "replace",
        "192.0.2.200",
        "lladdr",
        STALE_MAC,
        "dev",
        "eth0",
        "nud",
        "stale");
    try (FrameSniffer sniffer = lab.call(r2, () -> FrameSniffer.open(ifindex(r2)))) {
      dp1.announcer().announce("eth0", vip).orElseThrow();
      byte[] frame = sniffer.await(f -> f.length >= 42 && f[12] == 0x08 && f[13] == 0x06);
      assertArrayEquals(AnnouncementFrames.gratuitousArp(MacAddress.parse(r1.mac()), vip), frame);
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                lab.exec(r2, "ip", "neigh", "show", "192.0.2.200", "dev", "eth0")
                    .contains(r1.mac()));
  }

  @Test
  void gratuitousArpCreatesAnEntryWithArpAccept() throws Exception {
    lab.exec(r2, "sysctl", "-qw", "net.ipv4.conf.eth0.arp_accept=1");
    try {
      dp1.announcer().announce("eth0", InetAddress.getByName("192.0.2.201")).orElseThrow();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  lab.exec(r2, "ip", "neigh", "show", "192.0.2.201", "dev", "eth0")
                      .contains(r1.mac()));
    } finally {
      lab.exec(r2, "sysctl", "-qw", "net.ipv4.conf.eth0.arp_accept=0");
    }
  }

  @Test
  void unsolicitedNeighbourAdvertisementUpdatesThePeersEntry() throws Exception {
    var vip = (Inet6Address) InetAddress.getByName("2001:db8::200");
    lab.exec(
        r2,
        "ip",
        "-6",
        "neigh",
        "replace",
        "2001:db8::200",
        "lladdr",
        STALE_MAC,
        "dev",
        "eth0",
        "nud",
        "stale");
    try (FrameSniffer sniffer = lab.call(r2, () -> FrameSniffer.open(ifindex(r2)))) {
      dp1.announcer().announce("eth0", vip).orElseThrow();
      byte[] frame =
          sniffer.await(f -> f.length == 86 && f[12] == (byte) 0x86 && f[54] == (byte) 136);
      assertArrayEquals(
          AnnouncementFrames.unsolicitedNeighbourAdvertisement(MacAddress.parse(r1.mac()), vip),
          frame);
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                lab.exec(r2, "ip", "-6", "neigh", "show", "2001:db8::200", "dev", "eth0")
                    .contains(r1.mac()));
  }

  @Test
  void unknownInterfaceIsEnodev() throws Exception {
    var r = dp1.announcer().announce("nosuch0", InetAddress.getByName("192.0.2.200"));
    assertEquals("ENODEV", assertInstanceOf(IoResult.Failed.class, r).errnoName());
  }

  private static int ifindex(Node node) {
    return Integer.parseInt(lab.exec(node, "cat", "/sys/class/net/eth0/ifindex").trim());
  }
}
