package dev.floatip.dataplane;

/** The node's dataplane, one per process (and network namespace). */
public interface Dataplane extends AutoCloseable {

  /** A VRRP socket for one interface and family; see {@link PacketIo}. */
  IoResult<PacketIo> openPacketIo(PacketIo.Options options);

  AddressManager addresses();

  Announcer announcer();

  LinkMonitor linkMonitor();

  /** Releases the sockets this object opened; packet sockets and subscriptions close separately. */
  @Override
  void close();
}
