package dev.floatip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15: {@code floatip agent} never boots Quarkus, whether started from {@link Main} (as {@code
 * java -jar quarkus-run.jar agent}) or from {@link AgentMain} (the launchers). A child JVM on this
 * test's class path (Quarkus, Arc, Vert.x all on it) runs an agent start that ends at its config
 * check; the JVM's class-load log must show none of them.
 */
class AgentDispatchTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(classes = {Main.class, AgentMain.class})
  void anAgentStartLoadsNoQuarkusArcOrVertx(Class<?> entry) throws Exception {
    Path config = dir.resolve("vip.yaml");
    Files.writeString(config, "apiVersion: floatip.dev/v1alpha1\nkind: VirtualIP\nspec: {}\n");
    Path classes = dir.resolve("classes.log");
    Path out = dir.resolve("out.log");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xlog:class+load=info:file=" + classes,
                "-cp",
                System.getProperty("java.class.path"),
                entry.getName(),
                "agent",
                "--config",
                config.toString(),
                "--node-name",
                "n1",
                "--metrics-address",
                "127.0.0.1:0")
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the agent exits").isTrue();
    String output = Files.readString(out);
    // it got as far as the config (or, unprivileged, the dataplane): a real start, then an error
    assertThat(p.exitValue()).as(output).isIn(1, 2);
    assertThat(output).containsAnyOf("vip.yaml", "netlink");
    List<String> loaded = loadedClasses(classes);
    assertThat(loaded).as("classes loaded").contains("dev.floatip.cli.AgentCommand");
    // Main implements QuarkusApplication: the interface is loaded with it, and starts nothing
    assertThat(loaded)
        .filteredOn(
            c ->
                (c.startsWith("io.quarkus.runtime.")
                        && !c.equals("io.quarkus.runtime.QuarkusApplication"))
                    || c.startsWith("io.quarkus.arc.")
                    || c.startsWith("io.vertx.")
                    || c.startsWith("io.netty.")
                    || c.startsWith("io.smallrye.config."))
        .as("Quarkus, Arc, Vert.x, Netty or SmallRye Config classes in an agent start")
        .isEmpty();
    assertThat(loaded)
        .doesNotContain("io.quarkus.runtime.Quarkus", "io.quarkus.runtime.Application");
    // picocli's Java 5 classes cannot be in the AOT cache: the usual options never load them
    assertThat(loaded)
        .filteredOn(c -> c.startsWith("picocli."))
        .as("picocli classes in a plain agent start")
        .isEmpty();
  }

  private static List<String> loadedClasses(Path log) throws IOException {
    return Files.readAllLines(log).stream()
        .map(l -> l.replaceFirst("^.*\\[class,load\\]\\s+", ""))
        .map(l -> l.split(" ", 2)[0])
        .toList();
  }
}
