package dev.floatip.testing.apiserver;

import static dev.floatip.testing.apiserver.ObjectMetaValidation.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * DaemonSet and pod template validation (pkg/apis/apps/validation ValidateDaemonSet*,
 * pkg/apis/core/validation ValidatePodTemplateSpec, ValidatePodSpec, ValidateVolumes,
 * validateContainers, ValidateVolumeMounts, validateTolerations), for the fields floatip writes.
 * Fields the API server defaults (restartPolicy, dnsPolicy, imagePullPolicy,
 * terminationMessagePolicy, a hostNetwork pod's hostPort) are accepted when absent.
 */
final class PodTemplateValidation {

  private PodTemplateValidation() {}

  /** The volume sources, in validateVolumeSource's order (the second one found is Forbidden). */
  private static final List<String> VOLUME_SOURCES =
      List.of(
          "hostPath",
          "emptyDir",
          "gitRepo",
          "gcePersistentDisk",
          "awsElasticBlockStore",
          "secret",
          "nfs",
          "iscsi",
          "glusterfs",
          "persistentVolumeClaim",
          "rbd",
          "flexVolume",
          "cinder",
          "cephfs",
          "flocker",
          "downwardAPI",
          "fc",
          "azureFile",
          "vsphereVolume",
          "quobyte",
          "azureDisk",
          "photonPersistentDisk",
          "projected",
          "portworxVolume",
          "scaleIO",
          "storageos",
          "configMap",
          "csi",
          "ephemeral",
          "image");

  private static final List<String> HOST_PATH_TYPES =
      List.of(
          "",
          "BlockDevice",
          "CharDevice",
          "Directory",
          "DirectoryOrCreate",
          "File",
          "FileOrCreate",
          "Socket");

  /** ValidateDaemonSet (create) or ValidateDaemonSetUpdate (stored non-null). */
  static List<FieldError> daemonSet(JsonNode ds, JsonNode stored) {
    List<FieldError> errs = new ArrayList<>();
    if (stored != null) {
      errs.addAll(
          ObjectMetaValidation.validateUpdate(
              ds.path("metadata"), stored.path("metadata"), "metadata"));
    }
    errs.addAll(
        ObjectMetaValidation.validate(
            ds.path("metadata"), true, ObjectMetaValidation::dnsSubdomain, "metadata"));
    JsonNode spec = ds.path("spec");
    JsonNode selector = spec.get("selector");
    errs.addAll(labelSelector(selector, "spec.selector"));
    JsonNode templateLabels = spec.path("template").path("metadata").path("labels");
    if (!matches(selector, templateLabels)) {
      errs.add(
          FieldError.invalid(
              "spec.template.metadata.labels",
              FieldError.goMap(templateLabels, "string"),
              "`selector` does not match template `labels`"));
    }
    if (selector != null
        && selector.path("matchLabels").size() + selector.path("matchExpressions").size() == 0) {
      errs.add(
          FieldError.invalid(
              "spec.selector", goSelector(selector), "empty selector is invalid for daemonset"));
    }
    errs.addAll(ObjectMetaValidation.labels(templateLabels, "spec.template.metadata.labels"));
    JsonNode pod = spec.path("template").path("spec");
    errs.addAll(podSpec(pod, "spec.template.spec"));
    String restart = text(pod, "restartPolicy");
    if (!restart.isEmpty() && !restart.equals("Always")) {
      errs.add(
          FieldError.notSupported("spec.template.spec.restartPolicy", restart, List.of("Always")));
    }
    if (pod.hasNonNull("activeDeadlineSeconds")) {
      errs.add(
          FieldError.invalid(
              "spec.template.spec.activeDeadlineSeconds",
              pod.get("activeDeadlineSeconds"),
              "activeDeadlineSeconds in DaemonSet is not Supported"));
    }
    if (stored != null) {
      JsonNode old = stored.path("spec").get("selector");
      if (!java.util.Objects.equals(old, selector)) {
        errs.add(FieldError.invalid("spec.selector", goSelector(selector), "field is immutable"));
      }
    }
    return errs;
  }

  /** metav1validation.ValidateLabelSelector. */
  static List<FieldError> labelSelector(JsonNode selector, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (selector == null) {
      return errs;
    }
    JsonNode exprs = selector.path("matchExpressions");
    for (int i = 0; i < exprs.size(); i++) {
      JsonNode e = exprs.get(i);
      String p = path + ".matchExpressions[" + i + "]";
      String op = text(e, "operator");
      int values = e.path("values").size();
      switch (op) {
        case "In", "NotIn" -> {
          if (values == 0) {
            errs.add(
                FieldError.required(
                    p + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (values > 0) {
            errs.add(
                FieldError.forbidden(
                    p + ".values",
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
          }
        }
        default ->
            errs.add(FieldError.invalid(p + ".operator", op, "not a valid selector operator"));
      }
      for (String m : ObjectMetaValidation.qualifiedName(text(e, "key"))) {
        errs.add(FieldError.invalid(p + ".key", text(e, "key"), m));
      }
    }
    errs.addAll(ObjectMetaValidation.labels(selector.path("matchLabels"), path + ".matchLabels"));
    return errs;
  }

  /** LabelSelectorAsSelector(selector).Matches(labels); a nil selector matches nothing. */
  static boolean matches(JsonNode selector, JsonNode labels) {
    if (selector == null || selector.isNull()) {
      return false;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = selector.path("matchLabels").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().asText().equals(text(labels, e.getKey())) || !labels.has(e.getKey())) {
        return false;
      }
    }
    for (JsonNode e : selector.path("matchExpressions")) {
      String key = text(e, "key");
      Set<String> values = new HashSet<>();
      e.path("values").forEach(v -> values.add(v.asText()));
      boolean has = labels.has(key);
      boolean ok =
          switch (text(e, "operator")) {
            case "In" -> has && values.contains(text(labels, key));
            case "NotIn" -> !has || !values.contains(text(labels, key));
            case "Exists" -> has;
            case "DoesNotExist" -> !has;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static FieldError.GoValue goSelector(JsonNode selector) {
    if (selector == null || selector.isNull()) {
      return new FieldError.GoValue("\"null\"");
    }
    String labels =
        selector.has("matchLabels")
            ? FieldError.goMap(selector.get("matchLabels"), "string").text()
            : "map[string]string(nil)";
    String exprs =
        selector.path("matchExpressions").isEmpty()
            ? "[]v1.LabelSelectorRequirement(nil)"
            : "[]v1.LabelSelectorRequirement{...}";
    return new FieldError.GoValue(
        "v1.LabelSelector{MatchLabels:" + labels + ", MatchExpressions:" + exprs + "}");
  }

  /** ValidatePodSpec, for the fields floatip sets. */
  static List<FieldError> podSpec(JsonNode spec, String path) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> volumes = volumes(spec.path("volumes"), path + ".volumes", errs);
    boolean hostNetwork = spec.path("hostNetwork").asBoolean(false);
    JsonNode containers = spec.path("containers");
    if (containers.isEmpty()) {
      errs.add(FieldError.required(path + ".containers", ""));
    }
    Set<String> names = new HashSet<>();
    for (JsonNode list : List.of(spec.path("initContainers"), containers)) {
      String listPath = path + (list == containers ? ".containers" : ".initContainers");
      for (int i = 0; i < list.size(); i++) {
        container(list.get(i), listPath + "[" + i + "]", volumes, hostNetwork, names, errs);
      }
    }
    String restart = text(spec, "restartPolicy");
    if (!restart.isEmpty() && !List.of("Always", "OnFailure", "Never").contains(restart)) {
      errs.add(
          FieldError.notSupported(
              path + ".restartPolicy", restart, List.of("Always", "OnFailure", "Never")));
    }
    String dns = text(spec, "dnsPolicy");
    List<String> dnsPolicies =
        List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
    if (!dns.isEmpty() && !dnsPolicies.contains(dns)) {
      errs.add(FieldError.notSupported(path + ".dnsPolicy", dns, dnsPolicies));
    }
    errs.addAll(ObjectMetaValidation.labels(spec.path("nodeSelector"), path + ".nodeSelector"));
    for (String field : List.of("serviceAccountName", "priorityClassName")) {
      String value = text(spec, field);
      if (!value.isEmpty()) {
        for (String m : ObjectMetaValidation.dnsSubdomain(value)) {
          errs.add(FieldError.invalid(path + "." + field, value, m));
        }
      }
    }
    JsonNode tolerations = spec.path("tolerations");
    for (int i = 0; i < tolerations.size(); i++) {
      toleration(tolerations.get(i), path + ".tolerations[" + i + "]", errs);
    }
    return errs;
  }

  /** ValidateVolumes: the names of the valid volumes. */
  private static Set<String> volumes(JsonNode volumes, String path, List<FieldError> errs) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < volumes.size(); i++) {
      JsonNode vol = volumes.get(i);
      String p = path + "[" + i + "]";
      List<FieldError> el = new ArrayList<>();
      String first = null;
      for (String source : VOLUME_SOURCES) {
        if (vol.hasNonNull(source)) {
          if (first != null) {
            el.add(
                FieldError.forbidden(p + "." + source, "may not specify more than 1 volume type"));
          } else {
            first = source;
            el.addAll(volumeSource(source, vol.get(source), p + "." + source));
          }
        }
      }
      if (first == null) {
        el.add(FieldError.required(p, "must specify a volume type"));
      }
      String name = text(vol, "name");
      if (name.isEmpty()) {
        el.add(FieldError.required(p + ".name", ""));
      } else {
        ObjectMetaValidation.dnsLabel(name)
            .forEach(m -> el.add(FieldError.invalid(p + ".name", name, m)));
      }
      if (names.contains(name)) {
        el.add(FieldError.duplicate(p + ".name", name));
      }
      if (el.isEmpty()) {
        names.add(name);
      } else {
        errs.addAll(el);
      }
    }
    return names;
  }

  private static List<FieldError> volumeSource(String source, JsonNode v, String path) {
    List<FieldError> errs = new ArrayList<>();
    switch (source) {
      case "hostPath" -> {
        String p = text(v, "path");
        if (p.isEmpty()) {
          errs.add(FieldError.required(path + ".path", ""));
          return errs;
        }
        errs.addAll(noBacksteps(p, path + ".path"));
        if (v.has("type") && !HOST_PATH_TYPES.contains(text(v, "type"))) {
          errs.add(FieldError.notSupported(path + ".type", text(v, "type"), HOST_PATH_TYPES));
        }
      }
      case "secret" -> {
        if (text(v, "secretName").isEmpty()) {
          errs.add(FieldError.required(path + ".secretName", ""));
        }
      }
      case "configMap" -> {
        if (text(v, "name").isEmpty()) {
          errs.add(FieldError.required(path + ".name", ""));
        }
      }
      default -> {}
    }
    return errs;
  }

  /** validatePathNoBacksteps. */
  private static List<FieldError> noBacksteps(String p, String path) {
    for (String part : p.split("/")) {
      if (part.equals("..")) {
        return List.of(FieldError.invalid(path, p, "must not contain '..'"));
      }
    }
    return List.of();
  }

  private static void container(
      JsonNode c,
      String p,
      Set<String> volumes,
      boolean hostNetwork,
      Set<String> names,
      List<FieldError> errs) {
    String name = text(c, "name");
    if (name.isEmpty()) {
      errs.add(FieldError.required(p + ".name", ""));
    } else {
      ObjectMetaValidation.dnsLabel(name)
          .forEach(m -> errs.add(FieldError.invalid(p + ".name", name, m)));
    }
    if (!name.isEmpty() && !names.add(name)) {
      errs.add(FieldError.duplicate(p + ".name", name));
    }
    if (text(c, "image").isEmpty()) {
      errs.add(FieldError.required(p + ".image", ""));
    }
    JsonNode ports = c.path("ports");
    for (int i = 0; i < ports.size(); i++) {
      JsonNode port = ports.get(i);
      String pp = p + ".ports[" + i + "]";
      long containerPort = port.path("containerPort").asLong(0);
      if (containerPort < 1 || containerPort > 65535) {
        errs.add(
            FieldError.invalid(
                pp + ".containerPort", containerPort, "must be between 1 and 65535, inclusive"));
      }
      long hostPort = port.path("hostPort").asLong(0);
      if (hostPort != 0 && (hostPort < 1 || hostPort > 65535)) {
        errs.add(
            FieldError.invalid(
                pp + ".hostPort", hostPort, "must be between 1 and 65535, inclusive"));
      }
      String protocol = text(port, "protocol");
      if (!protocol.isEmpty() && !List.of("SCTP", "TCP", "UDP").contains(protocol)) {
        errs.add(
            FieldError.notSupported(pp + ".protocol", protocol, List.of("SCTP", "TCP", "UDP")));
      }
      if (hostNetwork && hostPort != 0 && hostPort != containerPort) {
        errs.add(
            FieldError.invalid(
                pp + ".hostPort",
                hostPort,
                "must match `containerPort` when `hostNetwork` is true"));
      }
    }
    JsonNode env = c.path("env");
    for (int i = 0; i < env.size(); i++) {
      JsonNode e = env.get(i);
      String ep = p + ".env[" + i + "]";
      String envName = text(e, "name");
      if (envName.isEmpty()) {
        errs.add(FieldError.required(ep + ".name", ""));
      } else if (!envName.chars().allMatch(ch -> ch >= 0x20 && ch <= 0x7e && ch != '=')) {
        errs.add(
            FieldError.invalid(
                ep + ".name",
                envName,
                "a valid environment variable name must consist only of printable ASCII"
                    + " characters other than '='"));
      }
      if (e.hasNonNull("valueFrom") && !text(e, "value").isEmpty()) {
        errs.add(
            FieldError.invalid(
                ep + ".valueFrom", "", "may not be specified when `value` is not empty"));
      }
    }
    JsonNode mounts = c.path("volumeMounts");
    Set<String> mountPaths = new HashSet<>();
    for (int i = 0; i < mounts.size(); i++) {
      JsonNode m = mounts.get(i);
      String mp = p + ".volumeMounts[" + i + "]";
      String volume = text(m, "name");
      if (volume.isEmpty()) {
        errs.add(FieldError.required(mp + ".name", ""));
      }
      if (!volumes.contains(volume)) {
        errs.add(FieldError.notFound(mp + ".name", volume));
      }
      String mountPath = text(m, "mountPath");
      if (mountPath.isEmpty()) {
        errs.add(FieldError.required(mp + ".mountPath", ""));
      }
      if (!mountPaths.add(mountPath)) {
        errs.add(FieldError.invalid(mp + ".mountPath", mountPath, "must be unique"));
      }
      String subPath = text(m, "subPath");
      if (!subPath.isEmpty()) {
        if (subPath.startsWith("/")) {
          errs.add(FieldError.invalid(mp + ".subPath", subPath, "must be a relative path"));
        }
        errs.addAll(noBacksteps(subPath, mp + ".subPath"));
      }
    }
  }

  /** validateTolerations. */
  private static void toleration(JsonNode t, String p, List<FieldError> errs) {
    String key = text(t, "key");
    String operator = text(t, "operator");
    String value = text(t, "value");
    String effect = text(t, "effect");
    if (!key.isEmpty()) {
      ObjectMetaValidation.qualifiedName(key)
          .forEach(m -> errs.add(FieldError.invalid(p + ".key", key, m)));
    }
    if (key.isEmpty() && !operator.equals("Exists")) {
      errs.add(
          FieldError.invalid(
              p + ".operator",
              operator,
              "operator must be Exists when `key` is empty, which means \"match all values and all"
                  + " keys\""));
    }
    if (t.hasNonNull("tolerationSeconds") && !effect.equals("NoExecute")) {
      errs.add(
          FieldError.invalid(
              p + ".effect", effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (operator) {
      case "Equal", "" -> {
        List<String> msgs = ObjectMetaValidation.labelValue(value);
        if (!msgs.isEmpty()) {
          errs.add(FieldError.invalid(p + ".operator", value, String.join(";", msgs)));
        }
      }
      case "Exists" -> {
        if (!value.isEmpty()) {
          errs.add(
              FieldError.invalid(
                  p + ".operator",
                  new FieldError.GoValue(goToleration(t)),
                  "value must be empty when `operator` is 'Exists'"));
        }
      }
      default ->
          errs.add(FieldError.notSupported(p + ".operator", operator, List.of("Equal", "Exists")));
    }
    List<String> effects = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    if (!effect.isEmpty() && !effects.contains(effect)) {
      errs.add(FieldError.notSupported(p + ".effect", effect, effects));
    }
  }

  private static String goToleration(JsonNode t) {
    String seconds =
        t.hasNonNull("tolerationSeconds")
            ? "(*int64)(" + t.get("tolerationSeconds").asLong() + ")"
            : "(*int64)(nil)";
    return List.of("key", "operator", "value", "effect").stream()
            .map(
                f ->
                    Character.toUpperCase(f.charAt(0))
                        + f.substring(1)
                        + ":"
                        + FieldError.quote(text(t, f)))
            .collect(Collectors.joining(", ", "core.Toleration{", ""))
        + ", TolerationSeconds:"
        + seconds
        + "}";
  }
}
