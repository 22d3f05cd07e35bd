package dev.floatip.dataplane;

/** What {@link LinkMonitor} reports. */
public sealed interface LinkEvent {

  /**
   * A link was created or changed (RTM_NEWLINK) or deleted (RTM_DELLINK, {@code removed}).
   * RTM_NEWLINK also comes for changes that do not matter to VRRP; compare {@code
   * link().operational()} with what you knew.
   */
  record LinkChanged(LinkInfo link, boolean removed) implements LinkEvent {}

  /**
   * An address appeared (RTM_NEWADDR, also sent when its flags or lifetimes change).
   *
   * @param interfaceName the name, or {@code "if<index>"} if the interface was already gone
   */
  record AddressAdded(String interfaceName, InterfaceAddress address) implements LinkEvent {}

  /** An address disappeared (RTM_DELADDR), whoever removed it. */
  record AddressRemoved(String interfaceName, InterfaceAddress address) implements LinkEvent {}

  /**
   * Events were lost (ENOBUFS: the socket buffer overflowed). Re-read links and addresses with
   * {@link AddressManager}.
   */
  record ResyncNeeded(String reason) implements LinkEvent {}
}
