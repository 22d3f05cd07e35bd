package dev.floatip.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NetnsLabIT {

  @BeforeAll
  static void root() {
    NetnsLab.assumeAvailable();
  }

  @Test
  void buildsAConnectedLabAndDeletesIt() throws Exception {
    String prefix;
    try (NetnsLab lab = NetnsLab.create("lab", 2)) {
      prefix = lab.prefix();
      var r1 = lab.router(1);
      var r2 = lab.router(2);
      String addrs = lab.exec(r1, "ip", "-o", "addr", "show", "dev", "eth0");
      assertTrue(addrs.contains("192.0.2.11/24"), addrs);
      assertTrue(addrs.contains("2001:db8::11/64"), addrs);
      assertTrue(addrs.contains("fe80::fd:ff:fe00:1/64"), addrs);
      assertEquals("hello", udp(lab, r1, r2.ipv4()));
      assertEquals("hello", udp(lab, lab.client(), r2.ipv6()));
      assertFalse(lab.exec(r1, "ip", "route").contains("default"));
      assertTrue(listNamespaces().contains(prefix + "-r2"));
    }
    assertFalse(listNamespaces().contains(prefix), "namespaces deleted");
  }

  /** Java sockets opened on a namespace thread live in that namespace. */
  private static String udp(NetnsLab lab, NetnsLab.Node from, InetAddress to) throws Exception {
    try (DatagramSocket receiver =
        lab.call(lab.router(2), () -> new DatagramSocket(new InetSocketAddress(to, 0)))) {
      receiver.setSoTimeout(5000);
      byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
      lab.call(
          from,
          () -> {
            try (DatagramSocket s = new DatagramSocket()) {
              s.send(new DatagramPacket(hello, hello.length, to, receiver.getLocalPort()));
            }
            return null;
          });
      DatagramPacket p = new DatagramPacket(new byte[16], 16);
      receiver.receive(p);
      return new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
    }
  }

  @Test
  void eui64LinkLocal() {
    assertEquals("fe80::fd:ff:fe00:1", NetnsLab.eui64LinkLocal("02:fd:00:00:00:01"));
  }

  private static String listNamespaces() throws IOException {
    Process p = new ProcessBuilder("ip", "netns", "list").start();
    return new String(p.getInputStream().readAllBytes());
  }
}
