package dev.floatip.agent.cluster;

import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.testing.MockApiServer;
import dev.floatip.testing.apiserver.Identity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The strict test API server ({@link MockApiServer}: RBAC from the chart, CRD admission) with the
 * agents' RBAC written as the operator would write it; the test's own writes go as admin, each
 * agent's client authenticates as the agents' ServiceAccount.
 */
public final class MockCluster implements AutoCloseable {

  public final MockApiServer api;

  /** The admin client (test setup and checks). */
  public final KubernetesClient client;

  public MockCluster() {
    api = MockApiServer.start();
    api.createAgentRbac();
    client = api.client();
  }

  /** A new client of its own, as each agent has: the agents' ServiceAccount. */
  public KubernetesClient newClient() {
    return api.newClient(Identity.AGENT);
  }

  public Node node(String name, String internalIp, Map<String, String> labels) {
    return client
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .withNewStatus()
                .addNewAddress()
                .withType("InternalIP")
                .withAddress(internalIp)
                .endAddress()
                .endStatus()
                .build())
        .create();
  }

  public VirtualIP apply(String yaml) {
    VirtualIP vip =
        client
            .resources(VirtualIP.class)
            .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
            .item();
    return client.resource(vip).createOr(r -> r.update());
  }

  public VirtualIP get(String name) {
    return client.resources(VirtualIP.class).withName(name).get();
  }

  /** This node's entry in the VirtualIP's status, if any (a null value counts as absent). */
  public Optional<NodeStatus> entry(String vip, String node) {
    VirtualIP v = get(vip);
    if (v == null || v.getStatus() == null || v.getStatus().nodes() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(v.getStatus().nodes().get(node));
  }

  /** Sets status fields the operator owns, by merge patch (as the operator does). */
  public void operatorStatus(String vip, String statusJson) {
    VirtualIP ref = new VirtualIP();
    ref.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(vip).build());
    api.client(Identity.OPERATOR)
        .resource(ref)
        .subresource("status")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"status\":" + statusJson + "}");
  }

  /** Closes the server; fails if it refused an agent's or the operator's request (RBAC, 422). */
  @Override
  public void close() {
    List<String> refused = api.componentRefusals();
    api.close();
    if (!refused.isEmpty()) {
      throw new AssertionError("the API server refused floatip's requests: " + refused);
    }
  }
}
