package dev.floatip.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12 item 8: a reload that fails, hangs or throws keeps the running configuration. */
class StandaloneReloadTest {

  private static final String VIP =
      """
      apiVersion: floatip.dev/v1alpha1
      kind: VirtualIP
      metadata: {name: a}
      spec:
        addresses: [192.0.2.200/24]
        interface: eth0
        virtualRouterId: 7
        transport: {mode: Multicast}
      """;

  @TempDir Path dir;

  /** A FIFO put in place of the config file: refused at once, the router stays. */
  @Test
  void aFifoInPlaceOfTheFileDoesNotWedgeTheReload() throws Exception {
    Path file = dir.resolve("vip.yaml");
    Files.writeString(file, VIP);
    try (StandaloneAgent agent =
        new StandaloneAgent(file, "node-a", new FakeDataplane(), new MonotonicClock(), List.of())) {
      assertEquals(List.of(), agent.start());
      Files.delete(file);
      assumeTrue(mkfifo(file), "mkfifo is not available");
      assertTimeoutPreemptively(Duration.ofSeconds(5), agent::reload);
      await().atMost(Duration.ofSeconds(5)).until(() -> agent.loop().status().join().size() == 1);
      assertEquals(7, agent.loop().status().join().getFirst().vrid());
    }
  }

  /** Every failure is caught and reported, not only RuntimeException; fatal errors are not. */
  @Test
  void everyFailureButAFatalOneIsReported() {
    assertEquals(Optional.empty(), StandaloneAgent.guarded(() -> {}, "x"));
    Optional<Throwable> failed =
        StandaloneAgent.guarded(
            () -> {
              throw new ExceptionInInitializerError("broken");
            },
            "reload failed");
    assertTrue(failed.orElseThrow() instanceof ExceptionInInitializerError);
    Optional<Throwable> sneaky = StandaloneAgent.guarded(StandaloneReloadTest::sneaky, "x");
    assertTrue(sneaky.orElseThrow() instanceof IOException);
    assertThrows(
        OutOfMemoryError.class,
        () ->
            StandaloneAgent.guarded(
                () -> {
                  throw new OutOfMemoryError("test");
                },
                "x"));
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> void sneakyThrow(Exception e) throws E {
    throw (E) e;
  }

  private static void sneaky() {
    StandaloneReloadTest.<RuntimeException>sneakyThrow(new IOException("checked"));
  }

  static boolean mkfifo(Path path) throws InterruptedException {
    try {
      Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
