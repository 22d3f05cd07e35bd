package dev.floatip.agent;

import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.Violation;
import dev.floatip.dataplane.Dataplane;
import dev.floatip.dataplane.InterfaceAddress;
import dev.floatip.dataplane.IoResult;
import dev.floatip.notify.NotifyOptions;
import dev.floatip.notify.NotifyRuntime;
import dev.floatip.notify.SecretReader;
import dev.floatip.tracking.Effective;
import dev.floatip.tracking.Tracking;
import dev.floatip.vrrp.Action;
import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Runs VirtualIPs on this node, whatever their source (a file or the Kubernetes API): plans them
 * against the node's network, keeps their checks and notifications, and hands the routers to the
 * {@link EventLoop}. The config source calls {@link #apply} with the whole desired set each time.
 */
public final class VipRunner implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(VipRunner.class);

  /**
   * One VirtualIP to run.
   *
   * @param password the resolved authentication password (Secret or file), or null
   * @param discoveredPeers the other selected nodes' addresses for Unicast without {@code
   *     transport.peers}; empty standalone
   */
  public record VipInput(VirtualIP vip, String password, Collection<InetAddress> discoveredPeers) {
    public VipInput {
      discoveredPeers = List.copyOf(discoveredPeers);
    }

    public String name() {
      return vip.getMetadata().getName();
    }
  }

  /**
   * What {@link #apply} did.
   *
   * @param running base priority of each VirtualIP that runs
   * @param notRun why each of the others cannot run here now
   * @param stopped completes once the routers this apply stopped have resigned and their addresses
   *     are gone
   */
  public record Applied(
      Map<String, Integer> running, Map<String, String> notRun, CompletableFuture<Void> stopped) {}

  private final String nodeName;
  private volatile List<StatusView> notRunViews = List.of();
  private final Dataplane dataplane;
  private final EventLoop loop;
  private final VipServices services;

  /**
   * @param onNetworkChanged called (on the loop thread; must only enqueue) when a link or address
   *     changed on the node: the source should call {@link #apply} again
   */
  public VipRunner(
      String nodeName,
      Dataplane dataplane,
      InstantSource clock,
      Tracking tracking,
      List<EventLoop.Listener> listeners,
      Runnable onNetworkChanged) {
    this(nodeName, dataplane, clock, tracking, listeners, onNetworkChanged, SecretReader.NONE);
  }

  /**
   * @param secrets reads the Secrets notifications name ({@code mail.auth.passwordSecretRef})
   */
  public VipRunner(
      String nodeName,
      Dataplane dataplane,
      InstantSource clock,
      Tracking tracking,
      List<EventLoop.Listener> listeners,
      Runnable onNetworkChanged,
      SecretReader secrets) {
    this.nodeName = nodeName;
    this.dataplane = dataplane;
    List<EventLoop.Listener> all = new ArrayList<>(listeners);
    all.add(
        new EventLoop.Listener() {
          @Override
          public void stateChanged(RouterSpec spec, Action.StateChanged change) {
            services.stateChanged(spec, change);
          }

          @Override
          public void networkChanged() {
            onNetworkChanged.run();
          }
        });
    this.loop = new EventLoop(clock, dataplane, all);
    this.services =
        new VipServices(
            nodeName, loop, tracking, new NotifyRuntime(NotifyOptions.DEFAULT, secrets));
  }

  public void start() {
    loop.start();
  }

  public EventLoop loop() {
    return loop;
  }

  /**
   * No orphans after a crash: we are master of nothing yet, so every address a previous run added
   * goes, whichever VirtualIP it belonged to then (the config may have changed since). The kernel
   * marks the addresses floatip adds (IFA_PROTO, Linux 6.3+), so exactly those are removed, on any
   * interface, and never one floatip did not add. Older kernels keep no mark: then the addresses of
   * {@code vips} found on the node go, as the only ones known to be virtual.
   */
  public void removeOrphans(Collection<VirtualIP> vips) {
    boolean marks = dataplane.addresses().marksAddresses();
    Set<InetAddress> virtual = Set.copyOf(VipPlanner.virtualAddresses(vips));
    if (!marks) {
      LOG.warnf(
          "this kernel (%s) keeps no IFA_PROTO mark (Linux 6.3+): only addresses of the current"
              + " VirtualIPs are taken for orphans",
          System.getProperty("os.version"));
    }
    if (dataplane.addresses().listAll()
        instanceof IoResult.Ok<Map<String, List<InterfaceAddress>>> ok) {
      ok.value()
          .forEach(
              (iface, addresses) ->
                  addresses.stream()
                      .filter(a -> marks ? a.addedByFloatip() : virtual.contains(a.address()))
                      .map(InterfaceAddress::address)
                      .distinct()
                      .forEach(
                          a -> {
                            LOG.infof(
                                "removing %s from %s: left by a previous run",
                                a.getHostAddress(), iface);
                            dataplane.addresses().remove(iface, a);
                          }));
    }
  }

  /**
   * The virtual addresses that are already this node's own (on an interface and not added by
   * floatip), by VirtualIP name: such a VirtualIP must not run here, as its resign would remove the
   * node's address. Empty when the kernel keeps no mark to tell them apart, or the interfaces
   * cannot be read.
   */
  public Map<String, List<Violation>> nodeOwnAddresses(Collection<VirtualIP> vips) {
    if (!dataplane.addresses().marksAddresses()
        || !(dataplane.addresses().listAll()
            instanceof IoResult.Ok<Map<String, List<InterfaceAddress>>> ok)) {
      return Map.of();
    }
    Map<String, List<Violation>> out = new java.util.TreeMap<>();
    Map<InetAddress, String> own = VipPlanner.nodeOwn(ok.value());
    for (VirtualIP vip : vips) {
      List<Violation> problems = VipPlanner.ownAddressProblems(vip, own);
      if (!problems.isEmpty()) {
        out.put(vip.getMetadata().getName(), problems);
      }
    }
    return out;
  }

  /**
   * Runs exactly {@code desired}: starts, updates and stops routers, checks and notifications.
   *
   * @param known every VirtualIP address in use anywhere, so that none is taken for the node's own
   * @return empty when the node's interfaces could not be read (nothing changed)
   */
  public synchronized Optional<Applied> apply(List<VipInput> desired, Collection<VirtualIP> known) {
    Set<InetAddress> virtual = new HashSet<>(VipPlanner.virtualAddresses(known));
    virtual.addAll(VipPlanner.virtualAddresses(desired.stream().map(VipInput::vip).toList()));
    return switch (dataplane.addresses().listAll()) {
      case IoResult.Failed<?> failed -> {
        LOG.errorf("cannot read the node's interfaces: %s", failed.message());
        yield Optional.empty();
      }
      case IoResult.Ok<Map<String, List<InterfaceAddress>>> ok -> {
        // With the kernel's mark, an unmarked address is the node's own even when a VirtualIP
        // names it (that VirtualIP does not run): it stays the source and subnet of the others.
        Map<InetAddress, String> own =
            dataplane.addresses().marksAddresses() ? VipPlanner.nodeOwn(ok.value()) : Map.of();
        virtual.removeAll(own.keySet());
        yield Optional.of(
            apply(
                VipPlanner.plan(
                    desired, nodeName, new DataplaneNetwork(ok.value(), virtual), own)));
      }
    };
  }

  private Applied apply(List<VipPlanner.Planned> planned) {
    List<RouterSpec> specs = new ArrayList<>();
    Map<String, Integer> running = new java.util.TreeMap<>();
    Map<String, String> notRun = new java.util.TreeMap<>();
    List<StatusView> faults = new ArrayList<>();
    for (VipPlanner.Planned p : planned) {
      switch (p) {
        case VipPlanner.NotRun n -> {
          LOG.warnf("%s: not run: %s", n.name(), n.reason());
          notRun.put(n.name(), n.reason());
          faults.addAll(StatusView.notRun(n.vip(), n.reason()));
        }
        case VipPlanner.Run r -> {
          r.partly().forEach(reason -> LOG.warnf("%s: partly run: %s", r.name(), reason));
          // the checks keep running across reloads; their current weights apply at once
          int effective =
              services.update(
                  r.name(),
                  r.basePriority(),
                  r.vip().getSpec().track(),
                  r.vip().getSpec().notifications(),
                  r.routers().stream().map(RouterSpec::id).toList());
          r.routers().forEach(s -> specs.add(s.withPriority(effective)));
          running.put(r.name(), r.basePriority());
        }
      }
    }
    notRunViews = List.copyOf(faults);
    services.retainOnly(running.keySet());
    CompletableFuture<Void> stopped = loop.apply(specs);
    // routers this apply (re)started must not run without the checks' FAULT
    services.reassert();
    services.startChecks();
    return new Applied(running, notRun, stopped);
  }

  /** The checks' verdict for one VirtualIP, for status and metrics. */
  public Optional<Effective> checks(String vip) {
    return services.effective(vip);
  }

  /** The VirtualIPs of the last plan that run no router here, as FAULT entries for status. */
  public List<StatusView> notRun() {
    return notRunViews;
  }

  /**
   * Resigns every master, removes the addresses and lets the STOP notifications start, all within
   * {@code timeout}; hooks still running then are killed.
   */
  public void shutdown(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    loop.shutdown(timeout.multipliedBy(3).dividedBy(4));
    services.drain(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    services.close();
  }

  @Override
  public void close() {
    shutdown(Duration.ofMillis(800));
  }
}
