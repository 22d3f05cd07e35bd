package dev.floatip.agent.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floatip.agent.RouterStatus;
import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.notify.Backoff;
import dev.floatip.tracking.Effective;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Writes this node's entry in each VirtualIP's {@code status.nodes}: one JSON merge patch of its
 * own key on the status subresource, without resourceVersion, so agents and the operator never
 * overwrite each other (DESIGN §4; research/status-writes.md §7a). Writes run on their own thread:
 * the event loop never waits on the API.
 *
 * <p>Coalesced: a state change asks for a flush, and flushes run at most every {@link
 * #MIN_INTERVAL}, each writing every entry that changed since it was last written, once. A periodic
 * flush picks up check results. When the API fails, the entries stay pending and are retried with
 * backoff; when it returns, status catches up with the current state (never a queue of old ones).
 *
 * <p>Each entry of a VirtualIP that selects this node also carries {@code foreignVrids}, the VRIDs
 * this node hears that belong to no VirtualIP ({@link #foreignVrids}), so that the operator can
 * allocate around them without the agent writing Node objects. They change an entry like any other
 * field: written when the set changes, never at steady state.
 */
final class StatusReporter implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(StatusReporter.class);

  /** At most four flushes a second: a flapping VirtualIP costs at most four writes a second. */
  static final Duration MIN_INTERVAL = Duration.ofMillis(250);

  private static final Duration PERIOD = Duration.ofSeconds(1);

  /** Plain Jackson writes null map values (the Kubernetes serializer leaves them out). */
  private static final ObjectMapper WITH_NULLS = new ObjectMapper();

  /** Failed writes are retried 1 s, 2 s, 4 s … at most 30 s apart, for as long as the API fails. */
  static final Backoff RETRY = Backoff.unlimited(Duration.ofSeconds(1), Duration.ofSeconds(30));

  private static final Duration ROUTER_STATUS_TIMEOUT = Duration.ofSeconds(2);

  /** Where the reporter reads this node's state from. */
  interface Source {
    CompletableFuture<List<RouterStatus>> routers();

    Optional<Effective> checks(String vip);
  }

  /** What this node reports for one VirtualIP. */
  sealed interface Desired permits Running, NotRunning, Stopped {
    long generation();

    /** When this report began; null when the routers' own times are reported. */
    Instant since();

    /** The same report begun at {@code at}. */
    Desired since(Instant at);
  }

  record Running(long generation, int basePriority) implements Desired {
    @Override
    public Instant since() {
      return null;
    }

    @Override
    public Desired since(Instant at) {
      return this;
    }
  }

  record NotRunning(long generation, String reason, Instant since) implements Desired {
    @Override
    public Desired since(Instant at) {
      return new NotRunning(generation, reason, at);
    }
  }

  record Stopped(long generation, String reason, Instant since) implements Desired {
    @Override
    public Desired since(Instant at) {
      return new Stopped(generation, reason, at);
    }
  }

  private final KubernetesClient client;
  private final String nodeName;
  private final Source source;
  private final InstantSource clock;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("status-writer").factory());

  // guarded by this
  private final Map<String, Desired> desired = new LinkedHashMap<>();
  private final Map<String, Instant> masterSince = new HashMap<>();
  private List<Integer> foreignVrids;
  private boolean flushPending;

  // flush thread only
  private final Map<String, NodeStatus> written = new HashMap<>();
  private Instant lastFlush = Instant.MIN;
  private Instant retryAt = Instant.MIN;
  private int failedFlushes; // in a row: the attempt number for RETRY
  private long writes;

  StatusReporter(KubernetesClient client, String nodeName, Source source, InstantSource clock) {
    this.client = client;
    this.nodeName = nodeName;
    this.source = source;
    this.clock = clock;
  }

  void start() {
    thread.scheduleWithFixedDelay(
        this::flushSafely, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sets what this node reports for {@code vip}; written at the next flush if it changed. */
  synchronized void report(String vip, Desired d) {
    Desired old = desired.get(vip);
    if (old != null && old.equals(d.since(old.since()))) {
      return; // the same report again: its time stays that of the first (no write per plan)
    }
    desired.put(vip, d);
    requestFlush();
  }

  /**
   * This node has no entry in {@code vip} any more (no longer selected, or left by an earlier run):
   * its key is removed from the status by the next flush.
   */
  synchronized void remove(String vip) {
    desired.put(vip, null);
    requestFlush();
  }

  /** The VirtualIP is gone from the API: nothing to write or remove. */
  synchronized void forget(String vip) {
    desired.remove(vip);
    masterSince.remove(vip);
    thread.execute(() -> written.remove(vip));
  }

  /**
   * The VRIDs this node hears that belong to no VirtualIP (any order, duplicates allowed); every
   * entry is rewritten at the next flush when the set changed, and not otherwise.
   */
  synchronized void foreignVrids(Collection<Integer> heard) {
    List<Integer> next = NodeReport.foreignVrids(heard);
    if (Objects.equals(next, foreignVrids)) {
      return;
    }
    foreignVrids = next;
    requestFlush();
  }

  synchronized boolean reports(String vip) {
    return desired.get(vip) != null;
  }

  /** Something changed (a router's state): flush as soon as the rate limit allows. */
  synchronized void requestFlush() {
    if (flushPending || thread.isShutdown()) {
      return; // the flush already queued has not read the state yet: it sees this change too
    }
    flushPending = true;
    thread.execute(this::requestedFlush);
  }

  private void requestedFlush() {
    synchronized (this) {
      flushPending = false;
    }
    flushSafely();
  }

  /** Writes made so far (for tests and metrics). */
  long writes() {
    return CompletableFuture.supplyAsync(() -> writes, thread).join();
  }

  /**
   * Writes every pending entry now, once, ignoring the rate limit and backoff (shutdown); gives up
   * after {@code timeout}.
   */
  void flushNow(Duration timeout) {
    try {
      thread
          .submit(
              () -> {
                retryAt = Instant.MIN;
                lastFlush = Instant.MIN;
                flush();
              })
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warnf("status not written before shutdown: %s", e.toString());
    }
  }

  private void flushSafely() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.error("status flush failed", e);
    }
  }

  private void flush() {
    Instant now = clock.instant();
    if (now.isBefore(retryAt)) {
      return;
    }
    Instant allowed = lastFlush.plus(MIN_INTERVAL);
    if (now.isBefore(allowed)) {
      long wait = Duration.between(now, allowed).toMillis() + 1;
      synchronized (this) {
        if (!flushPending) {
          flushPending = true;
          thread.schedule(this::requestedFlush, wait, TimeUnit.MILLISECONDS);
        }
      }
      return;
    }
    lastFlush = now;
    Map<String, Optional<NodeStatus>> wanted = wanted();
    for (Map.Entry<String, Optional<NodeStatus>> e : wanted.entrySet()) {
      String vip = e.getKey();
      NodeStatus next = e.getValue().orElse(null);
      if (next != null && next.equals(written.get(vip))) {
        continue;
      }
      if (!write(vip, next)) {
        return; // the API is failing: retry everything later
      }
    }
    failedFlushes = 0;
  }

  /** The entry each VirtualIP should have now; empty = remove this node's key. */
  private Map<String, Optional<NodeStatus>> wanted() {
    Map<String, Desired> snapshot;
    List<Integer> foreign;
    synchronized (this) {
      snapshot = new LinkedHashMap<>(desired);
      foreign = foreignVrids;
    }
    boolean anyRunning = snapshot.values().stream().anyMatch(d -> d instanceof Running);
    List<RouterStatus> routers = anyRunning ? routerStatuses() : List.of();
    Map<String, Optional<NodeStatus>> out = new LinkedHashMap<>();
    snapshot.forEach(
        (vip, d) ->
            out.put(
                vip,
                Optional.ofNullable(
                    switch (d) {
                      case null -> null;
                      case Running r ->
                          NodeReport.withForeignVrids(running(vip, r, routers), foreign);
                      case NotRunning n ->
                          NodeReport.withForeignVrids(
                              NodeReport.notRun(n.reason(), n.generation(), n.since()), foreign);
                      case Stopped s -> NodeReport.stopped(s.generation(), s.since(), s.reason());
                    })));
    return out;
  }

  private NodeStatus running(String vip, Running r, List<RouterStatus> all) {
    List<RouterStatus> mine = all.stream().filter(s -> s.id().vip().equals(vip)).toList();
    Instant since = masterSince(vip, mine);
    return NodeReport.running(mine, source.checks(vip), r.basePriority(), r.generation(), since);
  }

  /** When this node last became master of {@code vip}: kept while it is no longer master. */
  private synchronized Instant masterSince(String vip, List<RouterStatus> mine) {
    mine.stream()
        .filter(s -> s.state() == dev.floatip.vrrp.State.MASTER)
        .map(RouterStatus::since)
        .flatMap(Optional::stream)
        .min(Instant::compareTo)
        .ifPresent(t -> masterSince.put(vip, t));
    return masterSince.get(vip);
  }

  private List<RouterStatus> routerStatuses() {
    try {
      return source.routers().get(ROUTER_STATUS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warnf("router state not available for status: %s", e.toString());
      return List.of();
    }
  }

  /** One merge patch of this node's key; false when the API failed (not for a missing object). */
  private boolean write(String vip, NodeStatus next) {
    String entry = next == null ? "null" : entryJson(next);
    String body =
        "{\"status\":{\"nodes\":{"
            + client.getKubernetesSerialization().asJson(nodeName)
            + ":"
            + entry
            + "}}}";
    VirtualIP ref = new VirtualIP();
    ref.setMetadata(new ObjectMetaBuilder().withName(vip).build());
    try {
      client.resource(ref).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), body);
      writes++;
      if (next == null) {
        written.remove(vip);
        dropRemoval(vip);
      } else {
        written.put(vip, next);
      }
      if (next != null && next.state() != null) {
        LOG.debugf("%s: reported %s", vip, next.state());
      }
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        LOG.debugf("%s: gone from the API; not reporting", vip);
        written.remove(vip);
        synchronized (this) {
          desired.remove(vip);
        }
        return true;
      }
      if (failedFlushes < Integer.MAX_VALUE) {
        failedFlushes++;
      }
      Duration delay = RETRY.delayAfter(failedFlushes);
      retryAt = clock.instant().plus(delay);
      LOG.warnf(
          "cannot write status of %s (%s); retrying in %s ms, VRRP keeps running",
          vip, e.getMessage(), delay.toMillis());
      return false;
    }
  }

  /**
   * The entry as a merge patch that replaces the previous one: a field it lacks is sent as null,
   * which RFC 7386 removes, so that a field that goes away (foreignVrids, checks) does not stay.
   */
  private String entryJson(NodeStatus next) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (RecordComponent c : NodeStatus.class.getRecordComponents()) {
      fields.put(c.getName(), null);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> present = client.getKubernetesSerialization().convertValue(next, Map.class);
    fields.putAll(present);
    try {
      return WITH_NULLS.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a status entry", e);
    }
  }

  private synchronized void dropRemoval(String vip) {
    if (desired.containsKey(vip) && desired.get(vip) == null) {
      desired.remove(vip);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
