package dev.floatip.testing.apiserver;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.List;

/**
 * The RBAC objects the authorizer reads (Roles, ClusterRoles, RoleBindings, ClusterRoleBindings),
 * thread-safe: loaded from rendered manifests at start and kept in step with the RBAC writes the
 * server accepts.
 *
 * <p>SKELETON (filled in by the RBAC work).
 */
public final class RbacPolicy {

  /** The RBAC objects among {@code objects}; other kinds are ignored. */
  public static RbacPolicy of(List<? extends HasMetadata> objects) {
    RbacPolicy p = new RbacPolicy();
    objects.forEach(p::put);
    return p;
  }

  /** The RBAC objects of multi-document YAML files (e.g. manifests/install.yaml). */
  public static RbacPolicy load(Path... yamlFiles) {
    throw new UnsupportedOperationException("RbacPolicy.load: not written yet");
  }

  /** Adds or replaces an RBAC object (other kinds are ignored). */
  public void put(HasMetadata object) {}

  /** Removes one: kind Role/ClusterRole/RoleBinding/ClusterRoleBinding, namespace or null. */
  public void remove(String kind, String namespace, String name) {}
}
