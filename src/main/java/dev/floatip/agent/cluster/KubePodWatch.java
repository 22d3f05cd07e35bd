package dev.floatip.agent.cluster;

import dev.floatip.config.LabelSelectors;
import dev.floatip.tracking.PodCount;
import dev.floatip.tracking.PodWatch;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The {@link PodWatch} over the Kubernetes API: one pod informer for the whole agent, restricted to
 * this node by the field selector {@code spec.nodeName=<node>} (the kubelet's own filter, so a node
 * lists only its own pods), shared by every pod check.
 *
 * <p>Informer events only enqueue; one {@code pod-watch} thread counts, for each subscription in
 * the event's namespace, the matching pods in the informer's cache and calls the listener when the
 * count changed. Nothing is delivered before the initial list. When the API server is unreachable
 * the informer keeps its cache and retries (also when the very first list fails); on reconnect it
 * re-lists, and the differences arrive as ordinary events.
 *
 * <p>Use: {@code new KubePodWatch(client, node)}, pass it to {@code Tracking.create}, {@link
 * #start()}, and {@link #close()} after closing the {@code Tracking}. Subscriptions made before
 * {@link #start()} get their first count after the initial list.
 */
public final class KubePodWatch implements PodWatch, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(KubePodWatch.class);

  private final String node;
  private final SharedIndexInformer<Pod> informer;
  private final ExecutorService counting =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("pod-watch").factory());
  private final Set<Sub> subscriptions = ConcurrentHashMap.newKeySet();

  /** Set on the counting thread once the initial list is in the cache. */
  private boolean synced;

  private volatile boolean closed;

  /**
   * @param client the agent's client (needs list and watch on pods in all namespaces)
   * @param node this node's name ({@code spec.nodeName} of the pods to count)
   */
  public KubePodWatch(KubernetesClient client, String node) {
    this(client, node, true);
  }

  /**
   * @param byField whether the server filters by node; {@code false} only for Fabric8's mock
   *     server, which supports no field selector but {@code metadata.name} and {@code
   *     metadata.namespace} (it answers every other one with an empty list). Pods of other nodes
   *     are dropped here either way.
   */
  KubePodWatch(KubernetesClient client, String node, boolean byField) {
    this.node = Objects.requireNonNull(node, "node");
    var pods = client.pods().inAnyNamespace();
    this.informer = (byField ? pods.withField("spec.nodeName", node) : pods).runnableInformer(0);
    informer.itemStore(new TrimmedStore<>(CacheTrim::pod));
    informer.addEventHandler(
        new ResourceEventHandler<Pod>() {
          @Override
          public void onAdd(Pod pod) {
            changed(pod);
          }

          @Override
          public void onUpdate(Pod before, Pod after) {
            changed(after);
          }

          @Override
          public void onDelete(Pod pod, boolean finalStateUnknown) {
            changed(pod);
          }
        });
    // Retry every failure, the first list included: an API server that is down when the agent
    // starts must not end pod tracking for good (the default gives up before the first sync).
    informer.exceptionHandler(
        (started, failure) -> {
          LOG.warnf("pod watch of node %s: %s; retrying", node, failure.toString());
          return true;
        });
  }

  /** Starts the informer; returns at once (the first counts come after the initial list). */
  public void start() {
    informer
        .start()
        .whenComplete(
            (ok, failure) -> {
              if (failure != null && !closed) {
                LOG.errorf(failure, "pod watch of node %s did not start", node);
              } else if (failure == null) {
                run(this::initialList);
              }
            });
  }

  @Override
  public Subscription subscribe(
      String namespace, LabelSelector selector, Consumer<PodCount> listener) {
    Sub sub = new Sub(namespace, selector, listener);
    subscriptions.add(sub);
    run(() -> count(sub));
    return sub;
  }

  /** Stops the informer and the counting thread; listeners are not called any more. */
  @Override
  public void close() {
    closed = true;
    subscriptions.clear();
    try {
      informer.close();
    } finally {
      counting.shutdownNow();
    }
  }

  /**
   * Ready: phase Running, condition {@code Ready=True}, and not terminating (a pod being deleted
   * may still report Ready while it shuts down).
   */
  static boolean ready(Pod pod) {
    if (pod.getMetadata() == null || pod.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
      return false;
    }
    List<PodCondition> conditions = pod.getStatus().getConditions();
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Called on the informer's thread: only enqueues, never throws. */
  private void changed(Pod pod) {
    String namespace =
        pod == null || pod.getMetadata() == null ? null : pod.getMetadata().getNamespace();
    run(
        () -> {
          for (Sub sub : subscriptions) {
            if (namespace == null || sub.namespace.equals(namespace)) {
              count(sub);
            }
          }
        });
  }

  private void initialList() {
    synced = true;
    subscriptions.forEach(this::count);
  }

  /** On the counting thread. */
  private void count(Sub sub) {
    if (!synced || sub.closed) {
      return;
    }
    int ready = 0;
    int total = 0;
    for (Pod pod : informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, sub.namespace)) {
      // The field selector already limits the list to this node; checked again for safety.
      if (pod.getSpec() == null
          || !node.equals(pod.getSpec().getNodeName())
          || !LabelSelectors.matches(sub.selector, pod.getMetadata().getLabels())) {
        continue;
      }
      total++;
      if (ready(pod)) {
        ready++;
      }
    }
    PodCount now = new PodCount(ready, total);
    if (now.equals(sub.last)) {
      return;
    }
    sub.last = now;
    try {
      sub.listener.accept(now);
    } catch (RuntimeException e) {
      LOG.warnf(e, "pod check listener for %s failed", sub.namespace);
    }
  }

  private void run(Runnable task) {
    try {
      counting.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.warnf(e, "pod watch of node %s: counting failed", node);
            }
          });
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  /** One subscription; {@link #last} is only touched on the counting thread. */
  private final class Sub implements Subscription {
    final String namespace;
    final LabelSelector selector;
    final Consumer<PodCount> listener;
    volatile boolean closed;
    PodCount last;

    Sub(String namespace, LabelSelector selector, Consumer<PodCount> listener) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      this.selector = selector;
      this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void close() {
      closed = true;
      subscriptions.remove(this);
    }
  }
}
