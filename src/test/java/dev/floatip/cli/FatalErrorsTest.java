package dev.floatip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Issue 12 item 1: an Error in any thread ends the process, never a half-alive agent. */
class FatalErrorsTest {

  private final List<Integer> halts = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final FatalErrors handler =
      new FatalErrors(halts::add, new PrintStream(err, true, StandardCharsets.UTF_8));

  @Test
  void everyErrorIsFatalAndExceptionsAreNot() {
    assertThat(FatalErrors.fatal(new OutOfMemoryError("Java heap space"))).isTrue();
    assertThat(FatalErrors.fatal(new StackOverflowError())).isTrue();
    assertThat(FatalErrors.fatal(new NoClassDefFoundError("x"))).isTrue();
    assertThat(FatalErrors.fatal(new AssertionError("bug"))).isTrue();
    assertThat(FatalErrors.fatal(new RuntimeException("wrapped", new OutOfMemoryError()))).isTrue();
    assertThat(FatalErrors.fatal(new IllegalStateException("a bug in one handler"))).isFalse();
    assertThat(FatalErrors.fatal(new RuntimeException(new java.io.IOException("x")))).isFalse();
  }

  @Test
  void anOutOfMemoryErrorInAnyThreadHaltsWithStatus3() throws InterruptedException {
    Thread t =
        Thread.ofPlatform()
            .name("vrrp-loop")
            .uncaughtExceptionHandler(handler)
            .unstarted(
                () -> {
                  throw new OutOfMemoryError("Java heap space");
                });
    t.start();
    t.join(Duration.ofSeconds(10));

    assertThat(halts).containsExactly(FatalErrors.EXIT_STATUS);
    assertThat(FatalErrors.EXIT_STATUS).isEqualTo(3); // what -XX:+ExitOnOutOfMemoryError exits with
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("FATAL: halting")
        .contains("vrrp-loop")
        .contains("OutOfMemoryError");
  }

  @Test
  void anErrorInAPoolThreadHaltsToo() {
    ExecutorService pool =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("dataplane-", 0).uncaughtExceptionHandler(handler).factory());
    try {
      pool.execute(
          () -> {
            throw new StackOverflowError();
          });
      await().atMost(Duration.ofSeconds(10)).until(() -> !halts.isEmpty());
      assertThat(halts).containsExactly(FatalErrors.EXIT_STATUS);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anUncaughtExceptionIsReportedButDoesNotHalt() {
    handler.uncaughtException(Thread.currentThread(), new IllegalStateException("oops"));
    assertThat(halts).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("thread ended").contains("oops");
  }

  @Test
  void haltsEvenWhenReportingFails() {
    PrintStream broken =
        new PrintStream(new ByteArrayOutputStream()) {
          @Override
          public void println(String x) {
            throw new OutOfMemoryError("no heap to print");
          }
        };
    new FatalErrors(halts::add, broken)
        .uncaughtException(Thread.currentThread(), new OutOfMemoryError());
    assertThat(halts).containsExactly(FatalErrors.EXIT_STATUS);
  }

  @Test
  void mainInstallsTheHandlerBeforeAnythingElse() throws Exception {
    String main =
        java.nio.file.Files.readString(
            java.nio.file.Path.of("src/main/java/dev/floatip/cli/Main.java"));
    String body = main.substring(main.indexOf("public static void main("));
    body = body.substring(body.indexOf('{') + 1).strip();
    assertThat(body).as("the first statement of Main.main").startsWith("FatalErrors.install();");
    // the agent's own entry point: after the logging property only (FatalErrors logs nothing)
    String agentMain =
        java.nio.file.Files.readString(
            java.nio.file.Path.of("src/main/java/dev/floatip/cli/AgentMain.java"));
    String agentBody = agentMain.substring(agentMain.indexOf("public static void main("));
    assertThat(agentBody.indexOf("FatalErrors.install();"))
        .as("AgentMain.main installs the handler before it runs the agent")
        .isPositive()
        .isLessThan(agentBody.indexOf("run(args)"));
  }
}
