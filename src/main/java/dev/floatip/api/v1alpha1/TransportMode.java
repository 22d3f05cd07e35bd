package dev.floatip.api.v1alpha1;

/** VRRP transport. Unicast is a keepalived extension (no VRRP RFC defines it). */
public enum TransportMode {
  Unicast,
  Multicast
}
