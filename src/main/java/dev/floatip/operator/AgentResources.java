package dev.floatip.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floatip.operator.model.AgentDaemonSetFactory;
import dev.floatip.operator.model.AgentRbacFactory;
import dev.floatip.operator.model.Labels;
import dev.floatip.operator.model.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The objects shared by all VirtualIPs: the agent DaemonSet, its ServiceAccount, ClusterRole and
 * ClusterRoleBinding, all from the operator's config only (DESIGN §2 rule 6). Each is compared with
 * the live object, field by field for what the operator sets ({@link #drifts}: fields the API
 * server defaulted are not compared), so that a hand edit is repaired and nothing is written while
 * the live objects match. The DaemonSet is the informer's cached one; the RBAC objects are read by
 * name, once after start, whenever the DaemonSet is written and every {@link #RBAC_RECHECK}.
 *
 * <p>An object is created when missing and updated by name (with the read resourceVersion) when it
 * drifted (no server-side apply: the test server does not support it). Never create-or-update: a
 * POST of an object that exists is authorized before the exists check, so kube-apiserver runs
 * create's RBAC checks (for a ClusterRole: the escalation check, where a POST carries no name) and
 * answers 403, not 409. An update keeps what others add that is not drift: {@code kubectl rollout
 * restart}'s pod-template annotation, imagePullSecrets added to the DaemonSet, and the labels and
 * annotations of the objects' metadata. Synchronized: reconciles of different VirtualIPs run in
 * parallel but share these objects.
 */
@ApplicationScoped
public class AgentResources {

  private static final Logger LOG = Logger.getLogger(AgentResources.class);

  /** {@code kubectl rollout restart} sets it on the pod template to roll the pods. */
  public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

  /** How often the RBAC objects are read back while nothing else causes it. */
  static final Duration RBAC_RECHECK = Duration.ofMinutes(5);

  /** Maps the operator owns whole: an added key is drift (a narrower node set, an affinity). */
  private static final java.util.Set<String> EXACT =
      java.util.Set.of(".spec.template.spec.nodeSelector", ".spec.template.spec.affinity");

  private final KubernetesClient client;
  private final OperatorConfig cfg;
  private final Clock clock;

  /** The DaemonSet as this process last wrote it, and the resourceVersion it replaced. */
  private DaemonSet written;

  private String replacedVersion;
  private Instant rbacCheckedAt;

  @Inject
  public AgentResources(KubernetesClient client, OperatorConfig cfg, Clock clock) {
    this.client = client;
    this.cfg = cfg;
    this.clock = clock;
  }

  /**
   * Makes the shared objects match the config. Without a VirtualIP to run nothing is created or
   * repaired; they are removed with the last one ({@link #deleteAll}).
   *
   * @param agentsNeeded whether some VirtualIP is to be run (today: some valid, runnable one)
   * @param cached the DaemonSet as the informer caches it, if any
   * @return whether anything was written
   */
  public synchronized boolean sync(boolean agentsNeeded, Optional<DaemonSet> cached) {
    if (!agentsNeeded) {
      return false;
    }
    DaemonSet desired = AgentDaemonSetFactory.build(cfg);
    Optional<DaemonSet> live = live(cached);
    boolean dsWrite = live.isEmpty() || drifts(json(desired), json(live.get()));
    boolean wrote = false;
    if (dsWrite
        || rbacCheckedAt == null
        || !clock.instant().isBefore(rbacCheckedAt.plus(RBAC_RECHECK))) {
      wrote |= apply(AgentRbacFactory.serviceAccount(cfg));
      wrote |= apply(AgentRbacFactory.clusterRole(cfg));
      wrote |= apply(AgentRbacFactory.clusterRoleBinding(cfg));
      rbacCheckedAt = clock.instant();
    }
    if (dsWrite) {
      if (live.isEmpty()) {
        written = client.resource(desired).create();
        replacedVersion = null;
        LOG.infof("Agent DaemonSet %s/%s created", cfg.namespace(), cfg.agentName());
      } else {
        DaemonSet update = keepOthers(desired, live.get());
        written = client.resource(update).update();
        replacedVersion = live.get().getMetadata().getResourceVersion();
        LOG.infof(
            "Agent DaemonSet %s/%s differed from the config: updated",
            cfg.namespace(), cfg.agentName());
      }
      wrote = true;
    }
    return wrote;
  }

  /** Removes the DaemonSet and the agents' RBAC (after the last VirtualIP). */
  public synchronized void deleteAll() {
    client.apps().daemonSets().inNamespace(cfg.namespace()).withName(cfg.agentName()).delete();
    client.rbac().clusterRoleBindings().withName(cfg.agentName()).delete();
    client.rbac().clusterRoles().withName(cfg.agentName()).delete();
    client.serviceAccounts().inNamespace(cfg.namespace()).withName(cfg.agentName()).delete();
    written = null;
    replacedVersion = null;
    rbacCheckedAt = null;
    LOG.infof("Agent DaemonSet and RBAC removed: no VirtualIP left");
  }

  /**
   * The live DaemonSet: the cached one, unless the cache has not seen this process's last update
   * yet (it still holds the version that update replaced). With nothing cached, one GET tells a
   * cache that lags behind a create, or misses a DaemonSet whose labels someone changed, from a
   * DaemonSet that is not there (a POST of an existing one would fail every time).
   */
  private Optional<DaemonSet> live(Optional<DaemonSet> cached) {
    if (cached.isEmpty()) {
      return Optional.ofNullable(
          client.apps().daemonSets().inNamespace(cfg.namespace()).withName(cfg.agentName()).get());
    }
    if (written != null
        && replacedVersion != null
        && replacedVersion.equals(cached.get().getMetadata().getResourceVersion())) {
      return Optional.of(written);
    }
    return cached;
  }

  /**
   * {@code desired} with the live resourceVersion, the live metadata's other labels and
   * annotations, the live restartedAt annotation of the pod template and the live imagePullSecrets
   * it does not name.
   */
  static DaemonSet keepOthers(DaemonSet desired, DaemonSet live) {
    DaemonSet out = desired;
    out.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
    out.getMetadata()
        .setLabels(merged(live.getMetadata().getLabels(), out.getMetadata().getLabels()));
    Map<String, String> annotations =
        merged(live.getMetadata().getAnnotations(), out.getMetadata().getAnnotations());
    if (annotations != null) {
      annotations.remove(Labels.LEGACY_SPEC_HASH);
    }
    out.getMetadata()
        .setAnnotations(annotations == null || annotations.isEmpty() ? null : annotations);
    PodTemplateSpec liveTemplate = live.getSpec() == null ? null : live.getSpec().getTemplate();
    if (liveTemplate == null) {
      return out;
    }
    PodTemplateSpec template = out.getSpec().getTemplate();
    Map<String, String> liveAnnotations =
        liveTemplate.getMetadata() == null ? null : liveTemplate.getMetadata().getAnnotations();
    if (liveAnnotations != null && liveAnnotations.containsKey(RESTARTED_AT)) {
      Map<String, String> podAnnotations =
          new LinkedHashMap<>(template.getMetadata().getAnnotations());
      podAnnotations.put(RESTARTED_AT, liveAnnotations.get(RESTARTED_AT));
      template.getMetadata().setAnnotations(podAnnotations);
    }
    if (liveTemplate.getSpec() != null && liveTemplate.getSpec().getImagePullSecrets() != null) {
      List<LocalObjectReference> secrets =
          new ArrayList<>(template.getSpec().getImagePullSecrets());
      liveTemplate.getSpec().getImagePullSecrets().stream()
          .filter(s -> !secrets.contains(s))
          .forEach(secrets::add);
      template.getSpec().setImagePullSecrets(secrets);
    }
    return out;
  }

  private static Map<String, String> merged(Map<String, String> live, Map<String, String> ours) {
    Map<String, String> out = new LinkedHashMap<>();
    if (live != null) {
      out.putAll(live);
    }
    if (ours != null) {
      out.putAll(ours);
    }
    return out.isEmpty() ? null : out;
  }

  /**
   * Reads {@code desired} by name; creates it when missing, updates it by name (with the read
   * resourceVersion and the live metadata's other labels and annotations) when it drifted.
   *
   * @return whether it wrote
   */
  private boolean apply(HasMetadata desired) {
    HasMetadata existing = client.resource(desired).get();
    if (existing == null) {
      client.resource(desired).create();
      return true;
    }
    if (!drifts(json(desired), json(existing))) {
      return false;
    }
    desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
    desired
        .getMetadata()
        .setLabels(merged(existing.getMetadata().getLabels(), desired.getMetadata().getLabels()));
    desired
        .getMetadata()
        .setAnnotations(
            merged(
                existing.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations()));
    client.resource(desired).update();
    LOG.infof(
        "%s %s differed from the config: updated",
        desired.getKind(), desired.getMetadata().getName());
    return true;
  }

  private JsonNode json(HasMetadata o) {
    return client.getKubernetesSerialization().convertValue(o, JsonNode.class);
  }

  /**
   * Whether {@code live} differs from {@code desired} in a field the operator sets: every field of
   * {@code desired} (outside metadata: only its labels and annotations) must be in {@code live}
   * with the same value; fields only {@code live} has (the API server's defaults, status, the
   * restartedAt annotation) do not count. Lists must have the same length and match item by item
   * (an added toleration, container or capability is drift), except imagePullSecrets, where the
   * desired ones need only be among the live ones. Quantities compare by value ({@code 1Gi} =
   * {@code 1024Mi}), numbers by value; a desired false, 0, "" or [] matches an absent field (Go's
   * omitempty drops them). Fields the operator does not set (e.g. a container's command) are not
   * compared: one added by hand stays until the next update, which drops it.
   */
  static boolean drifts(JsonNode desired, JsonNode live) {
    ObjectNode want = ((ObjectNode) desired).deepCopy();
    JsonNode meta = want.path("metadata");
    ObjectNode wantMeta = want.putObject("metadata"); // the name is how live was read
    for (String f : List.of("labels", "annotations")) {
      if (meta.has(f)) {
        wantMeta.set(f, meta.get(f));
      }
    }
    if (wantMeta.isEmpty()) {
      want.remove("metadata");
    }
    if (want.path("spec").path("template").path("spec") instanceof ObjectNode pod) {
      // what the operator leaves empty is its choice too: a hand-added item is drift
      pod.putIfAbsent("nodeSelector", pod.objectNode());
      pod.putIfAbsent("affinity", pod.objectNode());
      pod.putIfAbsent("tolerations", pod.arrayNode());
      pod.putIfAbsent("hostIPC", pod.booleanNode(false));
      pod.putIfAbsent("hostPID", pod.booleanNode(false));
      for (JsonNode c : pod.path("containers")) {
        if (c instanceof ObjectNode container) {
          container.putIfAbsent("command", pod.arrayNode());
        }
      }
    }
    want.remove("status");
    return !within(want, live, "");
  }

  private static boolean within(JsonNode want, JsonNode have, String path) {
    if (want == null || want.isNull()) {
      return true; // nothing set
    }
    boolean exact = EXACT.contains(path);
    if (have == null || have.isMissingNode() || have.isNull()) {
      // Go's omitempty drops false, 0, "", empty lists and maps from what the API server returns
      return (want.isBoolean() && !want.booleanValue())
          || (want.isNumber() && want.decimalValue().signum() == 0)
          || (want.isTextual() && want.textValue().isEmpty())
          || (want.isArray() && want.isEmpty())
          || (exact && want.isObject() && want.isEmpty());
    }
    if (want.isArray() && want.isEmpty()) {
      return have.isArray() && have.isEmpty(); // an added item is drift
    }
    if (want.isObject()) {
      if (!have.isObject() || (exact && want.size() != have.size())) {
        return false;
      }
      boolean quantities = path.endsWith(".requests") || path.endsWith(".limits");
      for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode got = have.get(e.getKey());
        boolean ok =
            quantities
                ? sameQuantity(e.getValue(), got)
                : within(e.getValue(), got, path + "." + e.getKey());
        if (!ok) {
          return false;
        }
      }
      return true;
    }
    if (want.isArray()) {
      if (!have.isArray()) {
        return false;
      }
      if (path.endsWith(".imagePullSecrets")) {
        for (JsonNode w : want) {
          boolean found = false;
          for (JsonNode h : have) {
            found |= within(w, h, path + "[]");
          }
          if (!found) {
            return false;
          }
        }
        return true;
      }
      if (want.size() != have.size()) {
        return false;
      }
      for (int i = 0; i < want.size(); i++) {
        if (!within(want.get(i), have.get(i), path + "[]")) {
          return false;
        }
      }
      return true;
    }
    if (want.isNumber() && have.isNumber()) {
      return want.decimalValue().compareTo(have.decimalValue()) == 0;
    }
    return want.equals(have);
  }

  private static boolean sameQuantity(JsonNode want, JsonNode have) {
    if (have == null || !have.isValueNode()) {
      return false;
    }
    try {
      return new Quantity(want.asText())
              .getNumericalAmount()
              .compareTo(new Quantity(have.asText()).getNumericalAmount())
          == 0;
    } catch (IllegalArgumentException | ArithmeticException e) {
      return want.asText().equals(have.asText());
    }
  }
}
