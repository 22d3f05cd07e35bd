package dev.floatip.tracking;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.function.Consumer;

/**
 * Port: the pods on this node, counted per pod check, from a watch (no polling). The agent wires an
 * adapter over the Kubernetes API in cluster mode, and {@link #NONE} in standalone mode, where pod
 * checks are shown but never counted.
 */
public interface PodWatch {

  /** No pods (standalone mode): {@link Tracking} shows pod checks as unsupported. */
  PodWatch NONE =
      (namespace, selector, listener) -> {
        throw new UnsupportedOperationException("pod tracking needs cluster mode");
      };

  /**
   * Counts the pods on this node in {@code namespace} whose labels match {@code selector}.
   *
   * <p>The listener gets the first count once the watch has its initial list (never a guess
   * before), then every change, one call at a time, in order, from the watch's thread: it must only
   * enqueue or update state under a short lock. Equal consecutive counts are not repeated. While
   * the API server is unreachable no call comes and the last count stands.
   *
   * @param selector Kubernetes label selector (matchLabels and matchExpressions); {@code null} or
   *     empty selects every pod of the namespace
   * @return closing it stops the calls (a call already running may finish)
   */
  Subscription subscribe(String namespace, LabelSelector selector, Consumer<PodCount> listener);

  /** Stops one subscription's calls. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
