package dev.floatip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes standalone agent config files ({@code floatip agent --config FILE}): VirtualIP documents
 * in the CR's shape (DESIGN §4). Immutable builder:
 *
 * <pre>{@code
 * FloatipYaml.vip("web", 51).addresses("192.0.2.200/24").interval("100ms")
 *     .priority("r1", 150).priority("r2", 100).write(dir.resolve("vip.yaml"));
 * }</pre>
 */
public record FloatipYaml(
    String name,
    int vrid,
    List<String> addresses,
    int version,
    String interval,
    boolean unicast,
    List<String> peers,
    Map<String, Integer> priorities,
    String password,
    boolean preempt,
    Map<String, String> sections) {

  public FloatipYaml {
    addresses = List.copyOf(addresses);
    peers = List.copyOf(peers);
    priorities = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(priorities));
    sections = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sections));
  }

  /** VRRPv3, multicast, advert every 100 ms, preempt on, no addresses yet. */
  public static FloatipYaml vip(String name, int vrid) {
    return new FloatipYaml(
        name, vrid, List.of(), 3, "100ms", false, List.of(), Map.of(), null, true, Map.of());
  }

  public FloatipYaml addresses(String... cidrs) {
    return new FloatipYaml(
        name,
        vrid,
        List.of(cidrs),
        version,
        interval,
        unicast,
        peers,
        priorities,
        password,
        preempt,
        sections);
  }

  public FloatipYaml version(int v) {
    return new FloatipYaml(
        name,
        vrid,
        addresses,
        v,
        interval,
        unicast,
        peers,
        priorities,
        password,
        preempt,
        sections);
  }

  /** A duration as the schema writes it: {@code 100ms}, {@code 1s}. */
  public FloatipYaml interval(String i) {
    return new FloatipYaml(
        name, vrid, addresses, version, i, unicast, peers, priorities, password, preempt, sections);
  }

  public FloatipYaml multicast() {
    return new FloatipYaml(
        name,
        vrid,
        addresses,
        version,
        interval,
        false,
        List.of(),
        priorities,
        password,
        preempt,
        sections);
  }

  /** Unicast to these addresses (the node's own are dropped by the agent). */
  public FloatipYaml unicast(String... peerAddresses) {
    return new FloatipYaml(
        name,
        vrid,
        addresses,
        version,
        interval,
        true,
        List.of(peerAddresses),
        priorities,
        password,
        preempt,
        sections);
  }

  /** {@code priority.nodes[node] = priority}. */
  public FloatipYaml priority(String node, int priority) {
    Map<String, Integer> p = new LinkedHashMap<>(priorities);
    p.put(node, priority);
    return new FloatipYaml(
        name, vrid, addresses, version, interval, unicast, peers, p, password, preempt, sections);
  }

  /** VRRPv2 simple password (keepalived {@code auth_type PASS}), inline. */
  public FloatipYaml password(String pass) {
    return new FloatipYaml(
        name,
        vrid,
        addresses,
        version,
        interval,
        unicast,
        peers,
        priorities,
        pass,
        preempt,
        sections);
  }

  public FloatipYaml preempt(boolean on) {
    return new FloatipYaml(
        name,
        vrid,
        addresses,
        version,
        interval,
        unicast,
        peers,
        priorities,
        password,
        on,
        sections);
  }

  /**
   * Sets {@code spec.KEY} to a YAML block written as if {@code KEY:} were at column 0, e.g.
   *
   * <pre>{@code
   * .spec("track", """
   *     scripts:
   *     - name: flag
   *       command: [test, -f, /tmp/x/flag]
   *     """)
   * }</pre>
   */
  public FloatipYaml spec(String key, String yaml) {
    Map<String, String> s = new LinkedHashMap<>(sections);
    s.put(key, yaml.stripTrailing());
    return new FloatipYaml(
        name, vrid, addresses, version, interval, unicast, peers, priorities, password, preempt, s);
  }

  /** {@code spec.track} (health checks), see {@link #spec}. */
  public FloatipYaml track(String yaml) {
    return spec("track", yaml);
  }

  /** {@code spec.notify} (hooks, mail, webhook), see {@link #spec}. */
  public FloatipYaml notify(String yaml) {
    return spec("notify", yaml);
  }

  /** This document as YAML. */
  public String render() {
    StringBuilder b = new StringBuilder();
    b.append("apiVersion: floatip.dev/v1alpha1\n");
    b.append("kind: VirtualIP\n");
    b.append("metadata:\n  name: ").append(name).append('\n');
    b.append("spec:\n");
    b.append("  addresses: [").append(String.join(", ", addresses)).append("]\n");
    b.append("  interface: eth0\n");
    b.append("  virtualRouterId: ").append(vrid).append('\n');
    b.append("  version: ").append(version).append('\n');
    b.append("  advertisementInterval: ").append(interval).append('\n');
    b.append("  preempt: ").append(preempt).append('\n');
    b.append("  transport:\n    mode: ").append(unicast ? "Unicast" : "Multicast").append('\n');
    if (unicast) {
      b.append("    peers: [").append(String.join(", ", peers)).append("]\n");
    }
    if (!priorities.isEmpty()) {
      b.append("  priority:\n    nodes: {")
          .append(
              priorities.entrySet().stream()
                  .map(e -> e.getKey() + ": " + e.getValue())
                  .collect(Collectors.joining(", ")))
          .append("}\n");
    }
    if (password != null) {
      b.append("  authentication:\n    password: \"").append(password).append("\"\n");
    }
    sections.forEach(
        (key, yaml) -> {
          b.append("  ").append(key).append(":\n");
          yaml.lines().forEach(l -> b.append(l.isBlank() ? "" : "    " + l).append('\n'));
        });
    return b.toString();
  }

  /** Writes this document as the whole file (atomically, as a config manager would). */
  public Path write(Path file) {
    return write(file, List.of(this));
  }

  /** Writes several documents separated by {@code ---}, atomically (temp file + rename). */
  public static Path write(Path file, List<FloatipYaml> docs) {
    List<String> parts = new ArrayList<>();
    docs.forEach(d -> parts.add(d.render()));
    return writeText(file, String.join("---\n", parts));
  }

  /** Replaces {@code file} with {@code text} by rename, so a watcher never sees half a file. */
  public static Path writeText(Path file, String text) {
    try {
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".tmp-", ".yaml");
      Files.writeString(tmp, text);
      return Files.move(
          tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
