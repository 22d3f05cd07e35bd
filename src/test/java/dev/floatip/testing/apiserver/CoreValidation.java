package dev.floatip.testing.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * kube-apiserver's validation (pkg/apis/core/validation, apps/validation, coordination) of the
 * built-in objects floatip writes: core/v1 Events, DaemonSets (their pod template), Leases,
 * ServiceAccounts and RBAC objects' metadata.
 *
 * <p>SKELETON (filled in by the admission work): accepts everything.
 */
public final class CoreValidation {

  private CoreValidation() {}

  /**
   * Validates a create or update of a built-in object (after any patch is applied).
   *
   * @param stored the stored object on update, null on create
   * @throws ApiError 422 Invalid naming every field problem, as kube-apiserver would
   */
  public static void validate(RequestInfo request, ObjectNode object, ObjectNode stored) {}
}
