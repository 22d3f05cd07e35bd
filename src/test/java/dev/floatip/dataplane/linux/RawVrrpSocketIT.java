package dev.floatip.dataplane.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.PacketIo;
import dev.floatip.dataplane.ReceivedPacket;
import dev.floatip.testing.NetnsLab;
import dev.floatip.testing.NetnsLab.Node;
import dev.floatip.vrrp.IpFamily;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Raw VRRP packets between two namespaces, both families, unicast and multicast. */
class RawVrrpSocketIT {
  /** The 12-byte VRRPv3 message of the keepalived capture; the socket does not interpret it. */
  private static final byte[] MESSAGE =
      Arrays.copyOfRange(Vectors.frame("v3-ipv4-mcast-prio150-adv10cs.hex"), 34, 46);

  private static NetnsLab lab;
  private static LinuxDataplane dp1;
  private static LinuxDataplane dp2;
  private PacketIo sender;
  private PacketIo receiver;

  @BeforeAll
  static void lab() throws Exception {
    NetnsLab.assumeAvailable();
    lab = NetnsLab.create("raw", 2);
    dp1 = lab.call(lab.router(1), () -> LinuxDataplane.open().orElseThrow());
    dp2 = lab.call(lab.router(2), () -> LinuxDataplane.open().orElseThrow());
  }

  @AfterAll
  static void closeLab() {
    if (dp1 != null) {
      dp1.close();
      dp2.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  @AfterEach
  void closeSockets() {
    if (sender != null) {
      sender.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private void open(IpFamily family, boolean multicast) throws Exception {
    var options = PacketIo.Options.of("eth0", family).withMulticast(multicast);
    sender = lab.call(lab.router(1), () -> dp1.openPacketIo(options).orElseThrow());
    receiver = lab.call(lab.router(2), () -> dp2.openPacketIo(options).orElseThrow());
  }

  @Test
  void ipv4Unicast() throws Exception {
    open(IpFamily.IPV4, false);
    Node r1 = lab.router(1);
    Node r2 = lab.router(2);
    assertEquals(r1.ipv4(), sender.sourceAddress(), "primary IPv4 address");
    sender.send(r2.ipv4(), MESSAGE).orElseThrow();
    ReceivedPacket p = awaitPacket(receiver);
    assertEquals(r1.ipv4(), p.source());
    assertEquals(r2.ipv4(), p.destination());
    assertEquals(255, p.ttlOrHopLimit());
    assertEquals("eth0", p.interfaceName());
    assertArrayEquals(MESSAGE, p.payload());
  }

  @Test
  void ipv4Multicast() throws Exception {
    open(IpFamily.IPV4, true);
    sender.send(IpFamily.IPV4.multicastGroup(), MESSAGE).orElseThrow();
    ReceivedPacket p = awaitPacket(receiver);
    assertEquals(lab.router(1).ipv4(), p.source());
    assertEquals(InetAddress.getByName("224.0.0.18"), p.destination());
    assertEquals(255, p.ttlOrHopLimit());
    assertArrayEquals(MESSAGE, p.payload());
    // multicast loop is off: the sender does not hear itself
    assertEquals(Optional.empty(), sender.receive().orElseThrow());
  }

  @Test
  void ipv6Unicast() throws Exception {
    open(IpFamily.IPV6, false);
    Node r1 = lab.router(1);
    Node r2 = lab.router(2);
    assertEquals(r1.ipv6LinkLocal(), sender.sourceAddress(), "RFC 5798 §5.1.2.1 link-local");
    sender.send(r2.ipv6(), MESSAGE).orElseThrow();
    ReceivedPacket p = awaitPacket(receiver);
    assertEquals(r1.ipv6LinkLocal(), p.source());
    assertEquals(r2.ipv6(), p.destination(), "from IPV6_PKTINFO");
    assertEquals(255, p.ttlOrHopLimit(), "from IPV6_HOPLIMIT");
    assertArrayEquals(MESSAGE, p.payload());
  }

  @Test
  void ipv6LinkLocalUnicast() throws Exception {
    open(IpFamily.IPV6, false);
    sender.send(lab.router(2).ipv6LinkLocal(), MESSAGE).orElseThrow();
    ReceivedPacket p = awaitPacket(receiver);
    assertEquals(lab.router(2).ipv6LinkLocal(), p.destination());
  }

  @Test
  void ipv6Multicast() throws Exception {
    open(IpFamily.IPV6, true);
    sender.send(IpFamily.IPV6.multicastGroup(), MESSAGE).orElseThrow();
    ReceivedPacket p = awaitPacket(receiver);
    assertEquals(lab.router(1).ipv6LinkLocal(), p.source());
    assertEquals(InetAddress.getByName("ff02::12"), p.destination());
    assertEquals(255, p.ttlOrHopLimit());
    assertArrayEquals(MESSAGE, p.payload());
  }

  @Test
  void sourceCanBeOverridden() throws Exception {
    Node r1 = lab.router(1);
    lab.exec(r1, "ip", "addr", "add", "192.0.2.111/24", "dev", "eth0");
    try {
      InetAddress source = InetAddress.getByName("192.0.2.111");
      var options = PacketIo.Options.of("eth0", IpFamily.IPV4).withSource(source);
      sender = lab.call(r1, () -> dp1.openPacketIo(options).orElseThrow());
      receiver =
          lab.call(
              lab.router(2),
              () -> dp2.openPacketIo(PacketIo.Options.of("eth0", IpFamily.IPV4)).orElseThrow());
      sender.send(IpFamily.IPV4.multicastGroup(), MESSAGE).orElseThrow();
      assertEquals(source, awaitPacket(receiver).source());
    } finally {
      lab.exec(r1, "ip", "addr", "del", "192.0.2.111/24", "dev", "eth0");
    }
  }

  @Test
  void closeStopsABlockedReceiver() throws Exception {
    var options =
        PacketIo.Options.of("eth0", IpFamily.IPV4).withReceiveTimeout(Duration.ofMillis(100));
    receiver = lab.call(lab.router(2), () -> dp2.openPacketIo(options).orElseThrow());
    PacketIo socket = receiver;
    CompletableFuture<IoResult<Optional<ReceivedPacket>>> loop =
        CompletableFuture.supplyAsync(
            () -> {
              while (true) {
                var r = socket.receive();
                if (!r.isOk()) {
                  return r;
                }
              }
            });
    socket.close();
    var last = loop.get(5, TimeUnit.SECONDS);
    assertEquals("EBADF", assertInstanceOf(IoResult.Failed.class, last).errnoName());
  }

  /**
   * One send header serves every send: alternating destinations (unicast, multicast) and lengths
   * must each leave with their own address and exactly their own bytes.
   */
  @Test
  void reusedSendHeaderFollowsDestinationAndLength() throws Exception {
    open(IpFamily.IPV4, true);
    InetAddress unicast = lab.router(2).ipv4();
    InetAddress group = IpFamily.IPV4.multicastGroup();
    byte[] longer = Arrays.copyOf(MESSAGE, MESSAGE.length + 8);
    longer[longer.length - 1] = 42;
    Object[][] sends = {
      {unicast, longer}, {group, MESSAGE}, {unicast, MESSAGE}, {group, longer}, {group, MESSAGE}
    };
    for (Object[] send : sends) {
      sender.send((InetAddress) send[0], (byte[]) send[1]).orElseThrow();
      ReceivedPacket p = awaitPacket(receiver);
      assertEquals(send[0], p.destination());
      assertArrayEquals((byte[]) send[1], p.payload(), "payload to " + send[0]);
    }
  }

  @Test
  void oversizedMessageIsEmsgsize() throws Exception {
    open(IpFamily.IPV4, false);
    var r = sender.send(lab.router(2).ipv4(), new byte[RawVrrpSocket.MAX_MESSAGE + 1]);
    assertEquals("EMSGSIZE", assertInstanceOf(IoResult.Failed.class, r).errnoName());
  }

  /**
   * A receive blocks in poll(2) without a timeout to speak of; close() must wake it at once through
   * the eventfd, not after the minute-long receive timeout.
   */
  @Test
  void closeWakesAReceiverBlockedInPoll() throws Exception {
    var options =
        PacketIo.Options.of("eth0", IpFamily.IPV4).withReceiveTimeout(Duration.ofMinutes(1));
    receiver = lab.call(lab.router(2), () -> dp2.openPacketIo(options).orElseThrow());
    PacketIo socket = receiver;
    CompletableFuture<IoResult<Optional<ReceivedPacket>>> result = new CompletableFuture<>();
    Thread t = Thread.ofPlatform().start(() -> result.complete(socket.receive()));
    Instant deadline = Instant.now().plusSeconds(10);
    while (Arrays.stream(t.getStackTrace())
        .noneMatch(f -> f.getClassName().endsWith("LibC") && f.getMethodName().equals("poll"))) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("the receiver never reached poll(2)");
      }
      Thread.onSpinWait();
    }
    long start = System.nanoTime();
    socket.close();
    var last = result.get(5, TimeUnit.SECONDS);
    assertEquals("EBADF", assertInstanceOf(IoResult.Failed.class, last).errnoName());
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    org.junit.jupiter.api.Assertions.assertTrue(ms < 2000, "woken after " + ms + " ms");
  }

  @Test
  void missingInterfaceIsEnodev() throws Exception {
    var r =
        lab.call(
            lab.router(1), () -> dp1.openPacketIo(PacketIo.Options.of("nosuch0", IpFamily.IPV4)));
    assertEquals("ENODEV", assertInstanceOf(IoResult.Failed.class, r).errnoName());
  }

  @Test
  void noLinkLocalAddressIsEaddrnotavail() throws Exception {
    var r =
        lab.call(lab.router(1), () -> dp1.openPacketIo(PacketIo.Options.of("lo", IpFamily.IPV6)));
    assertEquals("EADDRNOTAVAIL", assertInstanceOf(IoResult.Failed.class, r).errnoName());
  }

  /** Receives until a packet arrives (polls with the socket's receive timeout, 10 s deadline). */
  static ReceivedPacket awaitPacket(PacketIo socket) {
    Instant deadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(deadline)) {
      Optional<ReceivedPacket> p = socket.receive().orElseThrow();
      if (p.isPresent()) {
        return p.get();
      }
    }
    throw new AssertionError("no packet on " + socket);
  }
}
