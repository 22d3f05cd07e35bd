package dev.floatip.convert;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * keepalived's script strings ({@code script "..."}, {@code notify_master "..."}) as floatip
 * commands. keepalived splits the string into words itself (single quotes group words) and runs the
 * program without a shell; a string that needs a shell (redirections, pipes, variables) only worked
 * where keepalived was told to use one, so it becomes {@code /bin/sh -c STRING}.
 */
final class Commands {

  /** Characters that only mean something to a shell. */
  private static final Pattern SHELL = Pattern.compile("[|&;<>()$`*?~\\\\]");

  /** {@code < /dev/tcp/HOST/PORT}, bare or inside {@code [ba]sh -c '...'}. */
  private static final Pattern DEV_TCP =
      Pattern.compile(
          "^(?:(?:/usr)?/bin/(?:ba)?sh\\s+-c\\s+)?(['\"]?)\\s*(?:exec\\s+\\d*)?<\\s*"
              + "/dev/tcp/([^/\\s'\"]+)/([0-9]{1,5})\\s*\\1$");

  private static final Pattern SYSTEMCTL =
      Pattern.compile("^(?:(?:/usr)?/bin/)?systemctl\\s+(?:--quiet\\s+|-q\\s+)?is-active\\b.*");

  private Commands() {}

  /** The words of a keepalived command string. */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder word = null;
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '\'') {
        quoted = !quoted;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(ch) && !quoted) {
        if (word != null) {
          out.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(ch);
      }
    }
    if (word != null) {
      out.add(word.toString());
    }
    return out;
  }

  /** Whether the string only works through a shell. */
  static boolean needsShell(String text) {
    return SHELL.matcher(text).find();
  }

  /** The command floatip runs for a keepalived command string. */
  static List<String> command(String text) {
    return needsShell(text) ? List.of("/bin/sh", "-c", text) : words(text);
  }

  /** {@code host:port} of a bash {@code /dev/tcp} connect test, if the script is one. */
  static Optional<HostPort> devTcp(String text) {
    Matcher m = DEV_TCP.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new HostPort(m.group(2), Integer.parseInt(m.group(3))));
  }

  /** Whether the script asks systemd whether a unit is active. */
  static boolean isSystemctl(String text) {
    return SYSTEMCTL.matcher(text.strip()).matches();
  }

  record HostPort(String host, int port) {}
}
