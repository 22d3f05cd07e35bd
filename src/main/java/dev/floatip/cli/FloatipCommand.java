package dev.floatip.cli;

import picocli.CommandLine.Command;

/** {@code floatip}: floating IPs elected with VRRP. */
@Command(
    name = "floatip",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Floating IPs elected with VRRP (RFC 5798 / RFC 3768), keepalived-compatible.",
    subcommands = {
      OperatorCommand.class,
      AgentCommand.class,
      StatusCommand.class,
      GetCommand.class,
      ConvertCommand.class,
      VersionCommand.class
    })
public class FloatipCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }
}
