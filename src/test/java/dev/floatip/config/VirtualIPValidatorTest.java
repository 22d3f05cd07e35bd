package dev.floatip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floatip.api.v1alpha1.VirtualIP;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VirtualIPValidatorTest {

  @ParameterizedTest
  @ValueSource(strings = {"full-cluster.yaml", "full-v2-cluster.yaml"})
  void everyFieldValidInACluster(String file) {
    assertEquals(List.of(), VirtualIPValidator.validate(TestVips.resource(file), Mode.CLUSTER));
  }

  @Test
  void designExampleIsValid() {
    VirtualIP vip =
        TestVips.withSpec(
            """
            {addresses: [192.0.2.200/24, 2001:db8::200/64], interface: eth0, virtualRouterId: 51,
             version: 3, advertisementInterval: 1s, transport: {mode: Unicast},
             nodeSelector: {matchLabels: {node-role.kubernetes.io/ingress: ""}},
             priority: {default: 100, order: [node-a, node-b], nodes: {node-c: 50}},
             preempt: true, preemptDelay: 0s,
             track: {pods: [{namespace: dns, selector: {matchLabels: {app: unbound}}, minReady: 1, weight: -60}],
                     processes: [{name: named, weight: 10}],
                     scripts: [{name: dig, command: [dig, "@127.0.0.1", +short, example.org], interval: 1s, timeout: 2s, rise: 2, fall: 3}],
                     files: [{path: /var/run/app/vrrp, weight: 1}],
                     interfaces: [{name: ens9, weight: 5}]},
             notify: {command: [/etc/floatip/notify.sh]},
             gratuitousArp: {delay: 5s, repeat: 5, refresh: 0s}, syncGroup: web}
            """);
    assertEquals(List.of(), VirtualIPValidator.validate(vip, Mode.CLUSTER));
  }

  @Test
  void minimalSpecsAreValid() {
    assertEquals(
        List.of(),
        VirtualIPValidator.validate(TestVips.withSpec("{addresses: [192.0.2.1]}"), Mode.CLUSTER));
    assertEquals(
        List.of(),
        VirtualIPValidator.validate(
            TestVips.withSpec(
                "{addresses: [192.0.2.1], virtualRouterId: 9, transport: {mode: Multicast}}"),
            Mode.STANDALONE));
  }

  @Test
  void reportsEveryProblemNotJustTheFirst() {
    VirtualIP vip =
        TestVips.withSpec("{addresses: [x, 192.0.2.1], virtualRouterId: 0, version: 4}");
    List<String> paths =
        VirtualIPValidator.validate(vip, Mode.CLUSTER).stream().map(Violation::path).toList();
    assertEquals(List.of("spec.version", "spec.addresses[0]", "spec.virtualRouterId"), paths);
  }

  @Test
  void metadataNameIsChecked() {
    VirtualIP vip = TestVips.withSpec("{addresses: [192.0.2.1]}");
    vip.getMetadata().setName("Not_A_Name");
    assertViolation(vip, Mode.CLUSTER, "metadata.name", "must be a DNS subdomain");
    vip.getMetadata().setName(null);
    assertViolation(vip, Mode.CLUSTER, "metadata.name", "required");
    vip.setSpec(null);
    assertViolation(vip, Mode.CLUSTER, "spec", "required");
  }

  /** mode | spec (YAML flow mapping) | field path | message fragment. */
  @ParameterizedTest(name = "{2}: {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          CLUSTER | {addresses: []} | spec.addresses | at least one address is required
          CLUSTER | {} | spec.addresses | at least one address is required
          CLUSTER | {addresses: [192.0.2.1, 192.0.2.300]} | spec.addresses[1] | "192.0.2.300" is not an IP address literal
          CLUSTER | {addresses: [vip.example.org]} | spec.addresses[0] | is not an IP address literal (names are not resolved)
          CLUSTER | {addresses: [192.0.2.1/33]} | spec.addresses[0] | prefix length must be 1..32
          CLUSTER | {addresses: [2001:db8::1/129]} | spec.addresses[0] | prefix length must be 1..128
          CLUSTER | {addresses: [192.0.2.1, 192.0.2.1/24]} | spec.addresses[1] | duplicate of spec.addresses[0]
          CLUSTER | {addresses: [2001:db8::1, 2001:DB8:0::1]} | spec.addresses[1] | duplicate of spec.addresses[0]
          CLUSTER | {addresses: [127.0.0.1]} | spec.addresses[0] | must be a unicast address
          CLUSTER | {addresses: [224.0.0.5]} | spec.addresses[0] | must be a unicast address
          CLUSTER | {addresses: ["::"]} | spec.addresses[0] | must be a unicast address
          CLUSTER | {addresses: [192.0.2.1, 2001:db8::1], version: 2} | spec.addresses[1] | IPv6 needs version 3
          CLUSTER | {addresses: [192.0.2.1], version: 4} | spec.version | must be 2 or 3, was 4
          CLUSTER | {addresses: [192.0.2.1], version: 2, advertisementInterval: 1.5s} | spec.advertisementInterval | must be whole seconds 1s..255s with version 2
          CLUSTER | {addresses: [192.0.2.1], version: 2, advertisementInterval: 256s} | spec.advertisementInterval | must be whole seconds 1s..255s with version 2, was 256s
          CLUSTER | {addresses: [192.0.2.1], version: 2, advertisementInterval: 0s} | spec.advertisementInterval | must be whole seconds
          CLUSTER | {addresses: [192.0.2.1], advertisementInterval: 5ms} | spec.advertisementInterval | must be 10ms..40.95s in 10 ms steps with version 3, was 5ms
          CLUSTER | {addresses: [192.0.2.1], advertisementInterval: 41s} | spec.advertisementInterval | must be 10ms..40.95s
          CLUSTER | {addresses: [192.0.2.1], advertisementInterval: 15ms} | spec.advertisementInterval | in 10 ms steps
          CLUSTER | {addresses: [192.0.2.1], advertisementInterval: 1 s} | spec.advertisementInterval | is not a duration
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 0} | spec.virtualRouterId | must be 1..255, was 0
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 256} | spec.virtualRouterId | must be 1..255, was 256
          STANDALONE | {addresses: [192.0.2.1], transport: {mode: Multicast}} | spec.virtualRouterId | required in a standalone file
          CLUSTER | {addresses: [192.0.2.1], interface: a-very-long-interface} | spec.interface | must be an interface name
          CLUSTER | {addresses: [192.0.2.1], interface: eth0/1} | spec.interface | must be an interface name
          CLUSTER | {addresses: [192.0.2.1], transport: {peers: [peer.example.org]}} | spec.transport.peers[0] | "peer.example.org" is not an IP address literal
          CLUSTER | {addresses: [192.0.2.1], transport: {peers: [192.0.2.2/24]}} | spec.transport.peers[0] | a peer is an address, without /prefix
          CLUSTER | {addresses: [192.0.2.1], transport: {peers: [192.0.2.2, 192.0.2.2]}} | spec.transport.peers[1] | duplicate of spec.transport.peers[0]
          CLUSTER | {addresses: [192.0.2.1], transport: {peers: [192.0.2.2, 2001:db8::2]}} | spec.transport.peers[1] | no IPv6 address in spec.addresses
          CLUSTER | {addresses: [192.0.2.1, 2001:db8::1], transport: {peers: [192.0.2.2]}} | spec.transport.peers | no IPv6 peer for the IPv6 addresses
          CLUSTER | {addresses: [192.0.2.1], transport: {peers: [224.0.0.18]}} | spec.transport.peers[0] | must be a unicast address
          CLUSTER | {addresses: [192.0.2.1/24], transport: {peers: [192.0.2.1]}} | spec.transport.peers[0] | is the virtual address spec.addresses[0]
          CLUSTER | {addresses: [192.0.2.1, 2001:db8::1], transport: {peers: [192.0.2.2, 2001:db8::1]}} | spec.transport.peers[1] | is the virtual address spec.addresses[1]
          CLUSTER | {addresses: [255.255.255.255]} | spec.addresses[0] | limited broadcast address
          CLUSTER | {addresses: [192.0.2.0/24]} | spec.addresses[0] | 192.0.2.0/24 is the network address of its subnet
          CLUSTER | {addresses: [192.0.2.255/24]} | spec.addresses[0] | 192.0.2.255/24 is the broadcast address of its subnet
          CLUSTER | {addresses: [198.51.100.64/26]} | spec.addresses[0] | network address of its subnet
          CLUSTER | {addresses: [198.51.100.127/26]} | spec.addresses[0] | broadcast address of its subnet
          CLUSTER | {addresses: [2001:db8::/64]} | spec.addresses[0] | Subnet-Router anycast address
          CLUSTER | {addresses: [2001:db8:0:1::/64]} | spec.addresses[0] | Subnet-Router anycast address
          CLUSTER | {addresses: [192.0.2.1], transport: {mode: Multicast, peers: [192.0.2.2]}} | spec.transport.peers | only used with mode Unicast
          STANDALONE | {addresses: [192.0.2.1], virtualRouterId: 1} | spec.transport.peers | required with mode Unicast in a standalone file
          CLUSTER | {addresses: [192.0.2.1], nodeSelector: {matchLabel: {a: b}}} | spec.nodeSelector.matchLabel | unknown field
          CLUSTER | {addresses: [192.0.2.1], nodeSelector: {matchExpressions: [{key: a, operator: Is, values: [b]}]}} | spec.nodeSelector.matchExpressions[0].operator | must be In, NotIn, Exists or DoesNotExist
          CLUSTER | {addresses: [192.0.2.1], nodeSelector: {matchExpressions: [{key: a, operator: In}]}} | spec.nodeSelector.matchExpressions[0].values | required with operator In
          CLUSTER | {addresses: [192.0.2.1], nodeSelector: {matchExpressions: [{key: a, operator: Exists, values: [x]}]}} | spec.nodeSelector.matchExpressions[0].values | must be empty with operator Exists
          CLUSTER | {addresses: [192.0.2.1], nodeSelector: {matchLabels: {"bad key!": x}}} | spec.nodeSelector.matchLabels["bad key!"] | is not a label key
          CLUSTER | {addresses: [192.0.2.1], tolerations: [{key: a, operator: Exists, effect: NoRun}]} | spec.tolerations[0].effect | must be NoSchedule, PreferNoSchedule or NoExecute
          CLUSTER | {addresses: [192.0.2.1], tolerations: [{key: a, operator: Exists, value: b}]} | spec.tolerations[0].value | must be empty with operator Exists
          STANDALONE | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, nodeSelector: {}} | spec.nodeSelector | not used in a standalone file
          STANDALONE | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, tolerations: []} | spec.tolerations | not used in a standalone file
          CLUSTER | {addresses: [192.0.2.1], priority: {default: 255}} | spec.priority.default | must be 1..254, was 255
          CLUSTER | {addresses: [192.0.2.1], priority: {default: 0}} | spec.priority.default | must be 1..254, was 0
          CLUSTER | {addresses: [192.0.2.1], priority: {nodes: {node-a: 255}}} | spec.priority.nodes.node-a | must be 1..254, was 255
          CLUSTER | {addresses: [192.0.2.1], priority: {nodes: {a.example.com: 0}}} | spec.priority.nodes["a.example.com"] | must be 1..254, was 0
          CLUSTER | {addresses: [192.0.2.1], priority: {nodes: {node-a: null}}} | spec.priority.nodes.node-a | required
          CLUSTER | {addresses: [192.0.2.1], priority: {order: [a, b, a]}} | spec.priority.order[2] | duplicate node "a"
          CLUSTER | {addresses: [192.0.2.1], priority: {order: [a, ""]}} | spec.priority.order[1] | required
          CLUSTER | {addresses: [192.0.2.1], priority: {default: 252, order: [a, b, c]}} | spec.priority.order | 3 nodes need distinct priorities above default 252 but only 2 are free
          CLUSTER | {addresses: [192.0.2.1], preemptDelay: 1001s} | spec.preemptDelay | must be 0s..1000s, was 1001s
          CLUSTER | {addresses: [192.0.2.1], preempt: false, preemptDelay: 5s} | spec.preemptDelay | has no effect with preempt: false
          CLUSTER | {addresses: [192.0.2.1], authentication: {password: secret}} | spec.authentication | only with version: 2
          CLUSTER | {addresses: [192.0.2.1], version: 2, authentication: {}} | spec.authentication | set exactly one of passwordSecretRef, passwordFile, password
          CLUSTER | {addresses: [192.0.2.1], version: 2, authentication: {password: a, passwordSecretRef: {name: s, key: k}}} | spec.authentication | set exactly one of
          CLUSTER | {addresses: [192.0.2.1], version: 2, authentication: {password: 123456789}} | spec.authentication.password | at most 8 characters (VRRPv2 carries 8 bytes), was 9
          CLUSTER | {addresses: [192.0.2.1], version: 2, authentication: {password: ""}} | spec.authentication.password | must not be empty
          CLUSTER | {addresses: [192.0.2.1], version: 2, authentication: {password: "pässwd"}} | spec.authentication.password | only printable ASCII
          CLUSTER | {addresses: [192.0.2.1], version: 2, authentication: {passwordFile: /etc/floatip/pass}} | spec.authentication.passwordFile | only in a standalone file; use passwordSecretRef
          STANDALONE | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, version: 2, authentication: {passwordFile: pass}} | spec.authentication.passwordFile | must be an absolute path
          STANDALONE | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, version: 2, authentication: {passwordSecretRef: {name: s, key: k}}} | spec.authentication.passwordSecretRef | only in a cluster
          CLUSTER | {addresses: [192.0.2.1], version: 2, authentication: {passwordSecretRef: {name: s}}} | spec.authentication.passwordSecretRef.key | required
          CLUSTER | {addresses: [192.0.2.1], version: 2, authentication: {passwordSecretRef: {name: S_1, key: k}}} | spec.authentication.passwordSecretRef.name | must be a Secret name
          CLUSTER | {addresses: [192.0.2.1], track: {scripts: [{name: s, command: [x], weight: 254}]}} | spec.track.scripts[0].weight | must be -253..253, was 254
          CLUSTER | {addresses: [192.0.2.1], track: {scripts: [{name: s, command: [x], weight: -254}]}} | spec.track.scripts[0].weight | must be -253..253, was -254
          CLUSTER | {addresses: [192.0.2.1], track: {scripts: [{name: s, command: [x], fall: 0}]}} | spec.track.scripts[0].fall | must be at least 1, was 0
          CLUSTER | {addresses: [192.0.2.1], track: {scripts: [{name: s, command: [x], rise: 0}]}} | spec.track.scripts[0].rise | must be at least 1, was 0
          CLUSTER | {addresses: [192.0.2.1], track: {scripts: [{name: s, command: [x], timeout: 0s}]}} | spec.track.scripts[0].timeout | must be at least 1ms, was 0s
          CLUSTER | {addresses: [192.0.2.1], track: {scripts: [{name: s, command: [x], interval: 1ms}]}} | spec.track.scripts[0].interval | must be at least 10ms, was 1ms
          CLUSTER | {addresses: [192.0.2.1], track: {scripts: [{name: s, command: []}]}} | spec.track.scripts[0].command | must name a program
          CLUSTER | {addresses: [192.0.2.1], track: {scripts: [{name: s}]}} | spec.track.scripts[0].command | required
          CLUSTER | {addresses: [192.0.2.1], track: {scripts: [{command: [x]}]}} | spec.track.scripts[0].name | required
          CLUSTER | {addresses: [192.0.2.1], track: {scripts: [{name: s, command: [x]}, {name: s, command: [y]}]}} | spec.track.scripts[1].name | duplicate script name "s"
          CLUSTER | {addresses: [192.0.2.1], track: {scripts: [{name: s, command: [x], user: "a b"}]}} | spec.track.scripts[0].user | must be user or user:group
          CLUSTER | {addresses: [192.0.2.1], track: {scripts: [null]}} | spec.track.scripts[0] | required
          CLUSTER | {addresses: [192.0.2.1], track: {files: [{path: /a, weight: 255}]}} | spec.track.files[0].weight | must be -254..254, was 255
          CLUSTER | {addresses: [192.0.2.1], track: {files: [{path: a}]}} | spec.track.files[0].path | must be an absolute path
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "a/b"}]}} | spec.track.files[1].path | must be an absolute path
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "./a"}]}} | spec.track.files[1].path | must be an absolute path
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/etc/keepalived/../shadow"}]}} | spec.track.files[1].path | must not contain .. segments
          STANDALONE | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/var/run/app/../../../etc/shadow"}]}} | spec.track.files[1].path | must not contain .. segments
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/proc/1/environ"}]}} | spec.track.files[1].path | must not be under /proc (a system path)
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/sys/class/net/eth0/carrier"}]}} | spec.track.files[1].path | must not be under /sys (a system path)
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/dev/sda"}]}} | spec.track.files[1].path | must not be under /dev (a system path)
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/boot/vmlinuz"}]}} | spec.track.files[1].path | must not be under /boot (a system path)
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/root/.ssh/id_rsa"}]}} | spec.track.files[1].path | must not be under /root (a system path)
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/etc/shadow"}]}} | spec.track.files[1].path | must not be under /etc (a system path)
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/var/lib/kubelet/pods/x/volumes/token"}]}} | spec.track.files[1].path | must not be under /var/lib/kubelet (a system path)
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/var/lib/etcd/member/snap/db"}]}} | spec.track.files[1].path | must not be under /var/lib/etcd (a system path)
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/var/lib/containerd/x"}]}} | spec.track.files[1].path | must not be under /var/lib/containerd (a system path)
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/var/lib/docker/x"}]}} | spec.track.files[1].path | must not be under /var/lib/docker (a system path)
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/run/secrets/kubernetes.io/serviceaccount/token"}]}} | spec.track.files[1].path | must not be under /run/secrets (a system path)
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/var/run/secrets/kubernetes.io/serviceaccount/token"}]}} | spec.track.files[1].path | must not be under /var/run/secrets (a system path)
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/run/containerd/containerd.sock"}]}} | spec.track.files[1].path | must not be under /run/containerd (a system path)
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/var/run/containerd/containerd.sock"}]}} | spec.track.files[1].path | must not be under /var/run/containerd (a system path)
          STANDALONE | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/proc"}]}} | spec.track.files[1].path | must not be under /proc (a system path)
          STANDALONE | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/etc/hosts"}]}} | spec.track.files[1].path | must not be under /etc (a system path); use /etc/keepalived or /etc/floatip
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "//etc//shadow"}]}} | spec.track.files[1].path | must not be under /etc (a system path)
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/etc/./shadow"}]}} | spec.track.files[1].path | must not be under /etc (a system path)
          CLUSTER | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {files: [{path: "/ok"}, {path: "/etc/keepalived"}]}} | spec.track.files[1].path | must not be under /etc (a system path)
          CLUSTER | {addresses: [192.0.2.1], track: {files: [{path: /a}, {path: /a}]}} | spec.track.files[1].path | duplicate file path "/a"
          CLUSTER | {addresses: [192.0.2.1], track: {processes: [{name: p, weight: -255}]}} | spec.track.processes[0].weight | must be -254..254, was -255
          CLUSTER | {addresses: [192.0.2.1], track: {processes: [{name: p, quorum: 0}]}} | spec.track.processes[0].quorum | must be at least 1, was 0
          CLUSTER | {addresses: [192.0.2.1], track: {processes: [{name: a-very-long-name}]}} | spec.track.processes[0].name | has at most 15 characters
          CLUSTER | {addresses: [192.0.2.1], track: {interfaces: [{name: eth1, weight: 254}]}} | spec.track.interfaces[0].weight | must be -253..253, was 254
          CLUSTER | {addresses: [192.0.2.1], track: {interfaces: [{name: "eth 1"}]}} | spec.track.interfaces[0].name | must be an interface name
          CLUSTER | {addresses: [192.0.2.1], track: {pods: [{namespace: dns, selector: {}, minReady: 0}]}} | spec.track.pods[0].minReady | must be at least 1, was 0
          CLUSTER | {addresses: [192.0.2.1], track: {pods: [{namespace: dns}]}} | spec.track.pods[0].selector | required
          CLUSTER | {addresses: [192.0.2.1], track: {pods: [{namespace: DNS, selector: {}}]}} | spec.track.pods[0].namespace | must be a namespace name
          STANDALONE | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, track: {pods: [{namespace: dns, selector: {}}]}} | spec.track.pods[0] | pods are only tracked in a cluster
          CLUSTER | {addresses: [192.0.2.1], track: {tcp: [{name: t, address: "dns.example.org:53"}]}} | spec.track.tcp[0].address | must be ip:port or [ipv6]:port
          CLUSTER | {addresses: [192.0.2.1], track: {tcp: [{name: t, address: "127.0.0.1:70000"}]}} | spec.track.tcp[0].address | port must be 1..65535
          CLUSTER | {addresses: [192.0.2.1], track: {tcp: [{name: t, address: "127.0.0.1:53", fall: 0}]}} | spec.track.tcp[0].fall | must be at least 1
          CLUSTER | {addresses: [192.0.2.1], track: {http: [{name: h, url: "ftp://x/"}]}} | spec.track.http[0].url | must be an http:// or https:// URL
          CLUSTER | {addresses: [192.0.2.1], track: {http: [{name: h, url: "http://x/", expectedStatus: 600}]}} | spec.track.http[0].expectedStatus | must be 100..599, was 600
          CLUSTER | {addresses: [192.0.2.1], track: {http: [{name: h, url: "http://x/", weight: 300}]}} | spec.track.http[0].weight | must be -253..253
          CLUSTER | {addresses: [192.0.2.1], notify: {command: []}} | spec.notify.command | must name a program
          CLUSTER | {addresses: [192.0.2.1], notify: {master: [""]}} | spec.notify.master[0] | the program must not be empty
          CLUSTER | {addresses: [192.0.2.1], notify: {timeout: 0s}} | spec.notify.timeout | must be at least 1ms
          CLUSTER | {addresses: [192.0.2.1], notify: {mail: {smtpServer: "smtp:99999", from: a@b, to: [c@d]}}} | spec.notify.mail.smtpServer | must be host or host:port
          CLUSTER | {addresses: [192.0.2.1], notify: {mail: {smtpServer: smtp, from: a@b}}} | spec.notify.mail.to | at least one recipient
          CLUSTER | {addresses: [192.0.2.1], notify: {mail: {smtpServer: smtp, from: a@b, to: [nobody]}}} | spec.notify.mail.to[0] | must be a mail address
          CLUSTER | {addresses: [192.0.2.1], notify: {command: [x], user: "root:wheel:x"}} | spec.notify.user | must be user or user:group
          STANDALONE | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, notify: {mail: {smtpServer: smtp, from: a@b, to: [c@d], tls: StartTLS, auth: {username: u, passwordSecretRef: {name: s, key: k}}}}} | spec.notify.mail.auth.passwordSecretRef | only in a cluster; use passwordFile
          STANDALONE | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, notify: {mail: {smtpServer: smtp, from: a@b, to: [c@d], tls: StartTLS, auth: {username: u, passwordFile: smtp.pass}}}} | spec.notify.mail.auth.passwordFile | must be an absolute path
          STANDALONE | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, notify: {mail: {smtpServer: smtp, from: a@b, to: [c@d], auth: {username: u, passwordFile: /etc/floatip/smtp}}}} | spec.notify.mail.auth | AUTH would send the password in clear text
          STANDALONE | {addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast}, notify: {mail: {smtpServer: smtp, from: a@b, to: [c@d], tls: Implicit, caFile: ca.pem}}} | spec.notify.mail.caFile | must be an absolute path
          CLUSTER | {addresses: [192.0.2.1], notify: {mail: {smtpServer: smtp, from: a@b, to: [c@d], tls: StartTLS, auth: {username: u, passwordSecretRef: {name: S_1, key: k}}}}} | spec.notify.mail.auth.passwordSecretRef.name | must be a Secret name
          CLUSTER | {addresses: [192.0.2.1], notify: {webhook: {url: "not a url"}}} | spec.notify.webhook.url | not a URL
          CLUSTER | {addresses: [192.0.2.1], gratuitousArp: {repeat: 0}} | spec.gratuitousArp.repeat | must be 1..100, was 0
          CLUSTER | {addresses: [192.0.2.1], gratuitousArp: {repeat: 101}} | spec.gratuitousArp.repeat | must be 1..100, was 101
          CLUSTER | {addresses: [192.0.2.1], gratuitousArp: {delay: soon}} | spec.gratuitousArp.delay | is not a duration
          CLUSTER | {addresses: [192.0.2.1], syncGroup: "a group"} | spec.syncGroup | must be 1..63 letters
          """)
  void reportsTheFieldAndTheProblem(Mode mode, String spec, String path, String message) {
    assertViolation(TestVips.withSpec(spec), mode, path, message);
  }

  @Test
  void lengthLimitsMatchTheCrd() {
    String longName = "n".repeat(254);
    assertViolation(
        TestVips.withSpec("{addresses: [192.0.2.1], priority: {order: [" + longName + "]}}"),
        Mode.CLUSTER,
        "spec.priority.order[0]",
        "at most 253 characters");
    assertViolation(
        TestVips.withSpec("{addresses: [192.0.2.1], priority: {nodes: {" + longName + ": 5}}}"),
        Mode.CLUSTER,
        "spec.priority.nodes." + longName,
        "at most 253 characters");
    assertViolation(
        TestVips.withSpec(
            "{addresses: [192.0.2.1], version: 2, authentication: {passwordSecretRef:"
                + " {name: s, key: k, namespace: "
                + "a".repeat(64)
                + "}}}"),
        Mode.CLUSTER,
        "spec.authentication.passwordSecretRef.namespace",
        "must be a namespace name");
    assertViolation(
        TestVips.withSpec("{addresses: [192.0.2.1], preemptDelay: " + "0".repeat(32) + "1s}"),
        Mode.CLUSTER,
        "spec.preemptDelay",
        "is not a duration");
  }

  @Test
  void longerThanEightCharactersIsAnErrorNotATruncation() {
    assertTrue(VirtualIPValidator.passwordProblem("12345678").isEmpty());
    assertTrue(VirtualIPValidator.passwordProblem("123456789").isPresent());
  }

  /** Host addresses at a subnet's edges that are a host's: /31 and /127 links, host routes. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "192.0.2.0/31",
        "192.0.2.1/31",
        "192.0.2.0/32",
        "192.0.2.255/32",
        "192.0.2.254/24",
        "192.0.2.1/24",
        "2001:db8::/127",
        "2001:db8::/128",
        "2001:db8::ffff/64"
      })
  void edgeAddressesThatAreAHostsAreValid(String address) {
    String spec = "{addresses: [\"" + address + "\"]}";
    assertEquals(List.of(), VirtualIPValidator.validate(TestVips.withSpec(spec), Mode.CLUSTER));
  }

  /** Track files where keepalived users keep them, and paths that only look like system ones. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "/etc/keepalived/prio",
        "/etc/floatip/state",
        "/var/run/app/vrrp",
        "/run/app/state",
        "/tmp/vrrp",
        "/srv/flags/x",
        "/etcetera/x",
        "/var/lib/kubelet-flags/x",
        "/devices/x",
        "/var/lib/app/state"
      })
  void trackFilesOutsideSystemPathsAreValidInBothModes(String path) {
    String spec =
        "{addresses: [192.0.2.1], virtualRouterId: 1, transport: {mode: Multicast},"
            + " track: {files: [{path: \""
            + path
            + "\"}]}}";
    for (Mode mode : Mode.values()) {
      assertEquals(List.of(), VirtualIPValidator.validate(TestVips.withSpec(spec), mode), path);
    }
  }

  static void assertViolation(VirtualIP vip, Mode mode, String path, String message) {
    List<Violation> all = VirtualIPValidator.validate(vip, mode);
    assertTrue(
        all.stream().anyMatch(v -> v.path().equals(path) && v.message().contains(message)),
        () -> "expected " + path + ": ..." + message + "... in " + all);
  }
}
