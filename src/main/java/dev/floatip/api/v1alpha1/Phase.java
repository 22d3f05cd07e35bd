package dev.floatip.api.v1alpha1;

/** Summary state of a VirtualIP, the STATE column of {@code kubectl get vip}. */
public enum Phase {
  /** Exactly one node is master. */
  Active,
  /** No node is master. */
  NoMaster,
  /** Several nodes claim master. */
  SplitBrain,
  /** The spec is refused; see the InvalidSpec condition. */
  Invalid,
  /** Not running yet: no agent has reported, or a VRID conflict holds it back. */
  Pending
}
