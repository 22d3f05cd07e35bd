package dev.floatip.operator;

import static dev.floatip.operator.model.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.operator.model.AgentRbacFactory;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link AgentResources} writes the agents' objects (issue 11, defect 2): kube-apiserver
 * authorizes a POST before it looks whether the object exists, and for a ClusterRole runs the
 * escalation check on a request that carries no name. So an object that exists is never POSTed
 * again: read by name, create only what is missing, update by name what differs.
 */
@EnableKubernetesMockClient(crud = true)
class AgentResourcesTest {

  KubernetesClient client;
  KubernetesMockServer server;

  private final OperatorConfig cfg = OperatorConfig.defaults();
  private final List<VirtualIP> vips = List.of(vip("a", "{addresses: [192.0.2.1/24]}"));

  @BeforeEach
  void namespace() {
    client.namespaces().resource(ns(cfg.namespace())).create();
  }

  private static io.fabric8.kubernetes.api.model.Namespace ns(String name) {
    return new io.fabric8.kubernetes.api.model.NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .build();
  }

  /** Method and path of every request since the last call. */
  private List<String> requests() throws InterruptedException {
    List<String> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
      out.add(r.getMethod() + " " + r.getPath());
    }
    return out;
  }

  private Optional<DaemonSet> daemonSet() {
    return Optional.ofNullable(
        client.apps().daemonSets().inNamespace(cfg.namespace()).withName(cfg.agentName()).get());
  }

  @Test
  void missingObjectsAreCreatedOnce() throws InterruptedException {
    requests();
    assertThat(new AgentResources(client, cfg).sync(vips, Optional.empty())).isTrue();
    List<String> writes =
        requests().stream().filter(r -> !r.startsWith("GET")).map(r -> r.split("\\?")[0]).toList();
    assertThat(writes)
        .containsExactly(
            "POST /api/v1/namespaces/floatip-system/serviceaccounts",
            "POST /apis/rbac.authorization.k8s.io/v1/clusterroles",
            "POST /apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
            "POST /apis/apps/v1/namespaces/floatip-system/daemonsets");
    assertThat(client.rbac().clusterRoles().withName(cfg.agentName()).get().getRules())
        .isEqualTo(AgentRbacFactory.clusterRole(cfg).getRules());
  }

  @Test
  void existingObjectsAreUpdatedByNameNeverPosted() throws InterruptedException {
    new AgentResources(client, cfg).sync(vips, Optional.empty());
    // an older operator's ClusterRole (it granted Secrets cluster-wide and patch on nodes)
    ClusterRole old =
        new ClusterRoleBuilder(client.rbac().clusterRoles().withName(cfg.agentName()).get())
            .addToRules(
                new PolicyRuleBuilder()
                    .withApiGroups("")
                    .withResources("secrets")
                    .withVerbs("get")
                    .build())
            .build();
    client.resource(old).update();
    requests();

    // a restarted operator (no memory of the last write) with another set of VirtualIPs
    List<VirtualIP> more =
        List.of(
            vips.get(0),
            vip("b", "{addresses: [192.0.2.2/24], tolerations: [{key: k2, operator: Exists}]}"));
    Optional<DaemonSet> cached = daemonSet();
    requests();
    assertThat(new AgentResources(client, cfg).sync(more, cached)).isTrue();

    List<String> writes = requests().stream().filter(r -> !r.startsWith("GET")).toList();
    assertThat(writes).as("no POST of an existing object").noneMatch(r -> r.startsWith("POST"));
    assertThat(writes)
        .containsExactlyInAnyOrder(
            "PUT /apis/rbac.authorization.k8s.io/v1/clusterroles/floatip-agent",
            "PUT /apis/apps/v1/namespaces/floatip-system/daemonsets/floatip-agent");
    assertThat(client.rbac().clusterRoles().withName(cfg.agentName()).get().getRules())
        .as("the reduced role replaces the old one")
        .isEqualTo(AgentRbacFactory.clusterRole(cfg).getRules());
  }

  @Test
  void nothingIsWrittenWhileTheHashIsTheSame() throws InterruptedException {
    new AgentResources(client, cfg).sync(vips, Optional.empty());
    Optional<DaemonSet> cached = daemonSet();
    requests();
    assertThat(new AgentResources(client, cfg).sync(vips, cached)).isFalse();
    assertThat(requests()).isEmpty();
  }
}
