package dev.floatip.dataplane.linux;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The running kernel's release ({@code uname -r}, Java's {@code os.version}). */
final class KernelVersion {

  private static final Pattern RELEASE = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})\\b.*");

  private KernelVersion() {}

  /** Whether {@code release} (e.g. {@code 6.8.0-45-generic}) is at least major.minor. */
  static boolean atLeast(String release, int major, int minor) {
    Matcher m = RELEASE.matcher(release);
    if (!m.matches()) {
      return false;
    }
    int maj = Integer.parseInt(m.group(1));
    int min = Integer.parseInt(m.group(2));
    return maj > major || (maj == major && min >= minor);
  }
}
