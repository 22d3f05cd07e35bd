package dev.floatip.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.operator.model.StatusAggregator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * Writes the operator-owned status fields and nothing else (DESIGN §4, research/status-writes.md
 * §7b): one JSON merge patch on the status subresource, without resourceVersion, starting from a
 * reference that holds only the name, so the agents' {@code status.nodes} entries are never sent
 * and never lost. Never {@code UpdateControl.patchStatus}: with SSA off it diffs against the cache
 * and can remove {@code status.nodes}.
 */
final class StatusWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusWriter() {}

  /**
   * The merge patch body: {@code {"status":{...operator fields...}}}; a null master removes it, and
   * so does a null entry of a deleted Node in {@code nodes}. {@code addressList} (the ADDRESSES
   * column) goes with {@code observedGeneration}.
   */
  static String body(KubernetesSerialization serialization, StatusAggregator.Result r) {
    ObjectNode status = JSON.createObjectNode();
    status.put("observedGeneration", r.observedGeneration());
    if (r.virtualRouterId() != null) {
      status.put("virtualRouterId", r.virtualRouterId());
    }
    if (r.master() == null) {
      status.putNull("master");
    } else {
      status.put("master", r.master());
    }
    status.put("phase", r.phase().name());
    status.put("nodesReady", r.nodesReady());
    status.put("addressList", r.addressList());
    String conditions = serialization.asJson(r.conditions());
    try {
      status.set("conditions", JSON.readTree(conditions));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    if (r.candidates() != null) {
      try {
        status.set("candidates", JSON.readTree(serialization.asJson(r.candidates())));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
    if (!r.removedNodes().isEmpty()) {
      // the one write to status.nodes the operator makes: entries of Nodes that no longer exist,
      // whose agents cannot remove them (a merge patch's null deletes the key, RFC 7386)
      ObjectNode nodes = status.putObject("nodes");
      r.removedNodes().stream().sorted().forEach(nodes::putNull);
    }
    ObjectNode root = JSON.createObjectNode();
    root.set("status", status);
    return root.toString();
  }

  /** Writes, and returns the VirtualIP as stored afterwards (with the agents' latest entries). */
  static VirtualIP write(Context<VirtualIP> ctx, VirtualIP vip, StatusAggregator.Result r) {
    String body = body(ctx.getClient().getKubernetesSerialization(), r);
    VirtualIP ref = new VirtualIP();
    ref.setMetadata(new ObjectMetaBuilder().withName(vip.getMetadata().getName()).build());
    // resourcePatch caches the response and filters the write's own watch event
    return ctx.resourceOperations()
        .resourcePatch(
            ref,
            x ->
                ctx.getClient()
                    .resource(x)
                    .subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), body),
            ctx.eventSourceRetriever().getControllerEventSource());
  }
}
