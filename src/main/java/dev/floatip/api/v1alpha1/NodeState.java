package dev.floatip.api.v1alpha1;

/** A node's VRRP state for one VirtualIP (RFC 5798 §6.4 states plus keepalived's FAULT). */
public enum NodeState {
  Initialize,
  Backup,
  Master,
  Fault,
  /** The agent stopped the router (shutdown or the node no longer selected). */
  Stopped
}
