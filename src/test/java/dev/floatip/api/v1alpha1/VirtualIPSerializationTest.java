package dev.floatip.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API types through Fabric8's own serialization, as the operator and agents use it. */
class VirtualIPSerializationTest {

  private final KubernetesSerialization ser = new KubernetesSerialization();

  @Test
  void renamedFieldsRoundTrip() throws Exception {
    VirtualIP vip;
    try (InputStream in = getClass().getResourceAsStream("/config/full-cluster.yaml")) {
      vip = ser.unmarshal(in, VirtualIP.class);
    }
    assertEquals("eth0", vip.getSpec().interfaceName());
    assertEquals(100, vip.getSpec().priority().defaultPriority());
    assertEquals(List.of("/etc/floatip/notify.sh"), vip.getSpec().notifications().command());
    assertEquals("floatip.dev/v1alpha1", vip.getApiVersion());
    assertEquals("VirtualIP", vip.getKind());

    VirtualIP back = ser.unmarshal(ser.asJson(vip), VirtualIP.class);
    assertEquals(vip.getSpec(), back.getSpec());
    String json = ser.asJson(vip.getSpec());
    assertEquals(true, json.contains("\"interface\":\"eth0\""));
    assertEquals(true, json.contains("\"notify\":{"));
    assertEquals(true, json.contains("\"default\":100"));
  }

  @Test
  void aNodeEntryAloneSerialisesToAPartialStatus() {
    // research/status-writes.md §7: an agent's merge patch must carry only its own key
    NodeStatus mine =
        new NodeStatus(NodeState.Master, 110, 100, null, null, null, null, 4L, null, null);
    VirtualIPStatus patch =
        new VirtualIPStatus(null, null, null, null, null, Map.of("node-a", mine), null);
    assertEquals(
        "{\"nodes\":{\"node-a\":{\"state\":\"Master\",\"priority\":110,\"basePriority\":100,"
            + "\"observedGeneration\":4}}}",
        ser.asJson(patch));
    assertEquals("{}", ser.asJson(VirtualIPStatus.empty()));
  }

  /** Issue 11: the agent's foreign VRIDs and the operator's address text round-trip. */
  @Test
  void foreignVridsAndAddressListRoundTrip() {
    NodeStatus mine =
        new NodeStatus(NodeState.Backup, 100, 100, null, null, null, null, 4L, null, List.of(51));
    VirtualIPStatus status =
        new VirtualIPStatus(
            2L, 7, null, Phase.Active, "1/1", Map.of("node-a", mine), null, "192.0.2.1/24");
    String json = ser.asJson(status);
    assertEquals(
        "{\"observedGeneration\":2,\"virtualRouterId\":7,\"phase\":\"Active\","
            + "\"nodesReady\":\"1/1\",\"nodes\":{\"node-a\":{\"state\":\"Backup\","
            + "\"priority\":100,\"basePriority\":100,\"observedGeneration\":4,"
            + "\"foreignVrids\":[51]}},\"addressList\":\"192.0.2.1/24\"}",
        json);
    assertEquals(status, ser.unmarshal(json, VirtualIPStatus.class));
  }

  @Test
  void absentFieldsStayNull() {
    VirtualIP vip =
        ser.unmarshal(
            "{\"apiVersion\":\"floatip.dev/v1alpha1\",\"kind\":\"VirtualIP\","
                + "\"metadata\":{\"name\":\"x\"},\"spec\":{\"addresses\":[\"192.0.2.1\"]}}",
            VirtualIP.class);
    assertNull(vip.getSpec().version());
    assertEquals(3, vip.getSpec().versionOrDefault());
    assertEquals("1s", vip.getSpec().advertisementIntervalOrDefault());
    assertEquals(TransportMode.Unicast, vip.getSpec().transportOrDefault().modeOrDefault());
    assertEquals(100, vip.getSpec().priorityOrDefault().defaultOrDefault());
    assertEquals(true, vip.getSpec().preemptOrDefault());
    assertEquals("5s", vip.getSpec().gratuitousArpOrDefault().delayOrDefault());
    assertEquals(5, vip.getSpec().gratuitousArpOrDefault().repeatOrDefault());
    assertNull(vip.getStatus());
  }
}
