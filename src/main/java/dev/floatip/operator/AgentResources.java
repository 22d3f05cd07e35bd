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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The objects shared by all VirtualIPs: the agent DaemonSet, its ServiceAccount, ClusterRole and
 * ClusterRoleBinding. Written only when the hash of the desired objects differs from the one
 * recorded on the DaemonSet, so that the many reconciles that agents' status writes cause cost no
 * writes; then each object is read by name, created when missing and updated by name when it
 * differs (no server-side apply: the test server does not support it). Never create-or-update: a
 * POST of an object that exists is authorized before the exists check, so kube-apiserver runs
 * create's RBAC checks (for a ClusterRole: the escalation check, where a POST carries no name) and
 * answers 403, not 409. Synchronized: reconciles of different VirtualIPs run in parallel but share
 * these objects.
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
    ClusterRole role = AgentRbacFactory.clusterRole(cfg);
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
    apply(role);
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
   * Reads {@code desired} by name; creates it when missing, updates it by name (with the read
   * resourceVersion) when it differs in what the operator owns, else leaves it.
   */
  private void apply(HasMetadata desired) {
    HasMetadata existing = client.resource(desired).get();
    if (existing == null) {
      client.resource(desired).create();
    } else if (differs(existing, desired)) {
      desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
      client.resource(desired).update();
    }
  }

  /** Whether {@code existing} lacks a label, the spec hash or the content of {@code desired}. */
  static boolean differs(HasMetadata existing, HasMetadata desired) {
    if (!contains(existing.getMetadata().getLabels(), desired.getMetadata().getLabels())
        || !contains(
            existing.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations())) {
      return true;
    }
    return switch (desired) {
      case ClusterRole r -> !Objects.equals(((ClusterRole) existing).getRules(), r.getRules());
      case ClusterRoleBinding b ->
          !Objects.equals(((ClusterRoleBinding) existing).getSubjects(), b.getSubjects())
              || !Objects.equals(((ClusterRoleBinding) existing).getRoleRef(), b.getRoleRef());
      // the DaemonSet's content is its spec hash annotation (the server defaults its spec)
      default -> false;
    };
  }

  private static boolean contains(Map<String, String> have, Map<String, String> want) {
    if (want == null || want.isEmpty()) {
      return true;
    }
    return have != null && have.entrySet().containsAll(want.entrySet());
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
