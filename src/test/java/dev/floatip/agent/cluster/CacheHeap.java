package dev.floatip.agent.cluster;

import dev.floatip.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.management.ManagementFactory;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * Measures the heap the agent's informer caches retain: cloud-shaped Nodes and VirtualIPs ({@link
 * CloudObjects}) parsed by Fabric8's serialization, as the informers do, into the stores the agent
 * uses before (every object in full) and after trimming ({@link CacheTrim}). Run it in a JVM of its
 * own per case: {@code java -cp ... dev.floatip.agent.cluster.CacheHeap full|trimmed NODES VIPS
 * CANDIDATES}. "trimmed" keeps the NODES Nodes trimmed; the agent itself keeps only its own.
 */
final class CacheHeap {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  public static void main(String[] args) {
    boolean trimmed = args[0].equals("trimmed");
    int nodes = Integer.parseInt(args[1]);
    int vips = Integer.parseInt(args[2]);
    int candidates = Integer.parseInt(args[3]);
    String me = "gke-prod-pool-0000";
    // warm up the serializer's caches outside the measurement
    JSON.unmarshal(CloudObjects.node(0), Node.class);
    JSON.unmarshal(CloudObjects.vip(0, 0, candidates), VirtualIP.class);
    long base = used();
    ItemStore<Node> nodeStore =
        fill(nodes, i -> CloudObjects.node(i), Node.class, trimmed ? CacheTrim::node : null);
    long afterNodes = used();
    ItemStore<VirtualIP> vipStore =
        fill(
            vips,
            i -> CloudObjects.vip(i, (i * 7) % Math.max(1, nodes - candidates), candidates),
            VirtualIP.class,
            trimmed ? v -> CacheTrim.vip(v, me) : null);
    long afterVips = used();
    System.out.printf(
        "%s: %d Nodes %d KiB (%.1f KiB each), %d VirtualIPs with %d candidates %d KiB (%.1f KiB"
            + " each), total %d KiB%n",
        args[0],
        nodeStore.size(),
        (afterNodes - base) / 1024,
        nodes == 0 ? 0.0 : (afterNodes - base) / 1024.0 / nodes,
        vipStore.size(),
        candidates,
        (afterVips - afterNodes) / 1024,
        vips == 0 ? 0.0 : (afterVips - afterNodes) / 1024.0 / vips,
        (afterVips - base) / 1024);
  }

  private static <T extends HasMetadata> ItemStore<T> fill(
      int n, IntFunction<String> json, Class<T> type, UnaryOperator<T> trim) {
    ItemStore<T> store =
        trim == null ? new BasicItemStore<>(Cache::metaNamespaceKeyFunc) : new TrimmedStore<>(trim);
    for (int i = 0; i < n; i++) {
      T obj = JSON.unmarshal(json.apply(i), type);
      store.put(store.getKey(obj), obj);
    }
    return store;
  }

  /** Heap in use after full collections (the retained size, as far as the JVM tells). */
  private static long used() {
    var memory = ManagementFactory.getMemoryMXBean();
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      long now = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(last - now) < 64 * 1024) {
        return now;
      }
      last = now;
    }
    return last;
  }
}
