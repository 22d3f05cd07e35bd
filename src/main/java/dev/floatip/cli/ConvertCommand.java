package dev.floatip.cli;

import dev.floatip.convert.ConfSyntaxError;
import dev.floatip.convert.Conversion;
import dev.floatip.convert.ConvertOptions;
import dev.floatip.convert.ConvertWarning;
import dev.floatip.convert.Converter;
import dev.floatip.convert.Merge;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code floatip convert}: keepalived.conf → VirtualIP YAML. */
@Command(
    name = "convert",
    description = {
      "Print VirtualIP YAML equivalent to a keepalived.conf: one VirtualIP per vrrp_instance.",
      "One keepalived.conf describes one host. Its priorities become priority.default, or with"
          + " --node priority.nodes[NODE] (the name the agent runs with, --node-name).",
      "Several files (one per host, each with its --node) merge into one VirtualIP per instance"
          + " name holding every host's priority; differences between the hosts are warnings.",
      "What cannot be carried over exactly is reported on stderr as FILE:LINE: KEYWORD: MESSAGE"
          + " and kept in the floatip.dev/convert-warnings annotation.",
      "Exit codes: 0 converted; 1 the config cannot be read (nothing printed); 2 --strict and"
          + " warnings (nothing printed), or a usage error."
    })
public class ConvertCommand implements Callable<Integer> {

  static final int SYNTAX_ERROR = 1;
  static final int STRICT_WARNINGS = 2;

  @Parameters(
      paramLabel = "FILE",
      arity = "1..*",
      description =
          "keepalived.conf (includes are followed). Several files: one per host, merged into one"
              + " VirtualIP per instance name; give one --node per file, in the same order.")
  List<Path> files;

  @Option(
      names = "--node",
      paramLabel = "NAME",
      description =
          "The node a file belongs to: its priorities go to priority.nodes[NAME]. Repeat it for"
              + " several files.")
  List<String> nodes = new ArrayList<>();

  @Option(
      names = "--cluster",
      description =
          "Resources for a cluster: a PASS password goes to a Secret (manifest printed after the"
              + " VirtualIPs) referenced by passwordSecretRef.")
  boolean cluster;

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      defaultValue = ConvertOptions.DEFAULT_NAMESPACE,
      description = "Namespace of the Secrets with --cluster (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--password-dir",
      paramLabel = "DIR",
      description =
          "Standalone: write each PASS password to DIR/NAME.password (mode 600) and refer to it"
              + " with passwordFile. Without it the password stays inline, as in keepalived.conf.")
  Path passwordDir;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the YAML to FILE instead of stdout.")
  Path output;

  @Option(names = "--strict", description = "Treat every warning as an error (exit code 2).")
  boolean strict;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (cluster && passwordDir != null) {
      err.println("floatip convert: --password-dir is for standalone files, not with --cluster");
      return CommandLine.ExitCode.USAGE;
    }
    if (files.size() > 1 ? nodes.size() != files.size() : nodes.size() > 1) {
      err.println(
          "floatip convert: give one --node per FILE ("
              + nodes.size()
              + " --node for "
              + files.size()
              + " files): several files are several hosts");
      return CommandLine.ExitCode.USAGE;
    }
    Path dir = passwordDir == null ? null : passwordDir.toAbsolutePath().normalize();
    List<Merge.Host> hosts = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      String node = nodes.isEmpty() ? null : nodes.get(i);
      try {
        Conversion c =
            Converter.convert(files.get(i), new ConvertOptions(node, cluster, dir, namespace));
        hosts.add(new Merge.Host(node, c));
      } catch (ConfSyntaxError e) {
        err.println("floatip convert: " + e.getMessage());
        return SYNTAX_ERROR;
      }
    }
    Conversion result = Merge.merge(hosts);
    for (ConvertWarning w : result.warnings()) {
      err.println((strict ? "error: " : "warning: ") + w);
    }
    if (strict && !result.warnings().isEmpty()) {
      err.println(
          "floatip convert: "
              + result.warnings().size()
              + " warning(s) with --strict; nothing written");
      return STRICT_WARNINGS;
    }
    for (Map.Entry<Path, String> p : result.passwordFiles().entrySet()) {
      writePrivate(p.getKey(), p.getValue() + "\n");
    }
    if (output == null) {
      out.print(result.yaml());
      out.flush();
    } else {
      Files.writeString(output, result.yaml(), StandardCharsets.UTF_8);
    }
    return 0;
  }

  private static void writePrivate(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
