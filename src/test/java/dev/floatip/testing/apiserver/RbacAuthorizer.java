package dev.floatip.testing.apiserver;

/**
 * kube-apiserver's RBAC authorizer (plugin/pkg/auth/authorizer/rbac) over a {@link RbacPolicy},
 * plus the bootstrap policy every cluster has (system:masters, discovery, self reviews).
 *
 * <p>SKELETON (filled in by the RBAC work): allows everything.
 */
public final class RbacAuthorizer {

  private final RbacPolicy policy;

  public RbacAuthorizer(RbacPolicy policy) {
    this.policy = policy;
  }

  public RbacPolicy policy() {
    return policy;
  }

  public Decision authorize(UserInfo user, RequestInfo request) {
    return Decision.allow("skeleton");
  }

  /**
   * The rules that apply to {@code user} in {@code namespace} (cluster-wide ones included), as a
   * SelfSubjectRulesReview answers them; {@code namespace} null for cluster scope only.
   */
  public java.util.List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rulesFor(
      UserInfo user, String namespace) {
    return java.util.List.of();
  }

  /**
   * The 403 kube-apiserver answers with, e.g. {@code virtualips.floatip.dev "a" is forbidden: User
   * "system:serviceaccount:floatip:floatip-agent" cannot patch resource "virtualips/status" in API
   * group "floatip.dev" at the cluster scope}.
   */
  public static ApiError forbidden(UserInfo user, RequestInfo request, String reason) {
    return new ApiError(403, "Forbidden", "forbidden: " + reason);
  }
}
