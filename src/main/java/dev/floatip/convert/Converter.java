package dev.floatip.convert;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * keepalived.conf → VirtualIP documents (DESIGN §1): one VirtualIP per {@code vrrp_instance}. One
 * keepalived.conf describes one host; its priorities become {@code priority.default}, or {@code
 * priority.nodes[NODE]} with {@link ConvertOptions#node()}.
 */
public final class Converter {

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
          .build();

  private final ConvertOptions options;
  private final List<ConvertWarning> all = new ArrayList<>();

  private Converter(ConvertOptions options) {
    this.options = options;
  }

  /** Converts one keepalived config file (with its includes). */
  public static Conversion convert(Path file, ConvertOptions options) throws ConfSyntaxError {
    try {
      List<ConvertWarning> parseWarnings = new ArrayList<>();
      List<ConfNode> top = ConfParser.parse(file, parseWarnings);
      return new Converter(options).run(file.toString(), top, parseWarnings);
    } catch (RuntimeException | StackOverflowError e) {
      // a bug, not the input: still an error on stderr, never a stack trace on stdout
      ConfSyntaxError error =
          new ConfSyntaxError(
              new Location(file.toString(), 0), "cannot convert: " + e.getClass().getSimpleName());
      error.initCause(e); // for a bug report, never printed to stdout
      throw error;
    }
  }

  private Conversion run(String file, List<ConfNode> top, List<ConvertWarning> parseWarnings)
      throws ConfSyntaxError {
    Definitions defs = Definitions.read(top);
    List<ConvertWarning> global = new ArrayList<>(parseWarnings);
    global.addAll(defs.warnings);
    global.addAll(unknownMembers(defs));
    all.addAll(global);
    if (defs.instances.isEmpty()) {
      throw new ConfSyntaxError(new Location(file, 0), "no vrrp_instance to convert");
    }
    List<Conversion.Document> vips = new ArrayList<>();
    List<Conversion.Document> secrets = new ArrayList<>();
    Map<Path, String> passwordFiles = new LinkedHashMap<>();
    Map<String, Location> instances = new HashMap<>();
    Set<String> resourceNames = new HashSet<>();
    for (ConfNode instance : defs.instances) {
      Location first = instances.putIfAbsent(instance.arg(), instance.at());
      if (first != null) {
        throw new ConfSyntaxError(
            instance.at(),
            "vrrp_instance " + instance.arg() + " is defined twice (first at " + first + ")");
      }
      String name = unique(Names.resource(instance.arg()), resourceNames);
      InstanceConverter.Result r = new InstanceConverter(defs, options, instance, name).convert();
      all.addAll(r.warnings());
      if (r.spec().addressList().isEmpty()) {
        ConvertWarning w =
            new ConvertWarning(
                instance.at(),
                "vrrp_instance",
                instance.arg() + " has no address floatip can move; not converted");
        all.add(w);
        continue;
      }
      List<ConvertWarning> mine = new ArrayList<>(global);
      mine.addAll(r.warnings());
      vips.add(
          new Conversion.Document(
              virtualIP(r, instance.at(), mine), instance.at(), r.scriptComments()));
      if (r.password() != null) {
        if (options.cluster()) {
          secrets.add(new Conversion.Document(secret(name, r.password()), null, Map.of()));
        } else if (options.passwordDir() != null) {
          passwordFiles.put(options.passwordDir().resolve(Names.passwordFile(name)), r.password());
        }
      }
    }
    List<Conversion.Document> docs = new ArrayList<>(vips);
    docs.addAll(secrets);
    return new Conversion(docs, ConvertWarning.sorted(all), passwordFiles);
  }

  private static List<ConvertWarning> unknownMembers(Definitions defs) {
    Set<String> names = new HashSet<>();
    defs.instances.forEach(i -> names.add(i.arg()));
    List<ConvertWarning> out = new ArrayList<>();
    for (ConfNode g : defs.syncGroups.values()) {
      for (ConfNode n : g.children()) {
        if (n.keyword().equals("group")) {
          for (ConfNode member : n.children()) {
            if (!names.contains(member.keyword())) {
              out.add(
                  new ConvertWarning(
                      member.at(),
                      "vrrp_sync_group",
                      "no vrrp_instance " + member.keyword() + " (keepalived ignores it)"));
            }
          }
        }
      }
    }
    return out;
  }

  private static String unique(String name, Set<String> taken) {
    String candidate = name;
    for (int i = 2; !taken.add(candidate); i++) {
      candidate = name + "-" + i;
    }
    return candidate;
  }

  private ObjectNode virtualIP(
      InstanceConverter.Result r, Location at, List<ConvertWarning> warnings) {
    ObjectNode vip = JSON.createObjectNode();
    vip.put("apiVersion", "floatip.dev/v1alpha1");
    vip.put("kind", "VirtualIP");
    ObjectNode meta = vip.putObject("metadata");
    meta.put("name", r.resourceName());
    ObjectNode annotations = meta.putObject("annotations");
    annotations.put(Conversion.SOURCE_ANNOTATION, at + " vrrp_instance " + r.instanceName());
    List<ConvertWarning> mine = ConvertWarning.sorted(warnings);
    if (!mine.isEmpty()) {
      annotations.put(
          Conversion.WARNINGS_ANNOTATION,
          String.join("\n", mine.stream().map(ConvertWarning::toString).toList()) + "\n");
    }
    vip.set("spec", JSON.valueToTree(r.spec()));
    return vip;
  }

  private ObjectNode secret(String vipName, String password) {
    ObjectNode s = JSON.createObjectNode();
    s.put("apiVersion", "v1");
    s.put("kind", "Secret");
    ObjectNode meta = s.putObject("metadata");
    meta.put("name", Names.secret(vipName));
    meta.put("namespace", options.namespace());
    s.put("type", "Opaque");
    s.putObject("stringData").put(Conversion.SECRET_KEY, password);
    return s;
  }
}
