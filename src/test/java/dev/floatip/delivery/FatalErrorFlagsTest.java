package dev.floatip.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.operator.model.AgentDaemonSetFactory;
import dev.floatip.operator.model.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 1: every way the agent is launched ends the JVM on its first OutOfMemoryError
 * ({@code -XX:+ExitOnOutOfMemoryError}), even where a framework (Vert.x, an executor's future)
 * catches the error before {@code FatalErrors} sees it. Without the flag an agent out of heap kept
 * its VIP, sent no adverts and ignored SIGTERM.
 */
class FatalErrorFlagsTest {

  static final String FLAG = "-XX:+ExitOnOutOfMemoryError";

  @Test
  void theLauncherScriptHasIt() throws IOException {
    String script = Files.readString(Path.of("hack/floatip"));
    int opts = script.indexOf("opts=(");
    assertThat(opts).as("the JVM flags array opts=(…)").isNotNegative();
    assertThat(script.substring(opts, script.indexOf(")\n", opts))).contains(FLAG);
    // both ways it starts java (agent: AgentMain; the rest: the Quarkus jar) and the AOT training
    List<String> javas =
        script.replace("\\\n", " ").lines().filter(l -> l.contains("\"$java\"")).toList();
    assertThat(javas).hasSize(3).allMatch(l -> l.contains("\"${opts[@]}\""));
  }

  @Test
  void theImageHasItInJavaOptsWhichTheChartOnlyAppendsTo() throws IOException {
    String dockerfile =
        Files.readString(Path.of("src/main/docker/Dockerfile")).replace("\\\n", " ");
    assertThat(dockerfile).containsPattern("ENV JAVA_OPTS=\"[^\"]*" + FLAG.replace("+", "\\+"));
    String chart = Files.readString(Helm.CHART.resolve("templates/deployment.yaml"));
    assertThat(chart).doesNotContain("name: JAVA_OPTS\n");
  }

  @Test
  void theAgentDaemonSetKeepsTheImagesJavaOpts() {
    Container agent =
        AgentDaemonSetFactory.build(OperatorConfig.defaults())
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    // java @agent-jvm.args …: the image writes that file from its JAVA_OPTS (ImageTest)
    assertThat(agent.getCommand()).isEqualTo(AgentDaemonSetFactory.COMMAND);
    assertThat(agent.getCommand().get(1)).isEqualTo("@/opt/floatip/agent-jvm.args");
    assertThat(agent.getEnv()).extracting(EnvVar::getName).doesNotContain("JAVA_OPTS");
  }

  @Test
  void theBenchmarkAndTheTestsLaunchAgentsWithIt() throws IOException {
    String bench = Files.readString(Path.of("hack/bench.sh"));
    assertThat(bench).contains("FATAL_OPTS=\"" + FLAG + "\"");
    assertThat(javaLine(bench, "echo \"$JAVA ")).contains("$FATAL_OPTS");
    // the lab (hack/lab.sh, hack/lab-cluster.sh) runs hack/floatip
    assertThat(Files.readString(Path.of("hack/lab.sh"))).contains("hack/floatip agent");
    assertThat(Files.readString(Path.of("hack/lab-cluster.sh"))).contains("hack/floatip agent");
    String harness = Files.readString(Path.of("src/test/java/dev/floatip/testing/LabDaemon.java"));
    String command = harness.substring(harness.indexOf("List<String> floatipCommand("));
    assertThat(command.substring(0, command.indexOf("\"-cp\""))).contains('"' + FLAG + '"');
    assertThat(command.substring(0, command.indexOf("\"-jar\""))).contains('"' + FLAG + '"');
  }

  /** The logical line (continuations joined) that starts with {@code start}. */
  private static String javaLine(String script, String start) {
    String joined = script.replace("\\\n", " ");
    return joined
        .lines()
        .map(String::strip)
        .filter(l -> l.startsWith(start))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line starting with " + start));
  }
}
