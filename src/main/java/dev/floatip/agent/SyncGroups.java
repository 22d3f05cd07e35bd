package dev.floatip.agent;

import dev.floatip.vrrp.SyncGroup;
import dev.floatip.vrrp.VirtualRouter;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node's sync groups (DESIGN §4 {@code syncGroup}): which router belongs to which {@link
 * SyncGroup}. Loop thread only. Every method returns the group's events for the loop to perform.
 */
final class SyncGroups {

  private final Map<String, SyncGroup<RouterId>> groups = new HashMap<>();
  private final Map<RouterId, String> membership = new HashMap<>();

  List<SyncGroup.Event<RouterId>> join(
      RouterId id, String group, VirtualRouter router, Instant at) {
    membership.put(id, group);
    return groups.computeIfAbsent(group, SyncGroup::new).add(id, router, at);
  }

  List<SyncGroup.Event<RouterId>> leave(RouterId id, Instant at) {
    String name = membership.remove(id);
    if (name == null) {
      return List.of();
    }
    SyncGroup<RouterId> group = groups.get(name);
    List<SyncGroup.Event<RouterId>> events = group.remove(id, at);
    if (group.members().isEmpty()) {
      groups.remove(name);
    }
    return events;
  }

  /** After any input to {@code id}'s router: bring its group (if any) back to a fixed point. */
  List<SyncGroup.Event<RouterId>> settle(RouterId id, Instant at) {
    String name = membership.get(id);
    return name == null ? List.of() : groups.get(name).settle(at);
  }

  Optional<String> groupOf(RouterId id) {
    return Optional.ofNullable(membership.get(id));
  }
}
