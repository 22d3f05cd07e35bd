package dev.floatip.testing.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.testing.MockApiServer;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test API server's request counts (the scale benchmark's instrument). */
class RequestCounterTest {

  private static final String AGENT = Identity.AGENT.user().name();

  @Test
  void countsByCallerVerbResourceAndCodeAndTheEntriesAgentsWrite() {
    try (MockApiServer api = MockApiServer.start()) {
      api.createAgentRbac();
      VirtualIP vip =
          Serialization.unmarshal(
              """
              {"apiVersion": "floatip.dev/v1alpha1", "kind": "VirtualIP",
               "metadata": {"name": "demo"}, "spec": {"addresses": ["192.0.2.200/24"]}}
              """,
              VirtualIP.class);
      api.client().resource(vip).create();
      Map<RequestCounter.Key, Long> before = api.requests().requests();

      var agent = api.client(Identity.AGENT);
      agent.nodes().list();
      agent
          .resources(VirtualIP.class)
          .withName("demo")
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"status\":{\"nodes\":{\"n1\":{\"state\":\"Backup\"}}}}");
      try {
        agent.resources(VirtualIP.class).withName("demo").delete(); // not allowed: 403
      } catch (KubernetesClientException expected) {
        assertThat(expected.getCode()).isEqualTo(403);
      }

      var delta = RequestCounter.delta(before, api.requests().requests());
      assertThat(delta)
          .containsEntry(new RequestCounter.Key(AGENT, "list", "nodes", 200), 1L)
          .containsEntry(new RequestCounter.Key(AGENT, "patch", "virtualips/status", 200), 1L)
          .containsEntry(new RequestCounter.Key(AGENT, "delete", "virtualips", 403), 1L);
      assertThat(delta.keySet().stream().filter(k -> k.write() && k.accepted()))
          .containsExactly(new RequestCounter.Key(AGENT, "patch", "virtualips/status", 200));
      assertThat(api.requests().entryWrites()).isEqualTo(Map.of("demo/n1", 1L));
      assertThat(api.requests().objectWrites())
          .containsEntry(AGENT + " virtualips/status/demo", 1L)
          .doesNotContainKey(AGENT + " virtualips/demo");
    }
  }
}
