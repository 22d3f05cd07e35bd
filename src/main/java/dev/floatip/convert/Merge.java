package dev.floatip.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Several hosts' conversions (each keepalived.conf converted with its own node) → one set of
 * VirtualIPs: instances of the same name become one VirtualIP whose {@code priority.nodes} holds
 * every host's priority and whose unicast peers are the union of theirs. Anything else that differs
 * between the hosts is a warning; the first host's value is kept.
 */
public final class Merge {

  private Merge() {}

  /** One host's conversion and its node name. */
  public record Host(String node, Conversion conversion) {}

  public static Conversion merge(List<Host> hosts) {
    if (hosts.size() == 1) {
      return hosts.getFirst().conversion();
    }
    List<ConvertWarning> warnings = new ArrayList<>();
    Map<String, List<Conversion.Document>> byName = new LinkedHashMap<>();
    Map<String, List<String>> nodesByName = new HashMap<>();
    Map<String, Conversion.Document> secrets = new LinkedHashMap<>();
    Map<Path, String> passwordFiles = new LinkedHashMap<>();
    for (Host h : hosts) {
      warnings.addAll(h.conversion().warnings());
      for (Conversion.Document d : h.conversion().documents()) {
        String name = d.tree().at("/metadata/name").asText();
        if (d.source() == null) {
          Conversion.Document first = secrets.putIfAbsent(name, d);
          if (first != null && !first.tree().equals(d.tree())) {
            warnings.add(differs(d, name, "the password", h.node()));
          }
        } else {
          byName.computeIfAbsent(name, k -> new ArrayList<>()).add(d);
          nodesByName.computeIfAbsent(name, k -> new ArrayList<>()).add(h.node());
        }
      }
      h.conversion()
          .passwordFiles()
          .forEach(
              (path, pass) -> {
                String first = passwordFiles.putIfAbsent(path, pass);
                if (first != null && !first.equals(pass)) {
                  warnings.add(
                      new ConvertWarning(
                          new Location(path.toString(), 0),
                          "auth_pass",
                          "the hosts' passwords differ; "
                              + hosts.getFirst().node()
                              + "'s is used"));
                }
              });
    }
    List<Conversion.Document> docs = new ArrayList<>();
    for (var e : byName.entrySet()) {
      docs.add(mergeOne(e.getValue(), nodesByName.get(e.getKey()), hosts.size(), warnings));
    }
    docs.addAll(secrets.values());
    return new Conversion(docs, ConvertWarning.sorted(warnings), passwordFiles);
  }

  private static Conversion.Document mergeOne(
      List<Conversion.Document> docs, List<String> nodes, int hosts, List<ConvertWarning> out) {
    Conversion.Document first = docs.getFirst();
    ObjectNode tree = first.tree().deepCopy();
    ObjectNode spec = (ObjectNode) tree.get("spec");
    String name = tree.at("/metadata/name").asText();
    List<ConvertWarning> mine = new ArrayList<>();
    Map<String, String> comments = new LinkedHashMap<>(first.comments());
    Set<String> sources = new LinkedHashSet<>();
    Set<String> annotated = new LinkedHashSet<>();
    for (int i = 0; i < docs.size(); i++) {
      Conversion.Document d = docs.get(i);
      JsonNode annotations = d.tree().at("/metadata/annotations");
      sources.add(annotations.path(Conversion.SOURCE_ANNOTATION).asText());
      String w = annotations.path(Conversion.WARNINGS_ANNOTATION).asText("");
      w.lines().forEach(annotated::add);
      d.comments().forEach(comments::putIfAbsent);
      if (i == 0) {
        continue;
      }
      JsonNode other = d.tree().get("spec");
      spec.withObject("/priority/nodes").setAll((ObjectNode) other.at("/priority/nodes"));
      unionPeers(spec, other);
      Set<String> fields = new LinkedHashSet<>();
      spec.fieldNames().forEachRemaining(fields::add);
      other.fieldNames().forEachRemaining(fields::add);
      for (String f : fields) {
        if (f.equals("priority")) {
          continue;
        }
        JsonNode a = strip(f, spec.get(f));
        JsonNode b = strip(f, other.get(f));
        if (a == null ? b != null : !a.equals(b)) {
          mine.add(differs(d, name, "spec." + f, nodes.get(i)));
        }
      }
    }
    if (docs.size() < hosts) {
      mine.add(
          new ConvertWarning(
              first.source(),
              "vrrp_instance",
              "only on "
                  + String.join(", ", nodes)
                  + ": every node that loads the result takes part (priority.default where it is"
                  + " not listed)"));
    }
    out.addAll(mine);
    mine.forEach(w -> annotated.add(w.toString()));
    ObjectNode annotations = tree.withObject("/metadata/annotations");
    annotations.put(Conversion.SOURCE_ANNOTATION, String.join("\n", sources));
    if (!annotated.isEmpty()) {
      annotations.put(Conversion.WARNINGS_ANNOTATION, String.join("\n", annotated) + "\n");
    }
    return new Conversion.Document(tree, first.source(), comments);
  }

  /** Adds the other host's unicast peers not yet listed. */
  private static void unionPeers(ObjectNode spec, JsonNode other) {
    JsonNode mine = spec.at("/transport/peers");
    JsonNode theirs = other.at("/transport/peers");
    if (!(mine instanceof ArrayNode list) || !theirs.isArray()) {
      return;
    }
    Set<String> have = new LinkedHashSet<>();
    list.forEach(p -> have.add(p.asText()));
    for (Iterator<JsonNode> it = theirs.elements(); it.hasNext(); ) {
      String p = it.next().asText();
      if (have.add(p)) {
        list.add(p);
      }
    }
  }

  /** A field without the parts that are expected to differ between hosts (the peer list). */
  private static JsonNode strip(String field, JsonNode value) {
    if (!field.equals("transport") || value == null || !value.isObject()) {
      return value;
    }
    ObjectNode copy = ((ObjectNode) value).deepCopy();
    copy.remove("peers");
    return copy;
  }

  private static ConvertWarning differs(
      Conversion.Document d, String name, String what, String node) {
    Location at = d.source() == null ? new Location(name, 0) : d.source();
    return new ConvertWarning(
        at, "merge", name + ": " + what + " on " + node + " differs; the first host's is used");
  }
}
