package dev.floatip.testing.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link CoreValidation} against kube-apiserver's rules for the built-in objects floatip writes:
 * per rule a valid and an invalid variant of a realistic object (a JSON merge patch on it), with
 * kube's message.
 */
class CoreValidationTest {

  private static final YAMLMapper YAML = new YAMLMapper();

  static ObjectNode yaml(String text) {
    try {
      return (ObjectNode) YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** RFC 7386 JSON merge patch. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode out =
        target != null && target.isObject()
            ? (ObjectNode) target.deepCopy()
            : YAML.createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else {
        out.set(e.getKey(), merge(out.get(e.getKey()), e.getValue()));
      }
    }
    return out;
  }

  static RequestInfo request(String verb, String groupResource, String namespace, String name) {
    String[] gr = groupResource.split("/", 2);
    String version = gr[0].isEmpty() ? "v1" : "v1";
    return new RequestInfo(
        true,
        (gr[0].isEmpty() ? "/api/v1" : "/apis/" + gr[0] + "/v1")
            + (namespace.isEmpty() ? "" : "/namespaces/" + namespace)
            + "/"
            + gr[1],
        verb,
        gr[0],
        version,
        namespace,
        gr[1],
        "",
        name);
  }

  static final String CORE_EVENT =
      """
      apiVersion: v1
      kind: Event
      metadata: {name: vip-a.187f0c1e2d3a4b5c, namespace: default}
      involvedObject: {apiVersion: floatip.dev/v1alpha1, kind: VirtualIP, name: vip-a, uid: u-1}
      reason: MasterChanged
      message: node-a is master
      type: Normal
      source: {component: floatip-operator}
      count: 1
      firstTimestamp: "2026-12-07T14:00:00Z"
      lastTimestamp: "2026-12-07T14:00:00Z"
      """;

  static final String EVENTS_V1 =
      """
      apiVersion: events.k8s.io/v1
      kind: Event
      metadata: {name: vip-a.187f0c1e2d3a4b5c, namespace: default}
      regarding: {apiVersion: floatip.dev/v1alpha1, kind: VirtualIP, name: vip-a, uid: u-1}
      reason: MasterChanged
      note: node-a is master
      type: Normal
      eventTime: "2026-12-07T14:00:00.000000Z"
      reportingController: floatip.dev/operator
      reportingInstance: floatip-operator-7d9f
      action: Elect
      """;

  static final String DAEMON_SET =
      """
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: floatip-agent, namespace: floatip}
      spec:
        selector: {matchLabels: {app.kubernetes.io/name: floatip-agent}}
        template:
          metadata: {labels: {app.kubernetes.io/name: floatip-agent}}
          spec:
            hostNetwork: true
            serviceAccountName: floatip-agent
            priorityClassName: system-node-critical
            tolerations: [{operator: Exists}]
            containers:
            - name: agent
              image: ghcr.io/floatip/floatip:1.0.0
              ports: [{name: metrics, containerPort: 9100}]
              env: [{name: NODE_NAME, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}]
              volumeMounts: [{name: track-0, mountPath: /host/tmp, readOnly: true}]
            volumes: [{name: track-0, hostPath: {path: /tmp, type: Directory}}]
      """;

  static final String LEASE =
      """
      apiVersion: coordination.k8s.io/v1
      kind: Lease
      metadata: {name: floatip-operator, namespace: floatip}
      spec: {holderIdentity: floatip-operator-7d9f, leaseDurationSeconds: 15, leaseTransitions: 0}
      """;

  static final String CLUSTER_ROLE =
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata: {name: "floatip:agent"}
      rules: [{apiGroups: [floatip.dev], resources: [virtualips/status], verbs: [get, patch]}]
      """;

  static final String ROLE =
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata: {name: floatip-secrets, namespace: floatip}
      rules: [{apiGroups: [""], resources: [secrets], resourceNames: [vrrp], verbs: [get]}]
      """;

  static final String CLUSTER_ROLE_BINDING =
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata: {name: "floatip:agent"}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "floatip:agent"}
      subjects: [{kind: ServiceAccount, name: floatip-agent, namespace: floatip}]
      """;

  static final String ROLE_BINDING =
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: floatip-secrets, namespace: floatip}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: floatip-secrets}
      subjects: [{kind: ServiceAccount, name: floatip-agent}, {kind: User, name: admin}]
      """;

  static final String SERVICE_ACCOUNT =
      "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: floatip-agent, namespace: floatip}";

  static final String NODE =
      "apiVersion: v1\nkind: Node\nmetadata: {name: node-a, labels: {zone: a}}";

  static final String DNS_LABEL =
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and"
          + " must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc',"
          + " regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  static final String DNS_SUBDOMAIN =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
          + " '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex"
          + " used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

  static final String POD = "{spec: {template: {spec: {";

  /**
   * group/resource | request namespace | object | a valid merge patch | an invalid one | the
   * message after {@code Kind "name" is invalid: }.
   */
  static Stream<Arguments> rows() {
    String ds = "DaemonSet.apps \"floatip-agent\" is invalid: ";
    String two = "volumes: [{name: a, hostPath: {path: /tmp}}, {name: b, hostPath: {path: /run}}]";
    return Stream.of(
        // core/v1 Events: the namespace rule of legacyValidateEvent (issue 11, defect 3)
        Arguments.of(
            "/events",
            "default",
            CORE_EVENT,
            "{}",
            "{metadata: {namespace: floatip}}",
            "Event \"vip-a.187f0c1e2d3a4b5c\" is invalid: involvedObject.namespace: Invalid value: \"\": does not match event.namespace"),
        Arguments.of(
            "/events",
            "floatip",
            CORE_EVENT,
            "{metadata: {namespace: floatip}, involvedObject: {kind: Pod, namespace: floatip}}",
            "{metadata: {namespace: floatip}, involvedObject: {kind: Pod, namespace: kube-system}}",
            "Event \"vip-a.187f0c1e2d3a4b5c\" is invalid: involvedObject.namespace: Invalid value: \"kube-system\": does not match event.namespace"),
        Arguments.of(
            "/events",
            "default",
            CORE_EVENT,
            "{metadata: {name: vip-a.1}}",
            "{metadata: {name: \"vip/a\"}}",
            "Event \"vip/a\" is invalid: metadata.name: Invalid value: \"vip/a\": may not contain '/'"),
        // events.k8s.io/v1
        Arguments.of(
            "events.k8s.io/events",
            "default",
            EVENTS_V1,
            "{metadata: {namespace: kube-system}}",
            "{metadata: {namespace: floatip}}",
            "Event.events.k8s.io \"vip-a.187f0c1e2d3a4b5c\" is invalid: involvedObject.namespace: Invalid value: \"\": does not match event.namespace"),
        Arguments.of(
            "events.k8s.io/events",
            "default",
            EVENTS_V1,
            "{metadata: {name: " + "a".repeat(253) + "}}",
            "{metadata: {name: " + "a".repeat(300) + "}}",
            "Event.events.k8s.io \""
                + "a".repeat(300)
                + "\" is invalid: metadata.name: Invalid value: \""
                + "a".repeat(300)
                + "\": must be no more than 253 characters"),
        Arguments.of(
            "events.k8s.io/events",
            "default",
            EVENTS_V1,
            "{type: Warning}",
            "{type: Info}",
            "Event.events.k8s.io \"vip-a.187f0c1e2d3a4b5c\" is invalid: type: Invalid value: \"\": has invalid value: Info"),
        Arguments.of(
            "events.k8s.io/events",
            "default",
            EVENTS_V1,
            "{action: Resign}",
            "{action: null}",
            "Event.events.k8s.io \"vip-a.187f0c1e2d3a4b5c\" is invalid: action: Required value"),
        Arguments.of(
            "events.k8s.io/events",
            "default",
            EVENTS_V1,
            "{series: {count: 2, lastObservedTime: \"2026-12-07T14:01:00.000000Z\"}}",
            "{series: {count: 1, lastObservedTime: \"2026-12-07T14:01:00.000000Z\"}}",
            "Event.events.k8s.io \"vip-a.187f0c1e2d3a4b5c\" is invalid: series.count: Invalid value: \"\": should be at least 2"),
        Arguments.of(
            "events.k8s.io/events",
            "default",
            EVENTS_V1,
            "{}",
            "{deprecatedCount: 3}",
            "Event.events.k8s.io \"vip-a.187f0c1e2d3a4b5c\" is invalid: count: Invalid value: \"\": needs to be unset"),
        Arguments.of(
            "events.k8s.io/events",
            "default",
            EVENTS_V1,
            "{}",
            "{reportingController: \"floatip operator\"}",
            "Event.events.k8s.io \"vip-a.187f0c1e2d3a4b5c\" is invalid: reportingController: Invalid value: \"floatip operator\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
        // DaemonSet: volumes and mounts (issue 11, defect 4)
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD
                + two
                + ", containers: [{name: agent, image: x, volumeMounts: [{name: a, mountPath: /host/tmp}, {name: b, mountPath: /host/run}]}]}}}}",
            POD
                + two
                + ", containers: [{name: agent, image: x, volumeMounts: [{name: a, mountPath: /tmp}, {name: b, mountPath: /tmp}]}]}}}}",
            ds
                + "spec.template.spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/tmp\": must be unique"),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD
                + "volumes: [{name: track-0, hostPath: {path: /tmp}}, {name: track-1, emptyDir: {}}]}}}}",
            POD
                + "volumes: [{name: track-0, hostPath: {path: /tmp}}, {name: track-0, emptyDir: {}}]}}}}",
            ds + "spec.template.spec.volumes[1].name: Duplicate value: \"track-0\""),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD
                + "volumes: [{name: track-0, hostPath: {path: /tmp}}], containers: [{name: agent, image: x, volumeMounts: [{name: track-0, mountPath: /t}]}]}}}}",
            POD
                + "volumes: [{name: track_0, hostPath: {path: /tmp}}], containers: [{name: agent, image: x, volumeMounts: [{name: track_0, mountPath: /t}]}]}}}}",
            ds
                + "[spec.template.spec.volumes[0].name: Invalid value: \"track_0\": "
                + DNS_LABEL
                + ", spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"track_0\"]"),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD + "volumes: [{name: track-0, emptyDir: {}}]}}}}",
            POD + "volumes: [{name: track-0, hostPath: {path: /tmp}, emptyDir: {}}]}}}}",
            ds
                + "[spec.template.spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type, spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"track-0\"]"),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD + "volumes: [{name: track-0, hostPath: {path: /tmp, type: DirectoryOrCreate}}]}}}}",
            POD + "volumes: [{name: track-0, hostPath: {path: /tmp, type: Dir}}]}}}}",
            ds
                + "[spec.template.spec.volumes[0].hostPath.type: Unsupported value: \"Dir\": supported values: \"\", \"BlockDevice\", \"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\", spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"track-0\"]"),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD + "volumes: [{name: track-0, hostPath: {path: /var/lib/x..y}}]}}}}",
            POD + "volumes: [{name: track-0, hostPath: {path: /var/../etc}}]}}}}",
            ds
                + "[spec.template.spec.volumes[0].hostPath.path: Invalid value: \"/var/../etc\": must not contain '..', spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"track-0\"]"),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD + "volumes: [{name: track-0, hostPath: {path: /tmp}}]}}}}",
            POD + "volumes: [{name: track-0}]}}}}",
            ds
                + "[spec.template.spec.volumes[0]: Required value: must specify a volume type, spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"track-0\"]"),
        // DaemonSet: containers
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            "{}",
            POD + "containers: []}}}}",
            ds + "spec.template.spec.containers: Required value"),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD
                + "containers: [{name: agent, image: x}, {name: sidecar, image: y}], volumes: []}}}}",
            POD + "containers: [{name: agent, image: x}, {name: agent, image: y}], volumes: []}}}}",
            ds + "spec.template.spec.containers[1].name: Duplicate value: \"agent\""),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD + "containers: [{name: " + "a".repeat(63) + ", image: x}], volumes: []}}}}",
            POD + "containers: [{name: " + "a".repeat(64) + ", image: x}], volumes: []}}}}",
            ds
                + "spec.template.spec.containers[0].name: Invalid value: \""
                + "a".repeat(64)
                + "\": must be no more than 63 characters"),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD + "containers: [{name: agent, image: x}], volumes: []}}}}",
            POD + "containers: [{name: agent}], volumes: []}}}}",
            ds + "spec.template.spec.containers[0].image: Required value"),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD
                + "containers: [{name: agent, image: x, ports: [{containerPort: 9100, hostPort: 9100}]}], volumes: []}}}}",
            POD
                + "containers: [{name: agent, image: x, ports: [{containerPort: 9100, hostPort: 9101}]}], volumes: []}}}}",
            ds
                + "spec.template.spec.containers[0].ports[0].hostPort: Invalid value: 9101: must match `containerPort` when `hostNetwork` is true"),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD
                + "containers: [{name: agent, image: x, ports: [{containerPort: 65535}]}], volumes: []}}}}",
            POD
                + "containers: [{name: agent, image: x, ports: [{containerPort: 65536}]}], volumes: []}}}}",
            ds
                + "spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 65536: must be between 1 and 65535, inclusive"),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD
                + "containers: [{name: agent, image: x, env: [{name: my.var-1, value: a}]}], volumes: []}}}}",
            POD
                + "containers: [{name: agent, image: x, env: [{name: \"A=B\", value: a}]}], volumes: []}}}}",
            ds
                + "spec.template.spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"),
        // DaemonSet: pod spec fields
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD + "restartPolicy: Always}}}}",
            POD + "restartPolicy: Never}}}}",
            ds
                + "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD
                + "tolerations: [{key: k, operator: Exists, effect: NoExecute, tolerationSeconds: 30}]}}}}",
            POD
                + "tolerations: [{key: k, operator: Exists, effect: NoSchedule, tolerationSeconds: 30}]}}}}",
            ds
                + "spec.template.spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD + "tolerations: [{key: k, operator: Exists}]}}}}",
            POD + "tolerations: [{key: k, operator: Exists, value: v}]}}}}",
            ds
                + "spec.template.spec.tolerations[0].operator: Invalid value: core.Toleration{Key:\"k\", Operator:\"Exists\", Value:\"v\", Effect:\"\", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is 'Exists'"),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD + "tolerations: [{key: k, value: v, effect: PreferNoSchedule}]}}}}",
            POD + "tolerations: [{key: k, value: v, effect: Sometimes}]}}}}",
            ds
                + "spec.template.spec.tolerations[0].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD + "tolerations: [{operator: Exists}]}}}}",
            POD + "tolerations: [{operator: Equal}]}}}}",
            ds
                + "spec.template.spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\""),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD + "priorityClassName: floatip-node}}}}",
            POD + "priorityClassName: Node_Critical}}}}",
            ds
                + "spec.template.spec.priorityClassName: Invalid value: \"Node_Critical\": "
                + DNS_SUBDOMAIN),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            POD + "serviceAccountName: agent}}}}",
            POD + "serviceAccountName: Agent}}}}",
            ds
                + "spec.template.spec.serviceAccountName: Invalid value: \"Agent\": "
                + DNS_SUBDOMAIN),
        // DaemonSet: selector and name
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            "{spec: {selector: {matchLabels: {app.kubernetes.io/name: null}, matchExpressions: [{key: app.kubernetes.io/name, operator: In, values: [floatip-agent]}]}}}",
            "{spec: {selector: {matchLabels: {app.kubernetes.io/name: other}}}}",
            ds
                + "spec.template.metadata.labels: Invalid value: map[string]string{\"app.kubernetes.io/name\":\"floatip-agent\"}: `selector` does not match template `labels`"),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            "{}",
            "{spec: {selector: null}}",
            ds
                + "spec.template.metadata.labels: Invalid value: map[string]string{\"app.kubernetes.io/name\":\"floatip-agent\"}: `selector` does not match template `labels`"),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            "{metadata: {name: floatip-agent.v2}}",
            "{metadata: {name: Floatip-Agent}}",
            "DaemonSet.apps \"Floatip-Agent\" is invalid: metadata.name: Invalid value: \"Floatip-Agent\": "
                + DNS_SUBDOMAIN),
        // Leases
        Arguments.of(
            "coordination.k8s.io/leases",
            "floatip",
            LEASE,
            "{spec: {leaseDurationSeconds: 1}}",
            "{spec: {leaseDurationSeconds: 0}}",
            "Lease.coordination.k8s.io \"floatip-operator\" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"),
        Arguments.of(
            "coordination.k8s.io/leases",
            "floatip",
            LEASE,
            "{spec: {leaseTransitions: 3}}",
            "{spec: {leaseTransitions: -1}}",
            "Lease.coordination.k8s.io \"floatip-operator\" is invalid: spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0"),
        // ServiceAccounts, Nodes, namespaced kinds without a namespace
        Arguments.of(
            "/serviceaccounts",
            "floatip",
            SERVICE_ACCOUNT,
            "{metadata: {name: floatip-agent.v2}}",
            "{metadata: {name: Floatip}}",
            "ServiceAccount \"Floatip\" is invalid: metadata.name: Invalid value: \"Floatip\": "
                + DNS_SUBDOMAIN),
        Arguments.of(
            "/serviceaccounts",
            "",
            SERVICE_ACCOUNT,
            "{}",
            "{metadata: {namespace: null}}",
            "ServiceAccount \"floatip-agent\" is invalid: metadata.namespace: Required value"),
        Arguments.of(
            "/nodes",
            "",
            NODE,
            "{metadata: {labels: {topology.kubernetes.io/zone: a}}}",
            "{metadata: {labels: {zone: \"a b\"}}}",
            "Node \"node-a\" is invalid: metadata.labels: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
        // RBAC
        Arguments.of(
            "rbac.authorization.k8s.io/clusterroles",
            "",
            CLUSTER_ROLE,
            "{metadata: {name: \"floatip:agent:v2\"}}",
            "{metadata: {name: floatip/agent}}",
            "ClusterRole.rbac.authorization.k8s.io \"floatip/agent\" is invalid: metadata.name: Invalid value: \"floatip/agent\": may not contain '/'"),
        Arguments.of(
            "rbac.authorization.k8s.io/clusterroles",
            "",
            CLUSTER_ROLE,
            "{rules: [{nonResourceURLs: [/healthz], verbs: [get]}]}",
            "{rules: [{resources: [nodes], verbs: [get]}]}",
            "ClusterRole.rbac.authorization.k8s.io \"floatip:agent\" is invalid: rules[0].apiGroups: Required value: resource rules must supply at least one api group"),
        Arguments.of(
            "rbac.authorization.k8s.io/clusterroles",
            "",
            CLUSTER_ROLE,
            "{}",
            "{rules: [{apiGroups: [\"\"], resources: [nodes]}]}",
            "ClusterRole.rbac.authorization.k8s.io \"floatip:agent\" is invalid: rules[0].verbs: Required value: verbs must contain at least one value"),
        Arguments.of(
            "rbac.authorization.k8s.io/roles",
            "floatip",
            ROLE,
            "{}",
            "{rules: [{nonResourceURLs: [/healthz], verbs: [get]}]}",
            "Role.rbac.authorization.k8s.io \"floatip-secrets\" is invalid: rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs"),
        Arguments.of(
            "rbac.authorization.k8s.io/clusterrolebindings",
            "",
            CLUSTER_ROLE_BINDING,
            "{}",
            "{roleRef: {kind: Role}}",
            "ClusterRoleBinding.rbac.authorization.k8s.io \"floatip:agent\" is invalid: roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\""),
        Arguments.of(
            "rbac.authorization.k8s.io/clusterrolebindings",
            "",
            CLUSTER_ROLE_BINDING,
            "{}",
            "{roleRef: {apiGroup: null}}",
            "ClusterRoleBinding.rbac.authorization.k8s.io \"floatip:agent\" is invalid: roleRef.apiGroup: Unsupported value: \"\": supported values: \"rbac.authorization.k8s.io\""),
        Arguments.of(
            "rbac.authorization.k8s.io/clusterrolebindings",
            "",
            CLUSTER_ROLE_BINDING,
            "{subjects: [{kind: Group, name: admins}]}",
            "{subjects: [{kind: ServiceAccount, name: floatip-agent}]}",
            "ClusterRoleBinding.rbac.authorization.k8s.io \"floatip:agent\" is invalid: subjects[0].namespace: Required value"),
        Arguments.of(
            "rbac.authorization.k8s.io/rolebindings",
            "floatip",
            ROLE_BINDING,
            "{}",
            "{subjects: [{kind: Robot, name: r2}]}",
            "RoleBinding.rbac.authorization.k8s.io \"floatip-secrets\" is invalid: subjects[0].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\""),
        Arguments.of(
            "rbac.authorization.k8s.io/rolebindings",
            "floatip",
            ROLE_BINDING,
            "{}",
            "{subjects: [{kind: ServiceAccount, apiGroup: rbac.authorization.k8s.io, name: floatip-agent}]}",
            "RoleBinding.rbac.authorization.k8s.io \"floatip-secrets\" is invalid: subjects[0].apiGroup: Unsupported value: \"rbac.authorization.k8s.io\": supported values: \"\""));
  }

  @ParameterizedTest(name = "{0} {4}")
  @MethodSource("rows")
  void aValidAndAnInvalidVariantPerRule(
      String resource,
      String namespace,
      String object,
      String valid,
      String invalid,
      String message) {
    ObjectNode base = yaml(object);
    ObjectNode good = (ObjectNode) merge(base, yaml(valid));
    ObjectNode bad = (ObjectNode) merge(base, yaml(invalid));
    String ns = bad.path("metadata").path("namespace").asText(namespace);
    String goodNs = good.path("metadata").path("namespace").asText(namespace);

    assertThatCode(
            () -> CoreValidation.validate(request("create", resource, goodNs, ""), good, null))
        .as("valid variant")
        .doesNotThrowAnyException();
    ApiError e =
        catchThrowableOfType(
            ApiError.class,
            () -> CoreValidation.validate(request("create", resource, ns, ""), bad, null));

    assertThat(e).as("invalid variant refused").isNotNull();
    assertThat(e.code()).isEqualTo(422);
    assertThat(e.getMessage()).isEqualTo(message);
    assertThat(e.causes()).isNotEmpty();
  }

  @Test
  void aLongCoreV1EventNameIsAcceptedAsKubeApiserverDoes() {
    // core/v1 Events get only legacyValidateEvent and path-segment names (events.go: "No further
    // validation for backwards compatibility"); events.k8s.io/v1 refuses it (table above)
    ObjectNode event =
        (ObjectNode) merge(yaml(CORE_EVENT), yaml("{metadata: {name: " + "a".repeat(300) + "}}"));

    assertThatCode(
            () -> CoreValidation.validate(request("create", "/events", "default", ""), event, null))
        .doesNotThrowAnyException();
  }

  @Test
  void anEventWithoutANamespaceTakesTheRequestsAndAClusterScopedKindLosesIt() {
    ObjectNode event = yaml(CORE_EVENT);
    event.withObject("/metadata").remove("namespace");
    CoreValidation.validate(request("create", "/events", "default", ""), event, null);
    assertThat(event.at("/metadata/namespace").asText()).isEqualTo("default");

    ObjectNode role = yaml(CLUSTER_ROLE);
    role.withObject("/metadata").put("namespace", "floatip");
    CoreValidation.validate(
        request("create", "rbac.authorization.k8s.io/clusterroles", "", ""), role, null);
    assertThat(role.at("/metadata/namespace").isMissingNode()).isTrue();
  }

  @Test
  void anObjectInAnotherNamespaceThanTheRequestIsABadRequest() {
    ObjectNode lease = yaml(LEASE);

    ApiError e =
        catchThrowableOfType(
            ApiError.class,
            () ->
                CoreValidation.validate(
                    request("create", "coordination.k8s.io/leases", "default", ""), lease, null));

    assertThat(e.code()).isEqualTo(400);
    assertThat(e.getMessage())
        .isEqualTo(
            "the namespace of the provided object does not match the namespace sent on the request");
  }

  /** update: the stored object | the merge patch | kube's message ("" = admitted). */
  static Stream<Arguments> updates() {
    return Stream.of(
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            "{spec: {template: {spec: {priorityClassName: x}}}}",
            ""),
        Arguments.of(
            "apps/daemonsets",
            "floatip",
            DAEMON_SET,
            "{spec: {selector: {matchLabels: {app: x}}, template: {metadata: {labels: {app: x}}}}}",
            "DaemonSet.apps \"floatip-agent\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"x\", \"app.kubernetes.io/name\":\"floatip-agent\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"),
        Arguments.of(
            "rbac.authorization.k8s.io/clusterrolebindings",
            "",
            CLUSTER_ROLE_BINDING,
            "{subjects: []}",
            ""),
        Arguments.of(
            "rbac.authorization.k8s.io/clusterrolebindings",
            "",
            CLUSTER_ROLE_BINDING,
            "{roleRef: {name: other}}",
            "ClusterRoleBinding.rbac.authorization.k8s.io \"floatip:agent\" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"other\"}: cannot change roleRef"),
        Arguments.of(
            "events.k8s.io/events",
            "default",
            EVENTS_V1,
            "{series: {count: 2, lastObservedTime: \"2026-12-07T14:01:00.000000Z\"}}",
            ""),
        Arguments.of(
            "events.k8s.io/events",
            "default",
            EVENTS_V1,
            "{note: changed}",
            "Event.events.k8s.io \"vip-a.187f0c1e2d3a4b5c\" is invalid: message: Invalid value: \"changed\": field is immutable"),
        Arguments.of(
            "coordination.k8s.io/leases",
            "floatip",
            LEASE,
            "{spec: {holderIdentity: b, leaseTransitions: 1}}",
            ""),
        Arguments.of(
            "coordination.k8s.io/leases",
            "floatip",
            LEASE,
            "{metadata: {uid: u-2}}",
            "Lease.coordination.k8s.io \"floatip-operator\" is invalid: metadata.uid: Invalid value: \"u-2\": field is immutable"));
  }

  @ParameterizedTest(name = "{0} {3}")
  @MethodSource("updates")
  void updates(String resource, String namespace, String object, String patch, String message) {
    ObjectNode stored = yaml(object);
    stored.withObject("/metadata").put("uid", "u-1");
    ObjectNode sent = (ObjectNode) merge(stored, yaml(patch));
    RequestInfo update =
        request("update", resource, namespace, stored.at("/metadata/name").asText());

    if (message.isEmpty()) {
      assertThatCode(() -> CoreValidation.validate(update, sent, stored))
          .doesNotThrowAnyException();
      return;
    }
    ApiError e =
        catchThrowableOfType(ApiError.class, () -> CoreValidation.validate(update, sent, stored));
    assertThat(e).as("refused").isNotNull();
    assertThat(e.getMessage()).isEqualTo(message);
  }

  @Test
  void kindsThisClassDoesNotKnowAreAccepted() {
    RequestInfo r = request("create", "/services", "floatip", "");
    assertThat(CoreValidation.validates(r)).isFalse();
    assertThatCode(() -> CoreValidation.validate(r, yaml("metadata: {name: Not_Valid}"), null))
        .doesNotThrowAnyException();
  }
}
