package dev.floatip.config;

import dev.floatip.api.v1alpha1.MailSpec;
import dev.floatip.api.v1alpha1.NotifySpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** Checks of {@code spec.notify}. */
final class NotifyChecks {

  private static final Pattern HOST_PORT =
      Pattern.compile(
          "(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:[0-9]{1,5})?");
  private static final Pattern MAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
  private static final Duration MIN_TIMEOUT = Duration.ofMillis(1);

  private NotifyChecks() {}

  static void notify(Violations v, NotifySpec n) {
    if (n == null) {
      return;
    }
    String path = "spec.notify";
    command(v, path + ".command", n.command());
    command(v, path + ".master", n.master());
    command(v, path + ".backup", n.backup());
    command(v, path + ".fault", n.fault());
    command(v, path + ".stop", n.stop());
    v.duration(path + ".timeout", n.timeout(), MIN_TIMEOUT, null);
    mail(v, path + ".mail", n.mail());
    if (n.webhook() != null && v.requiredText(path + ".webhook.url", n.webhook().url())) {
      httpUrl(v, path + ".webhook.url", n.webhook().url());
    }
  }

  /** A program and its arguments: non-empty, no null items, a non-blank program. */
  static void command(Violations v, String path, List<String> command) {
    if (command == null) {
      return;
    }
    if (command.isEmpty()) {
      v.add(path, "must name a program");
      return;
    }
    for (int i = 0; i < command.size(); i++) {
      if (command.get(i) == null) {
        v.add(FieldPath.index(path, i), "required");
      }
    }
    if (command.getFirst() != null && command.getFirst().isBlank()) {
      v.add(FieldPath.index(path, 0), "the program must not be empty");
    }
  }

  static void httpUrl(Violations v, String path, String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        v.add(path, "must be an http:// or https:// URL with a host");
      }
    } catch (URISyntaxException e) {
      v.add(path, "not a URL: " + e.getReason());
    }
  }

  private static void mail(Violations v, String path, MailSpec m) {
    if (m == null) {
      return;
    }
    if (v.requiredText(path + ".smtpServer", m.smtpServer())) {
      var hp = HOST_PORT.matcher(m.smtpServer());
      if (!hp.matches() || (hp.group(3) != null && !validPort(hp.group(3).substring(1)))) {
        v.add(path + ".smtpServer", "must be host or host:port (port 1..65535)");
      }
    }
    if (v.requiredText(path + ".from", m.from()) && !MAIL.matcher(m.from()).matches()) {
      v.add(path + ".from", "must be a mail address");
    }
    if (m.to() == null || m.to().isEmpty()) {
      v.add(path + ".to", "at least one recipient is required");
    } else {
      for (int i = 0; i < m.to().size(); i++) {
        String item = FieldPath.index(path + ".to", i);
        if (v.requiredText(item, m.to().get(i)) && !MAIL.matcher(m.to().get(i)).matches()) {
          v.add(item, "must be a mail address");
        }
      }
    }
    v.duration(path + ".connectTimeout", m.connectTimeout(), MIN_TIMEOUT, null);
  }

  private static boolean validPort(String port) {
    int p = Integer.parseInt(port);
    return p >= 1 && p <= 65535;
  }
}
