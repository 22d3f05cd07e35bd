package dev.floatip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Issue 12 item 11: {@code floatip agent --help} and {@code floatip status --help} work. */
class HelpTest {

  @ParameterizedTest
  @ValueSource(strings = {"agent", "status"})
  void helpPrintsUsageOnStdoutAndExitsZero(String command) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli =
        new CommandLine(new FloatipCommand())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err));

    int status = cli.execute(command, "--help");

    assertThat(status).isZero();
    assertThat(out.toString()).startsWith("Usage: floatip " + command);
    assertThat(err.toString()).isEmpty();
  }
}
