package dev.floatip.vrrp;

/**
 * RFC 5798 §6.4 states, plus FAULT as keepalived has it (tracked failure: silent, no addresses).
 */
public enum State {
  INITIALIZE,
  BACKUP,
  MASTER,
  FAULT,
}
