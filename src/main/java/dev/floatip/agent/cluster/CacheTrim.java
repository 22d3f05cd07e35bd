package dev.floatip.agent.cluster;

import dev.floatip.api.v1alpha1.Candidate;
import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.VirtualIPStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the agent's informers keep of each object: only the fields {@link Placement}, {@link
 * ClusterAgent}, {@link KubePodWatch} and the VirtualIP runner read. A cloud Node carries its
 * container images, managedFields and conditions (tens of KB each); a VirtualIP's status holds an
 * entry per node. Each method returns a new object and leaves its argument as it was.
 */
final class CacheTrim {

  private CacheTrim() {}

  /** Name, labels, {@code spec.unschedulable} and {@code spec.taints} (maintenance, standby). */
  static Node node(Node node) {
    Node out = new Node();
    out.setApiVersion(node.getApiVersion());
    out.setKind(node.getKind());
    ObjectMeta meta = identity(node.getMetadata());
    meta.setLabels(node.getMetadata().getLabels());
    out.setMetadata(meta);
    if (node.getSpec() != null) {
      NodeSpec spec = new NodeSpec();
      spec.setUnschedulable(node.getSpec().getUnschedulable());
      spec.setTaints(node.getSpec().getTaints());
      out.setSpec(spec);
    }
    return out;
  }

  /**
   * The whole spec; of metadata the identity, generation and deletion; of status what {@link
   * Placement} and {@link NodePlanner} read: the VRID, the candidates, the candidates' {@code
   * state} and {@code addresses} (Unicast peers), this node's entry in full, and the conditions
   * that are True, as type and status only (the blocking ones: {@code InvalidSpec}, {@code
   * VrrpConflict}). The operator writes four or five conditions, nearly all False, with messages,
   * into every VirtualIP: kept whole they were a quarter of a real agent's live heap at 1000
   * VirtualIPs. Names, addresses and condition types are interned: the same few thousand strings
   * recur across VirtualIPs and would otherwise be kept once per VirtualIP.
   */
  static VirtualIP vip(VirtualIP vip, String nodeName) {
    VirtualIP out = new VirtualIP();
    ObjectMeta in = vip.getMetadata();
    ObjectMeta meta = identity(in);
    meta.setGeneration(in.getGeneration());
    meta.setDeletionTimestamp(in.getDeletionTimestamp());
    out.setMetadata(meta);
    out.setSpec(vip.getSpec());
    VirtualIPStatus s = vip.getStatus();
    if (s != null) {
      List<Candidate> candidates =
          s.candidates() == null
              ? null
              : s.candidates().stream()
                  .filter(Objects::nonNull)
                  .map(c -> new Candidate(intern(c.name()), interned(c.addresses())))
                  .toList();
      out.setStatus(
          new VirtualIPStatus(
              null,
              s.virtualRouterId(),
              null,
              null,
              null,
              entries(s, nodeName),
              trueConditions(s.conditions()),
              null,
              candidates));
    }
    return out;
  }

  private static Map<String, NodeStatus> entries(VirtualIPStatus s, String nodeName) {
    if (s.nodes() == null) {
      return null;
    }
    Set<String> candidates =
        s.candidates() == null
            ? Set.of()
            : s.candidates().stream()
                .filter(Objects::nonNull)
                .map(Candidate::name)
                .collect(Collectors.toSet());
    Map<String, NodeStatus> out = new HashMap<>();
    s.nodes()
        .forEach(
            (node, entry) -> {
              if (entry == null) {
                return;
              }
              if (node.equals(nodeName)) {
                out.put(intern(node), entry);
              } else if (candidates.contains(node)) {
                out.put(
                    intern(node),
                    new NodeStatus(
                        entry.state(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        interned(entry.addresses())));
              }
            });
    return out.isEmpty() ? Map.of() : out;
  }

  /** The True conditions, type and status only: all {@link Placement} looks at. */
  private static List<Condition> trueConditions(List<Condition> conditions) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream()
        .filter(c -> c != null && "True".equals(c.getStatus()))
        .map(
            c -> {
              Condition kept = new Condition();
              kept.setType(intern(c.getType()));
              kept.setStatus("True");
              return kept;
            })
        .toList();
  }

  private static List<String> interned(List<String> values) {
    return values == null ? null : values.stream().map(CacheTrim::intern).toList();
  }

  private static String intern(String value) {
    return value == null ? null : value.intern();
  }

  /**
   * Labels, deletion, {@code spec.nodeName}, phase and conditions: what {@link KubePodWatch} counts
   * ready pods by.
   */
  static Pod pod(Pod pod) {
    Pod out = new Pod();
    out.setApiVersion(pod.getApiVersion());
    out.setKind(pod.getKind());
    ObjectMeta in = pod.getMetadata();
    ObjectMeta meta = identity(in);
    meta.setLabels(in.getLabels());
    meta.setDeletionTimestamp(in.getDeletionTimestamp());
    out.setMetadata(meta);
    if (pod.getSpec() != null) {
      PodSpec spec = new PodSpec();
      spec.setNodeName(pod.getSpec().getNodeName());
      out.setSpec(spec);
    }
    if (pod.getStatus() != null) {
      PodStatus status = new PodStatus();
      status.setPhase(pod.getStatus().getPhase());
      status.setConditions(pod.getStatus().getConditions());
      out.setStatus(status);
    }
    return out;
  }

  /** What the informer keys and compares by. */
  private static ObjectMeta identity(ObjectMeta in) {
    ObjectMeta meta = new ObjectMeta();
    meta.setName(in.getName());
    meta.setNamespace(in.getNamespace());
    meta.setUid(in.getUid());
    meta.setResourceVersion(in.getResourceVersion());
    return meta;
  }
}
