package dev.floatip.testing.apiserver;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The RBAC registry's checks on writes of RBAC objects (pkg/registry/rbac): a Role or ClusterRole
 * may be created or updated only by a user who holds every permission in it or may {@code escalate}
 * it; a RoleBinding or ClusterRoleBinding only by one who holds every permission of the referenced
 * role or may {@code bind} it.
 *
 * <p>SKELETON (filled in by the RBAC work): accepts everything.
 */
public final class RbacWriteChecks {

  private final RbacAuthorizer authorizer;

  public RbacWriteChecks(RbacAuthorizer authorizer) {
    this.authorizer = authorizer;
  }

  /**
   * Checks a create, update or patch of an RBAC object (after the patch is applied).
   *
   * @param request the authorized request (its name is empty on create, as in kube-apiserver)
   * @param object the Role, ClusterRole, RoleBinding or ClusterRoleBinding to be stored
   * @throws ApiError 403 with kube-apiserver's message when refused
   */
  public void check(UserInfo user, RequestInfo request, HasMetadata object) {}
}
