package dev.floatip.testing.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * What kube-apiserver does with a custom resource write, for the VirtualIP CRD: the status
 * subresource's field resets (the main resource ignores status, /status ignores everything but
 * status), pruning of unknown fields, schema defaults, the structural schema, the CEL rules
 * including transition rules, and metadata.generation.
 *
 * <p>SKELETON (filled in by the admission work): stores what it is given.
 */
public final class CrdAdmission {

  public static CrdAdmission load(Path crd) {
    return new CrdAdmission();
  }

  /**
   * The object to store for a create, update or patch (after the patch is applied to {@code
   * stored}).
   *
   * @param request the request (verb and subresource matter)
   * @param incoming the object as sent, or as the patch made it
   * @param stored the stored object, null on create
   * @throws ApiError 422 Invalid naming every field problem, as kube-apiserver would
   */
  public ObjectNode admit(RequestInfo request, ObjectNode incoming, ObjectNode stored) {
    return incoming;
  }
}
