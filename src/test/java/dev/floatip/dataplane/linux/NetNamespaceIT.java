package dev.floatip.dataplane.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.MacAddress;
import dev.floatip.dataplane.PacketIo;
import dev.floatip.testing.NetnsLab;
import dev.floatip.vrrp.IpFamily;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetNamespaceIT {

  @Test
  void aDataplaneStaysInTheNamespaceItWasOpenedIn() throws Exception {
    NetnsLab.assumeAvailable();
    try (NetnsLab lab = NetnsLab.create("netns", 1)) {
      var r1 = lab.router(1);
      try (LinuxDataplane dp =
          NetNamespace.call(r1.namespace(), LinuxDataplane::open).orElseThrow()) {
        // called from the test's own thread (root namespace), answered for r1
        assertEquals(
            Optional.of(MacAddress.parse(r1.mac())),
            dp.addresses().link("eth0").orElseThrow().hardwareAddress());
        try (PacketIo io =
            dp.openPacketIo(PacketIo.Options.of("eth0", IpFamily.IPV4)).orElseThrow()) {
          assertEquals(r1.ipv4(), io.sourceAddress());
        }
      }
    }
  }

  @Test
  void unknownNamespaceIsEnoent() {
    NetnsLab.assumeAvailable();
    var r = NetNamespace.executor("fip-no-such-namespace");
    assertEquals("ENOENT", assertInstanceOf(IoResult.Failed.class, r).errnoName());
  }
}
