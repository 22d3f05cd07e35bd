package dev.floatip.agent.cluster;

import dev.floatip.agent.VipRunner;
import dev.floatip.api.v1alpha1.NodeState;
import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * One node's planning, from the informers' caches to its {@link VipRunner} and {@link
 * StatusReporter}: which VirtualIPs run here ({@link Placement}), with which password ({@link
 * Passwords}), and what this node reports for each. {@link ClusterAgent} has one; the scale
 * benchmark's simulated agents have one per simulated node, so that they run this same code.
 *
 * <p>Not thread-safe: one plan thread calls it.
 */
final class NodePlanner {

  private static final Logger LOG = Logger.getLogger(NodePlanner.class);

  private final String nodeName;
  private final VipRunner runner;
  private final StatusReporter reporter;
  private final Passwords passwords;
  private final InstantSource clock;

  private boolean orphansRemoved;
  private final Map<String, Long> released = new HashMap<>();
  private Set<String> known = Set.of();

  NodePlanner(
      String nodeName,
      VipRunner runner,
      StatusReporter reporter,
      Passwords passwords,
      InstantSource clock) {
    this.nodeName = nodeName;
    this.runner = runner;
    this.reporter = reporter;
    this.passwords = passwords;
    this.clock = clock;
  }

  /** The VirtualIPs of one look at the informer's cache, and their names. */
  record Snapshot(List<VirtualIP> vips, Set<String> names) {
    static Snapshot of(List<VirtualIP> vips) {
      return new Snapshot(
          vips, vips.stream().map(v -> v.getMetadata().getName()).collect(Collectors.toSet()));
    }
  }

  /**
   * Plans this node once: decides every VirtualIP that can concern it, applies the result to the
   * runner and reports it.
   *
   * @param self this node's Node (null while unknown: nothing runs)
   */
  void plan(Snapshot all, Node self) {
    if (!orphansRemoved) {
      runner.removeOrphans(all.vips());
      orphansRemoved = true;
    }
    List<Placement.Decision> decisions = new ArrayList<>();
    for (VirtualIP v : all.vips()) {
      if (mayConcern(v, self)) {
        decisions.add(Placement.decide(v, self));
      }
    }
    List<VipRunner.VipInput> inputs = new ArrayList<>();
    Map<String, String> unavailable = new HashMap<>();
    for (Placement.Decision d : decisions) {
      if (d instanceof Placement.Run run) {
        switch (passwords.resolve(run.vip())) {
          case Passwords.Resolved r ->
              inputs.add(new VipRunner.VipInput(run.vip(), r.password(), run.peers()));
          case Passwords.Missing m -> unavailable.put(run.name(), m.reason());
        }
      }
    }
    Optional<VipRunner.Applied> result = runner.apply(inputs, all.vips());
    if (result.isEmpty()) {
      return; // interfaces unreadable: the next event or network change plans again
    }
    runner.loop().standby(Placement.maintenance(self));
    report(decisions, result.get(), unavailable);
    known.stream().filter(n -> !all.names().contains(n)).forEach(reporter::forget);
    released.keySet().retainAll(all.names());
    known = all.names();
  }

  /**
   * Whether {@link Placement#decide} can lead to anything here. It cannot for a VirtualIP that is
   * not being deleted, has a spec, does not list this (known) node among its candidates, and that
   * this node neither reports nor has an entry in: the decision is a Skip, and {@link #report}
   * ignores a Skip of a VirtualIP this node has nothing in. Deciding only the others spares the
   * validation of every VirtualIP of the cluster on every node at each plan.
   */
  boolean mayConcern(VirtualIP v, Node self) {
    return v.getMetadata().getDeletionTimestamp() != null
        || v.getSpec() == null
        || self == null
        || listed(v)
        || reporter.reports(v.getMetadata().getName())
        || hasEntry(v);
  }

  private boolean listed(VirtualIP v) {
    return v.getStatus() != null
        && v.getStatus().candidates() != null
        && v.getStatus().candidates().stream()
            .anyMatch(c -> c != null && nodeName.equals(c.name()));
  }

  private void report(
      List<Placement.Decision> decisions,
      VipRunner.Applied applied,
      Map<String, String> unavailable) {
    Instant now = clock.instant();
    for (Placement.Decision d : decisions) {
      String name = d.name();
      long generation = Objects.requireNonNullElse(d.vip().getMetadata().getGeneration(), 0L);
      switch (d) {
        case Placement.Run r -> {
          Integer base = applied.running().get(name);
          if (base != null) {
            reporter.report(name, new StatusReporter.Running(generation, base));
          } else {
            String why = unavailable.getOrDefault(name, applied.notRun().get(name));
            reporter.report(name, new StatusReporter.NotRunning(generation, why, now));
          }
        }
        case Placement.Release rel -> {
          if (!Objects.equals(released.get(name), generation) && hasEntry(d.vip())) {
            released.put(name, generation);
            applied
                .stopped()
                .thenRun(
                    () ->
                        reporter.report(
                            name,
                            new StatusReporter.Stopped(
                                generation,
                                "VirtualIP deleted: addresses released",
                                clock.instant())));
          }
        }
        case Placement.Skip s -> {
          if (reporter.reports(name) || hasEntry(d.vip())) {
            LOG.infof("%s: not for this node: %s", name, s.reason());
            reporter.remove(name);
          }
        }
      }
    }
  }

  /** Whether the VirtualIP's status holds a (non-Stopped) entry of this node. */
  private boolean hasEntry(VirtualIP vip) {
    NodeStatus mine =
        vip.getStatus() == null || vip.getStatus().nodes() == null
            ? null
            : vip.getStatus().nodes().get(nodeName);
    return mine != null && mine.state() != NodeState.Stopped;
  }

  /** The VRIDs some VirtualIP has (in its spec or allocated in its status). */
  static Set<Integer> ownVrids(Collection<VirtualIP> vips) {
    Set<Integer> ours = new HashSet<>();
    for (VirtualIP v : vips) {
      if (v.getSpec() != null && v.getSpec().virtualRouterId() != null) {
        ours.add(v.getSpec().virtualRouterId());
      }
      if (v.getStatus() != null && v.getStatus().virtualRouterId() != null) {
        ours.add(v.getStatus().virtualRouterId());
      }
    }
    return ours;
  }

  /**
   * VRIDs heard on this node's segments that belong to no VirtualIP go into this node's entries
   * ({@code status.nodes.<node>.foreignVrids}), so that the operator allocates around them; the
   * reporter writes them only when the set changes. Completes once the event loop answered.
   *
   * @param ours {@link #ownVrids} of every VirtualIP
   */
  CompletableFuture<Void> reportForeignVrids(Set<Integer> ours) {
    return runner
        .loop()
        .foreignVrids()
        .thenAccept(
            heard -> {
              Set<Integer> foreign = new TreeSet<>(heard);
              foreign.removeAll(ours);
              reporter.foreignVrids(foreign);
            });
  }
}
