package dev.floatip.agent.cluster;

import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.testing.Rfc7386MergeDispatcher;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Fabric8's Kubernetes mock server in CRUD mode with RFC 7386 merge patches and the VirtualIP CRD
 * applied (without it the mock has no status subresource: research/status-writes.md §8).
 */
public final class MockCluster implements AutoCloseable {

  public final KubernetesMockServer server;
  public final KubernetesClient client;

  public MockCluster() {
    server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesMixedDispatcher(new HashMap<>()),
            false);
    server.init();
    Rfc7386MergeDispatcher.install(server);
    client = server.createClient();
    CustomResourceDefinition crd =
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .load(Path.of("crds/virtualips.floatip.dev.yaml").toFile())
            .item();
    client.resource(crd).create();
  }

  /** A new client of its own, as each agent has. */
  public KubernetesClient newClient() {
    return server.createClient();
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
    client
        .resource(ref)
        .subresource("status")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"status\":" + statusJson + "}");
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
