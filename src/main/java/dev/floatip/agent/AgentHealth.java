package dev.floatip.agent;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /q/health/live: the event loop advances (its heartbeat is fresh). /q/health/ready: it runs
 * routers. The JSON is the MicroProfile Health shape the Quarkus agent served ({@code
 * {"status":"UP","checks":[{"name":…,"status":…,"data":{…}}]}}), so probes and dashboards keep
 * working.
 */
public final class AgentHealth {

  static final String LOOP = "vrrp-event-loop";
  static final String READY = "agent";

  /** One check's result; {@code data} is left out of the JSON when empty. */
  public record Check(String name, boolean up, Map<String, Object> data) {
    public Check {
      data = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    static Check up(String name) {
      return new Check(name, true, Map.of());
    }

    static Check down(String name) {
      return new Check(name, false, Map.of());
    }

    public String status() {
      return up ? "UP" : "DOWN";
    }
  }

  /** A set of checks as one response: UP when all are. */
  public record Report(List<Check> checks) {
    public boolean up() {
      return checks.stream().allMatch(Check::up);
    }

    /** 200 when UP, 503 when DOWN, as MicroProfile Health. */
    public int httpStatus() {
      return up() ? 200 : 503;
    }

    /** The MicroProfile Health JSON document. */
    public Map<String, Object> json() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("status", up() ? "UP" : "DOWN");
      out.put(
          "checks",
          checks.stream()
              .map(
                  c -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", c.name());
                    m.put("status", c.status());
                    if (!c.data().isEmpty()) {
                      m.put("data", c.data());
                    }
                    return m;
                  })
              .toList());
      return out;
    }
  }

  private final AgentRuntime runtime;

  public AgentHealth(AgentRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * Down once the loop has not checked its timers for {@link EventLoop#STALLED_AFTER}: a stuck loop
   * sends no adverts while its addresses stay up, so the kubelet must restart the agent. Reads the
   * heartbeat only: the check never waits for the loop it judges.
   */
  static Check liveness(EventLoop loop) {
    Duration ago = loop.sinceLastTick();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("lastTickMillisAgo", ago.toMillis());
    if (ago.compareTo(EventLoop.STALLED_AFTER) > 0) {
      data.put(
          "error",
          "the event loop has not advanced for "
              + ago.toMillis()
              + " ms (limit "
              + EventLoop.STALLED_AFTER.toMillis()
              + " ms)");
      return new Check(LOOP, false, data);
    }
    return new Check(LOOP, true, data);
  }

  /** Liveness: nothing to be alive for before the loop runs. */
  public Report live() {
    return new Report(
        List.of(runtime.loop().map(AgentHealth::liveness).orElseGet(() -> Check.up(LOOP))));
  }

  /** Readiness: the loop runs. */
  public Report ready() {
    return new Report(List.of(runtime.loop().isPresent() ? Check.up(READY) : Check.down(READY)));
  }

  /** Both, as {@code /q/health}. */
  public Report all() {
    return new Report(
        java.util.stream.Stream.concat(live().checks().stream(), ready().checks().stream())
            .toList());
  }
}
