package dev.floatip.dataplane.linux;

import static dev.floatip.dataplane.linux.Rtnetlink.*;

import dev.floatip.dataplane.Errno;
import dev.floatip.dataplane.InterfaceAddress;
import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.LinkEvent;
import dev.floatip.dataplane.LinkInfo;
import dev.floatip.dataplane.LinkMonitor;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** {@link LinkMonitor} on an rtnetlink socket subscribed to link and address groups. */
final class NetlinkLinkMonitor implements LinkMonitor {
  private static final System.Logger LOG = System.getLogger(NetlinkLinkMonitor.class.getName());
  private static final int GROUPS = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;

  /** After a receive error other than ENOBUFS, wait this long before the next receive. */
  private static final Duration PAUSE = Duration.ofMillis(200);

  private final NetlinkAddressManager links;
  private final NamespaceBinding namespace;

  NetlinkLinkMonitor(NetlinkAddressManager links, NamespaceBinding namespace) {
    this.links = links;
    this.namespace = namespace;
  }

  @Override
  public IoResult<Subscription> subscribe(Consumer<LinkEvent> listener) {
    return namespace
        .run("subscribe to rtnetlink groups", () -> NetlinkSocket.subscribe(GROUPS))
        .map(
            socket -> {
              socket.enlargeReceiveBuffer(1 << 20);
              Running running = new Running(socket, listener);
              Thread thread = new Thread(running::loop, "floatip-link-monitor");
              thread.setDaemon(true);
              running.thread = thread;
              thread.start();
              return running;
            });
  }

  private final class Running implements Subscription {
    private final NetlinkSocket socket;
    private final Consumer<LinkEvent> listener;
    private final Map<Integer, String> names = new ConcurrentHashMap<>();
    private volatile boolean stopped;
    private Thread thread;

    Running(NetlinkSocket socket, Consumer<LinkEvent> listener) {
      this.socket = socket;
      this.listener = listener;
    }

    void loop() {
      while (!stopped) {
        IoResult<Optional<List<NetlinkMessage>>> r = socket.receive("receive rtnetlink events");
        switch (r) {
          case IoResult.Ok<Optional<List<NetlinkMessage>>> ok ->
              ok.value().ifPresent(ms -> ms.forEach(this::dispatch));
          case IoResult.Failed<Optional<List<NetlinkMessage>>> f -> {
            if (stopped || f.errno() == Errno.EBADF) {
              return;
            }
            if (f.errno() == Errno.ENOBUFS) {
              // netlink(7): the socket buffer overflowed and events were dropped.
              deliver(new LinkEvent.ResyncNeeded("netlink events lost (ENOBUFS)"));
            } else {
              LOG.log(Level.WARNING, "link monitor: " + f.message());
              pause();
            }
          }
        }
      }
    }

    private void dispatch(NetlinkMessage m) {
      switch (m.type()) {
        case RTM_NEWLINK, RTM_DELLINK ->
            RouteCodec.decodeLink(m)
                .ifPresent(
                    link -> {
                      boolean removed = m.type() == RTM_DELLINK;
                      if (removed) {
                        names.remove(link.index());
                      } else {
                        names.put(link.index(), link.name());
                      }
                      deliver(new LinkEvent.LinkChanged(link, removed));
                    });
        case RTM_NEWADDR, RTM_DELADDR ->
            RouteCodec.decodeAddress(m)
                .ifPresent(
                    a ->
                        deliver(
                            m.type() == RTM_NEWADDR
                                ? new LinkEvent.AddressAdded(name(a), a)
                                : new LinkEvent.AddressRemoved(name(a), a)));
        default -> {}
      }
    }

    private String name(InterfaceAddress a) {
      String known =
          names.computeIfAbsent(
              a.interfaceIndex(),
              index ->
                  links.link(index) instanceof IoResult.Ok<LinkInfo> ok ? ok.value().name() : null);
      return known != null ? known : "if" + a.interfaceIndex();
    }

    private void deliver(LinkEvent event) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "link monitor listener failed on " + event, e);
      }
    }

    private void pause() {
      try {
        Thread.sleep(PAUSE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = true;
      }
    }

    @Override
    public void close() {
      stopped = true;
      socket.close();
      if (thread != null && thread != Thread.currentThread()) {
        try {
          thread.join(PAUSE.toMillis() * 5); // close() woke its receive at once
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
