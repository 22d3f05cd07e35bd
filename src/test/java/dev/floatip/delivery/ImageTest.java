package dev.floatip.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile cannot be built here (no Docker engine); these checks keep it in line with what
 * can be checked: the launcher's JVM flags, the non-root user the chart expects, the jar it runs.
 */
class ImageTest {

  private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile");

  @Test
  void imageUsesTheLaunchersSmallJvmFlags() throws IOException {
    String script = Files.readString(Path.of("hack/floatip"));
    // the JVM flags (the opts array), not the AOT cache's per-run options
    String launcher =
        script.substring(script.indexOf("opts=("), script.indexOf(")\n", script.indexOf("opts=(")));
    List<String> flags = new ArrayList<>();
    Matcher m =
        Pattern.compile(
                "(?m)(?<=\\s)(-XX:[^\\s\\\\]+|-Xmx\\S+|-Xss\\S+|--enable-native-access=\\S+)")
            .matcher(launcher);
    while (m.find()) {
      flags.add(m.group(1));
    }
    assertThat(flags).as("flags found in hack/floatip").hasSizeGreaterThanOrEqualTo(8);
    String env = javaOpts();
    for (String flag : flags) {
      assertThat(env).as("JAVA_OPTS in %s has hack/floatip's %s", DOCKERFILE, flag).contains(flag);
    }
  }

  @Test
  void defaultUserIsTheNonRootUserTheChartRunsAs() throws IOException {
    String dockerfile = Files.readString(DOCKERFILE);
    Matcher user = Pattern.compile("(?m)^USER (\\d+)(?::(\\d+))?$").matcher(dockerfile);
    assertThat(user.find()).as("a numeric USER (runAsNonRoot needs a number)").isTrue();
    assertThat(user.group(1)).isEqualTo("10001");
    String chart = Files.readString(Helm.CHART.resolve("templates/deployment.yaml"));
    assertThat(chart).contains("runAsUser: " + user.group(1)).contains("runAsNonRoot: true");
  }

  @Test
  void entrypointRunsTheQuarkusFastJarWithTheOptions() throws IOException {
    String dockerfile = Files.readString(DOCKERFILE);
    assertThat(dockerfile)
        .contains("COPY --chown=0:0 target/quarkus-app/")
        .contains("-jar /opt/floatip/quarkus-run.jar")
        .contains("$JAVA_OPTS $JAVA_OPTS_APPEND");
    // the agent container's read-only root filesystem leaves /tmp (an emptyDir) for JNA
    assertThat(javaOpts()).contains("-Djna.tmpdir=/tmp");
  }

  /**
   * Issue 15: the agent starts without Quarkus, on the plain class path with the image's AOT cache,
   * whether the DaemonSet runs it (its command) or {@code docker run IMAGE agent}; the cache is
   * made at build from the same JAVA_OPTS and the same class path file.
   */
  @Test
  void theAgentStartsFromAgentMainWithTheBuildsAotCache() throws IOException {
    String dockerfile = Files.readString(DOCKERFILE).replace("\\\n", " ");
    List<String> command = dev.floatip.operator.model.AgentDaemonSetFactory.COMMAND;
    String main = command.getLast();
    assertThat(main).isEqualTo(dev.floatip.cli.AgentMain.class.getName());
    // the training run: the same flags (JAVA_OPTS) and class path file as every start
    assertThat(dockerfile)
        .containsPattern(
            "java \\$JAVA_OPTS @agent.args -XX:AOTCacheOutput=/opt/floatip/agent.aot "
                + main.replace(".", "\\.")
                + " train cluster")
        .contains(
            "printf '%s\\n' $JAVA_OPTS -Xmn2m; echo -XX:AOTCache=/opt/floatip/agent.aot; } > agent-jvm.args")
        .contains("WORKDIR /opt/floatip");
    // the class path: every jar, in a fixed order, as hack/floatip and the tests' LabDaemon list it
    assertThat(dockerfile)
        .contains(
            "ls app/*.jar | LC_ALL=C sort; ls lib/boot/*.jar | LC_ALL=C sort; ls lib/main/*.jar |"
                + " LC_ALL=C sort;");
    assertThat(Files.readString(Path.of("hack/floatip")))
        .contains(
            "ls \"$app\"/app/*.jar | LC_ALL=C sort; ls \"$app\"/lib/boot/*.jar | LC_ALL=C sort; ls"
                + " \"$app\"/lib/main/*.jar | LC_ALL=C sort")
        .contains("dev.floatip.cli.AgentMain train $mode")
        .contains("@\"$args\" dev.floatip.cli.AgentMain \"$@\"");
    // the DaemonSet's command is the entrypoint's agent branch, minus the shell
    String agentBranch =
        String.join(" ", command.subList(0, 2))
            + " $JAVA_OPTS_APPEND "
            + String.join(" ", command.subList(2, command.size()))
            + " \\\"$@\\\"";
    assertThat(dockerfile).contains("if [ \\\"$1\\\" = agent ]; then exec " + agentBranch);
  }

  private static String javaOpts() throws IOException {
    String dockerfile = Files.readString(DOCKERFILE).replace("\\\n", " ");
    Matcher env = Pattern.compile("ENV JAVA_OPTS=\"([^\"]*)\"").matcher(dockerfile);
    assertThat(env.find()).as("ENV JAVA_OPTS=\"…\" in %s", DOCKERFILE).isTrue();
    return env.group(1);
  }
}
