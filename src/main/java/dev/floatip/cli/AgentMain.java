package dev.floatip.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import org.jboss.logging.Logger;
import picocli.CommandLine;

/**
 * {@code floatip agent} without Quarkus (issue 15): no CDI, no config system, no Vert.x; picocli
 * parses the same options as {@link AgentCommand}. {@code hack/floatip}, the image and the
 * DaemonSet start it directly on a plain class path ({@code java -cp <jars>
 * dev.floatip.cli.AgentMain agent …}), so a JDK AOT cache covers the application's classes; {@link
 * Main#main} hands {@code agent} to it too, so {@code java -jar quarkus-run.jar agent …} works.
 */
public final class AgentMain {

  /** The first argument, as in {@code floatip agent …}. */
  public static final String COMMAND = "agent";

  private AgentMain() {}

  public static void main(String... args) {
    // before any logger exists: JBoss LogManager, as under Quarkus (slf4j and JBoss Logging bind
    // to it, LogFormat configures it)
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
    }
    FatalErrors.install(); // an Error in any thread ends the process: no half-alive agent
    if (Main.runsAgent(Arrays.asList(args))) {
      // before anything else: a TERM during start-up must not be lost (see AgentSignals)
      AgentSignals.install();
    }
    System.exit(run(args));
  }

  /** Runs {@code agent ARGS…} and returns the exit status. */
  static int run(String... args) {
    if (args.length > 0 && args[0].equals(AgentTraining.COMMAND)) {
      try {
        return AgentTraining.run(
            args.length > 1 && args[1].equals("cluster")
                ? AgentTraining.Mode.CLUSTER
                : AgentTraining.Mode.STANDALONE);
      } catch (Exception e) {
        e.printStackTrace();
        return 1;
      }
    }
    if (args.length == 0 || !args[0].equals(COMMAND)) {
      System.err.println(
          "usage: "
              + AgentMain.class.getName()
              + " agent [OPTIONS]  (or: train [standalone|cluster], the AOT training run)");
      return 2;
    }
    LogFormat.configurePlain(System.getenv(LogFormat.ENV));
    AgentCommand plain = plainOptions(Arrays.copyOfRange(args, 1, args.length));
    if (plain != null) {
      try {
        return plain.call();
      } catch (Exception e) {
        Logger.getLogger(AgentMain.class).error("floatip failed", e);
        return 1;
      }
    }
    return new CommandLine(new AgentCommand())
        .setCommandName("floatip agent")
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              Logger.getLogger(AgentMain.class).error("floatip failed", e);
              return 1;
            })
        .execute(Arrays.copyOfRange(args, 1, args.length));
  }

  /**
   * The usual command lines ({@code --config}, {@code --node-name}, {@code --metrics-address}, each
   * at most once, as {@code --opt VALUE} or {@code --opt=VALUE}) without picocli: its jar is
   * compiled for Java 5, the JDK's AOT cache cannot hold such classes (the training log says "Old
   * class has been linked"), and loading and verifying its ~170 classes from the jar is on the way
   * to the first advert (issue 15). Anything else (help, version, an unknown or repeated option, an
   * empty value) returns null: picocli parses it, with its messages.
   */
  static AgentCommand plainOptions(String... args) {
    AgentCommand cmd = new AgentCommand();
    cmd.metricsAddress = Main.DEFAULT_METRICS_ADDRESS;
    boolean config = false;
    boolean node = false;
    boolean metrics = false;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value;
      int eq = name.indexOf('=');
      if (name.startsWith("--") && eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        return null;
      }
      if (value.isEmpty() || value.startsWith("-")) {
        return null; // picocli's message, not a path named like an option
      }
      switch (name) {
        case "--config" -> {
          if (config) {
            return null;
          }
          config = true;
          try {
            cmd.config = Path.of(value);
          } catch (InvalidPathException e) {
            return null;
          }
        }
        case "--node-name" -> {
          if (node) {
            return null;
          }
          node = true;
          cmd.nodeName = value;
        }
        case AgentCommand.METRICS_ADDRESS -> {
          if (metrics) {
            return null;
          }
          metrics = true;
          cmd.metricsAddress = value;
        }
        default -> {
          return null;
        }
      }
    }
    return cmd;
  }
}
