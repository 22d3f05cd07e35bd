package dev.floatip.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code floatip version}. */
@Command(name = "version", description = "Print the version.")
public class VersionCommand implements Runnable {

  @Override
  public void run() {
    System.out.println("floatip " + version());
  }

  static String version() {
    String v = VersionCommand.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }

  /** For {@code --version}. */
  public static class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"floatip " + version()};
    }
  }
}
