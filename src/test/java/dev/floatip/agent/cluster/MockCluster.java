package dev.floatip.agent.cluster;

import dev.floatip.api.v1alpha1.Candidate;
import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.LabelSelectors;
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
import java.util.stream.Stream;

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

  /**
   * Writes {@code status.candidates} as the operator would: the Nodes the VirtualIP's nodeSelector
   * selects, by name, each with its InternalIPs (tolerations and the agents' own selector are the
   * operator's business: these tests' Nodes carry no taints).
   */
  public void chooseCandidates(String vip) {
    VirtualIP v = get(vip);
    var selector = v.getSpec().nodeSelector();
    candidates(
        vip,
        client.nodes().list().getItems().stream()
            .filter(
                n ->
                    LabelSelectors.matches(
                        selector,
                        n.getMetadata().getLabels() == null
                            ? Map.of()
                            : n.getMetadata().getLabels()))
            .map(n -> n.getMetadata().getName())
            .sorted()
            .toArray(String[]::new));
  }

  /**
   * Writes {@code status.candidates} = the named Nodes with their InternalIPs, as admin through the
   * status subresource (a merge patch replaces the whole list, as the operator's does).
   */
  public void candidates(String vip, String... nodes) {
    List<Candidate> list =
        Stream.of(nodes)
            .map(
                name -> {
                  Node n = client.nodes().withName(name).get();
                  List<String> ips =
                      n.getStatus() == null || n.getStatus().getAddresses() == null
                          ? List.of()
                          : n.getStatus().getAddresses().stream()
                              .filter(a -> "InternalIP".equals(a.getType()))
                              .map(a -> a.getAddress())
                              .toList();
                  return new Candidate(name, ips);
                })
            .toList();
    VirtualIP ref = new VirtualIP();
    ref.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(vip).build());
    client
        .resource(ref)
        .subresource("status")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"status\":{\"candidates\":"
                + client.getKubernetesSerialization().asJson(list)
                + "}}");
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
