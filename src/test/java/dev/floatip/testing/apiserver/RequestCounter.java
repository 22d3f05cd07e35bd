package dev.floatip.testing.apiserver;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests the test API server answered, by caller, verb and resource (kube-apiserver's
 * {@code apiserver_request_total} has the same dimensions), and the status entries each agent wrote
 * ({@code status.nodes.<node>} keys of accepted VirtualIP status patches) and the writes of each
 * named object: what a scale benchmark compares across windows. Snapshots are immutable maps;
 * subtract two for a window.
 */
public final class RequestCounter {

  /**
   * One counted kind of request.
   *
   * @param user the authenticated user name (e.g. {@code
   *     system:serviceaccount:floatip:floatip-agent})
   * @param verb the RBAC verb (get, list, watch, create, update, patch, delete, …)
   * @param resource {@code resource} or {@code resource/subresource}; the path for a non-resource
   *     request
   * @param code the HTTP status of the answer (101 or 200 for an opened watch)
   */
  public record Key(String user, String verb, String resource, int code) {

    /** create, update, patch, delete and deletecollection: what changes stored objects. */
    public boolean write() {
      return switch (verb) {
        case "create", "update", "patch", "delete", "deletecollection" -> true;
        default -> false;
      };
    }

    /** Accepted (2xx, or a watch upgraded to a WebSocket). */
    public boolean accepted() {
      return code / 100 == 2 || code == 101;
    }
  }

  private final Map<Key, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> entryWrites = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> objectWrites = new ConcurrentHashMap<>();

  void record(UserInfo user, RequestInfo info, int code) {
    String resource = info.resourceRequest() ? info.combinedResource() : info.path();
    Key key = new Key(user.name(), info.verb(), resource, code);
    requests.computeIfAbsent(key, k -> new LongAdder()).increment();
    if (key.write() && key.accepted() && info.name() != null && !info.name().isEmpty()) {
      objectWrites
          .computeIfAbsent(user.name() + " " + resource + "/" + info.name(), k -> new LongAdder())
          .increment();
    }
  }

  void entryWritten(String vip, String node) {
    entryWrites.computeIfAbsent(vip + "/" + node, k -> new LongAdder()).increment();
  }

  /** Every request counted since the start, by kind. */
  public Map<Key, Long> requests() {
    Map<Key, Long> out = new TreeMap<>(ORDER);
    requests.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /**
   * Accepted status patches of the VirtualIPs, by {@code VIRTUALIP/NODE}: each {@code
   * status.nodes.NODE} key a patch wrote.
   */
  public Map<String, Long> entryWrites() {
    return sums(entryWrites);
  }

  /** Accepted writes of named objects, by {@code USER RESOURCE[/SUBRESOURCE]/NAME}. */
  public Map<String, Long> objectWrites() {
    return sums(objectWrites);
  }

  private static Map<String, Long> sums(Map<String, LongAdder> counts) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  private static final java.util.Comparator<Key> ORDER =
      java.util.Comparator.comparing(Key::user)
          .thenComparing(Key::resource)
          .thenComparing(Key::verb)
          .thenComparingInt(Key::code);

  /** {@code after - before}, entries that did not change left out. */
  public static <K> Map<K, Long> delta(Map<K, Long> before, Map<K, Long> after) {
    Map<K, Long> out = new java.util.LinkedHashMap<>();
    after.forEach(
        (k, v) -> {
          long d = v - before.getOrDefault(k, 0L);
          if (d != 0) {
            out.put(k, d);
          }
        });
    return out;
  }
}
