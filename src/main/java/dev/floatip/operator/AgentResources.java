package dev.floatip.operator;

import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.operator.model.AgentDaemonSetFactory;
import dev.floatip.operator.model.AgentRbacFactory;
import dev.floatip.operator.model.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The objects shared by all VirtualIPs: the agent DaemonSet, its ServiceAccount, ClusterRole and
 * ClusterRoleBinding. Applied with create-or-update (no server-side apply: the test server does not
 * support it), only when the hash of the desired objects differs from the one recorded on the
 * DaemonSet, so that the many reconciles that agents' status writes cause cost no writes.
 * Synchronized: reconciles of different VirtualIPs run in parallel but share these objects.
 */
@ApplicationScoped
public class AgentResources {

  private static final Logger LOG = Logger.getLogger(AgentResources.class);

  private final KubernetesClient client;
  private final OperatorConfig cfg;
  private String lastApplied;

  @Inject
  public AgentResources(KubernetesClient client, OperatorConfig cfg) {
    this.client = client;
    this.cfg = cfg;
  }

  /**
   * Makes the shared objects match the VirtualIPs the agents run. With none to run, existing
   * objects stay as they are (nothing is applied for refused VirtualIPs); they are removed only
   * with the last VirtualIP ({@link #deleteAll}).
   *
   * @param current the DaemonSet as cached, if any
   * @return whether anything was written
   */
  public synchronized boolean sync(List<VirtualIP> runnable, Optional<DaemonSet> current) {
    if (runnable.isEmpty()) {
      return false;
    }
    DaemonSet ds = AgentDaemonSetFactory.build(cfg, runnable);
    ServiceAccount sa = AgentRbacFactory.serviceAccount(cfg);
    ClusterRole role = AgentRbacFactory.clusterRole(cfg, runnable);
    ClusterRoleBinding binding = AgentRbacFactory.clusterRoleBinding(cfg);
    String hash = hash(sa, role, binding, ds);
    String recorded =
        current
            .map(d -> d.getMetadata().getAnnotations())
            .map(a -> a.get(Labels.SPEC_HASH))
            .orElse(null);
    if (hash.equals(recorded) || (current.isPresent() && hash.equals(lastApplied))) {
      return false;
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Labels.SPEC_HASH, hash);
    ds.getMetadata().setAnnotations(annotations);
    apply(sa);
    applyClusterRole(role);
    apply(binding);
    apply(ds);
    lastApplied = hash;
    LOG.infof(
        "Agent DaemonSet %s/%s applied for %d VirtualIPs",
        cfg.namespace(), cfg.agentName(), runnable.size());
    return true;
  }

  /** Removes the DaemonSet and the agents' RBAC (after the last VirtualIP). */
  public synchronized void deleteAll() {
    client.apps().daemonSets().inNamespace(cfg.namespace()).withName(cfg.agentName()).delete();
    client.rbac().clusterRoleBindings().withName(cfg.agentName()).delete();
    client.rbac().clusterRoles().withName(cfg.agentName()).delete();
    client.serviceAccounts().inNamespace(cfg.namespace()).withName(cfg.agentName()).delete();
    lastApplied = null;
    LOG.infof("Agent DaemonSet and RBAC removed: no VirtualIP left");
  }

  /**
   * Creating or updating a ClusterRole needs its author to hold every rule in it, or the {@code
   * escalate} verb on clusterroles. The install (helm/floatip) grants the operator the agents'
   * static rules, and {@code escalate} only on this ClusterRole's name, never {@code get} on
   * Secrets. Kubernetes checks a named {@code escalate} for updates only (a create has no name at
   * authorization time), so a missing ClusterRole that names Secrets is created without that rule
   * first, then updated to the full set.
   */
  private void applyClusterRole(ClusterRole role) {
    ClusterRole held = AgentRbacFactory.withoutSecretAccess(role);
    if (!held.equals(role)
        && client.rbac().clusterRoles().withName(role.getMetadata().getName()).get() == null) {
      try {
        client.resource(held).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
      }
    }
    apply(role);
  }

  private void apply(HasMetadata desired) {
    client.resource(desired).createOr(NonDeletingOperation::update);
  }

  private String hash(HasMetadata... objects) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (HasMetadata o : objects) {
        sha.update(client.getKubernetesSerialization().asJson(o).getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
