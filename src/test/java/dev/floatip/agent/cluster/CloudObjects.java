package dev.floatip.agent.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * JSON of objects shaped like a managed cloud cluster's (GKE/EKS-like): a Node with its container
 * images, managedFields of the kubelet and the node controllers, cloud labels and conditions; a
 * VirtualIP with an entry per candidate in status and the managedFields of its writers. For the
 * trim tests and the heap measurement ({@link CacheHeap}).
 */
final class CloudObjects {

  private CloudObjects() {}

  static String node(int i) {
    String name = String.format(Locale.ROOT, "gke-prod-pool-%04d", i);
    StringBuilder images = new StringBuilder();
    for (int k = 0; k < 45; k++) {
      if (k > 0) {
        images.append(',');
      }
      images.append(
          String.format(
              Locale.ROOT,
              "{\"names\":[\"registry.example.com/team-%02d/service-%02d@sha256:%064x\","
                  + "\"registry.example.com/team-%02d/service-%02d:v1.%d.%d\"],\"sizeBytes\":%d}",
              k % 7,
              k,
              (long) k * 7919 + i,
              k % 7,
              k,
              k,
              i % 10,
              100_000_000L + k * 12_345L));
    }
    String conditions =
        String.join(
            ",",
            List.of("MemoryPressure", "DiskPressure", "PIDPressure", "Ready").stream()
                .map(
                    t ->
                        "{\"type\":\""
                            + t
                            + "\",\"status\":\""
                            + (t.equals("Ready") ? "True" : "False")
                            + "\",\"lastHeartbeatTime\":\"2026-12-07T10:00:00Z\","
                            + "\"lastTransitionTime\":\"2026-11-01T10:00:00Z\",\"reason\":\"Kubelet"
                            + t
                            + "\",\"message\":\"kubelet has no "
                            + t.toLowerCase(Locale.ROOT)
                            + " problem on this node\"}")
                .toList());
    return """
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"%1$s","uid":"0000%2$04d-1111-2222-3333-444455556666",
        "resourceVersion":"%3$d","creationTimestamp":"2026-11-01T10:00:00Z",
        "labels":{"beta.kubernetes.io/arch":"amd64","beta.kubernetes.io/instance-type":"n2-standard-8",
        "beta.kubernetes.io/os":"linux","cloud.google.com/gke-boot-disk":"pd-balanced",
        "cloud.google.com/gke-container-runtime":"containerd","cloud.google.com/gke-nodepool":"prod-pool",
        "cloud.google.com/gke-os-distribution":"cos","cloud.google.com/machine-family":"n2",
        "failure-domain.beta.kubernetes.io/region":"europe-west1","failure-domain.beta.kubernetes.io/zone":"europe-west1-b",
        "kubernetes.io/arch":"amd64","kubernetes.io/hostname":"%1$s","kubernetes.io/os":"linux",
        "node.kubernetes.io/instance-type":"n2-standard-8","topology.kubernetes.io/region":"europe-west1",
        "topology.kubernetes.io/zone":"europe-west1-b","role":"edge"},
        "annotations":{"container.googleapis.com/instance_id":"12345678901234%2$04d",
        "csi.volume.kubernetes.io/nodeid":"{\\"pd.csi.storage.gke.io\\":\\"projects/p/zones/europe-west1-b/instances/%1$s\\"}",
        "node.alpha.kubernetes.io/ttl":"0","node.gke.io/last-applied-node-labels":"cloud.google.com/gke-boot-disk=pd-balanced,cloud.google.com/gke-container-runtime=containerd,cloud.google.com/gke-nodepool=prod-pool,cloud.google.com/gke-os-distribution=cos,cloud.google.com/machine-family=n2",
        "volumes.kubernetes.io/controller-managed-attach-detach":"true"},
        "managedFields":[%4$s]},
        "spec":{"podCIDR":"10.%5$d.%6$d.0/24","podCIDRs":["10.%5$d.%6$d.0/24"],
        "providerID":"gce://p/europe-west1-b/%1$s"},
        "status":{"addresses":[{"type":"InternalIP","address":"10.132.%5$d.%6$d"},
        {"type":"ExternalIP","address":"203.0.113.%6$d"},{"type":"Hostname","address":"%1$s"}],
        "allocatable":{"cpu":"7910m","ephemeral-storage":"47060071478","hugepages-1Gi":"0","hugepages-2Mi":"0",
        "memory":"29207908Ki","pods":"110"},"capacity":{"cpu":"8","ephemeral-storage":"98831908Ki",
        "hugepages-1Gi":"0","hugepages-2Mi":"0","memory":"32880420Ki","pods":"110"},
        "conditions":[%7$s],"daemonEndpoints":{"kubeletEndpoint":{"Port":10250}},
        "images":[%8$s],
        "nodeInfo":{"architecture":"amd64","bootID":"bbbb%2$04d-aaaa-bbbb-cccc-dddddddddddd",
        "containerRuntimeVersion":"containerd://1.7.24","kernelVersion":"6.1.112+","kubeProxyVersion":"v1.31.5-gke.1",
        "kubeletVersion":"v1.31.5-gke.1","machineID":"%2$032d","operatingSystem":"linux",
        "osImage":"Container-Optimized OS from Google","systemUUID":"uuid-%2$04d"}}}
        """
        .formatted(
            name, i, 1000 + i, managedFields(), i / 256, i % 256, conditions, images.toString());
  }

  /** The kubelet's, the node controller's and the cloud controller's managedFields entries. */
  private static String managedFields() {
    List<String> entries = new ArrayList<>();
    for (String manager :
        List.of("kubelet", "kube-controller-manager", "cloud-controller-manager")) {
      StringBuilder fields = new StringBuilder("{\"f:metadata\":{\"f:annotations\":{");
      for (int k = 0; k < 6; k++) {
        fields.append(k == 0 ? "" : ",").append("\"f:annotation-").append(k).append("\":{}");
      }
      fields.append("},\"f:labels\":{");
      for (int k = 0; k < 16; k++) {
        fields.append(k == 0 ? "" : ",").append("\"f:label-").append(k).append("\":{}");
      }
      fields.append("}},\"f:status\":{\"f:conditions\":{");
      for (String t : List.of("MemoryPressure", "DiskPressure", "PIDPressure", "Ready")) {
        fields
            .append(t.equals("MemoryPressure") ? "" : ",")
            .append("\"k:{\\\"type\\\":\\\"")
            .append(t)
            .append(
                "\\\"}\":{\".\":{},\"f:lastHeartbeatTime\":{},\"f:lastTransitionTime\":{},"
                    + "\"f:message\":{},\"f:reason\":{},\"f:status\":{},\"f:type\":{}}");
      }
      fields.append("},\"f:images\":{},\"f:nodeInfo\":{\"f:bootID\":{}}}}");
      entries.add(
          "{\"manager\":\""
              + manager
              + "\",\"operation\":\"Update\",\"apiVersion\":\"v1\",\"time\":\"2026-12-07T10:00:00Z\","
              + "\"fieldsType\":\"FieldsV1\",\"fieldsV1\":"
              + fields
              + ",\"subresource\":\"status\"}");
    }
    return String.join(",", entries);
  }

  /**
   * A VirtualIP with {@code candidates} candidate nodes (node indexes {@code first..}), each
   * reporting an entry with one check, and the managedFields its writers leave.
   */
  static String vip(int i, int first, int candidates) {
    StringBuilder cands = new StringBuilder();
    StringBuilder nodes = new StringBuilder();
    for (int k = 0; k < candidates; k++) {
      int n = first + k;
      String name = String.format(Locale.ROOT, "gke-prod-pool-%04d", n);
      String ip = "10.132." + n / 256 + "." + n % 256;
      cands
          .append(k == 0 ? "" : ",")
          .append("{\"name\":\"%s\",\"addresses\":[\"%s\"]}".formatted(name, ip));
      nodes
          .append(k == 0 ? "" : ",")
          .append(
              ("\"%s\":{\"state\":\"%s\",\"priority\":%d,\"basePriority\":%d,"
                      + "\"since\":\"2026-12-07T10:00:00Z\",\"masterSince\":\"2026-12-07T09:00:00Z\","
                      + "\"reason\":\"%s\",\"checks\":[{\"kind\":\"pods\",\"name\":\"shop/app=web-%d\","
                      + "\"healthy\":true,\"effect\":-50,\"message\":\"3/3 ready (minReady 1)\"}],"
                      + "\"observedGeneration\":3,\"addresses\":[\"%s\"],\"foreignVrids\":[7,9]}")
                  .formatted(
                      name,
                      k == 0 ? "Master" : "Backup",
                      200 - k,
                      200 - k,
                      k == 0 ? "MasterDown" : "HigherPriority",
                      i,
                      ip));
    }
    String mf =
        "{\"manager\":\"kubectl-client-side-apply\",\"operation\":\"Update\",\"apiVersion\":\"floatip.dev/v1alpha1\","
            + "\"time\":\"2026-12-01T10:00:00Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:annotations\":"
            + "{\".\":{},\"f:kubectl.kubernetes.io/last-applied-configuration\":{}}},\"f:spec\":{\".\":{},"
            + "\"f:addresses\":{},\"f:advertisementInterval\":{},\"f:nodeSelector\":{\".\":{},\"f:matchLabels\":{\".\":{},"
            + "\"f:role\":{}}},\"f:priority\":{\".\":{},\"f:default\":{}}}}},"
            + "{\"manager\":\"floatip\",\"operation\":\"Update\",\"apiVersion\":\"floatip.dev/v1alpha1\","
            + "\"time\":\"2026-12-07T10:00:00Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:status\":{\"f:nodes\":{"
            + "\".\":{},\"f:a\":{\"f:state\":{},\"f:priority\":{},\"f:since\":{},\"f:checks\":{}}},\"f:master\":{},"
            + "\"f:phase\":{},\"f:candidates\":{},\"f:conditions\":{}}},\"subresource\":\"status\"}";
    String spec =
        "{\"addresses\":[\"192.0.2.%d/24\"],\"advertisementInterval\":\"1s\",\"nodeSelector\":{\"matchLabels\":{\"role\":\"edge\"}},\"priority\":{\"default\":100}}"
            .formatted(i % 250 + 1);
    return ("{\"apiVersion\":\"floatip.dev/v1alpha1\",\"kind\":\"VirtualIP\",\"metadata\":{\"name\":\"vip-%04d\","
            + "\"uid\":\"vvvv%04d-1111-2222-3333-444455556666\",\"resourceVersion\":\"%d\",\"generation\":3,"
            + "\"creationTimestamp\":\"2026-12-01T10:00:00Z\",\"finalizers\":[\"floatip.dev/release\"],"
            + "\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":%s},\"managedFields\":[%s]},"
            + "\"spec\":%s,\"status\":{\"observedGeneration\":3,\"virtualRouterId\":%d,\"master\":\"%s\","
            + "\"phase\":\"Active\",\"nodesReady\":\"%d/%d\",\"nodes\":{%s},\"conditions\":[{\"type\":\"Ready\","
            + "\"status\":\"True\",\"reason\":\"MasterElected\",\"message\":\"one master\","
            + "\"lastTransitionTime\":\"2026-12-07T10:00:00Z\",\"observedGeneration\":3}],"
            + "\"addressList\":\"192.0.2.%d/24\",\"candidates\":[%s]}}")
        .formatted(
            i,
            i,
            50_000 + i,
            quote(
                "{\"apiVersion\":\"floatip.dev/v1alpha1\",\"kind\":\"VirtualIP\",\"metadata\":{\"name\":\"vip-%04d\"},\"spec\":%s}"
                    .formatted(i, spec)),
            mf,
            spec,
            i % 255 + 1,
            String.format(Locale.ROOT, "gke-prod-pool-%04d", first),
            candidates,
            candidates,
            nodes,
            i % 250 + 1,
            cands);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
