package dev.floatip.process;

import java.time.Duration;

/**
 * How one run of a command ended.
 *
 * @param exitCode the exit status when {@link Status#EXITED}, else -1
 * @param output the last {@value ProcessRunner#OUTPUT_TAIL} bytes of stdout and stderr together,
 *     stripped, starting with {@code ...} when cut; when {@link Status#NOT_STARTED}, the reason
 * @param took from the start until the process ended (or was given up on)
 */
public record RunResult(Status status, int exitCode, String output, Duration took) {

  public enum Status {
    /** It exited on its own; see {@link #exitCode()}. */
    EXITED,
    /** Still running at its timeout: killed with its process group. */
    TIMED_OUT,
    /** Killed with its process group by {@link ProcessRunner.Run#cancel()} or an interrupt. */
    CANCELLED,
    /** Never started (refused, or the program is missing); {@link #output()} says why. */
    NOT_STARTED
  }

  public boolean succeeded() {
    return status == Status.EXITED && exitCode == 0;
  }

  static RunResult notStarted(String reason, Duration took) {
    return new RunResult(Status.NOT_STARTED, -1, reason, took);
  }
}
