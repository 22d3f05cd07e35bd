package dev.floatip.config;

import dev.floatip.api.v1alpha1.MailAuthSpec;
import dev.floatip.api.v1alpha1.MailSpec;
import dev.floatip.api.v1alpha1.MailTls;
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

  static void notify(Violations v, NotifySpec n, Mode mode) {
    if (n == null) {
      return;
    }
    String path = "spec.notify";
    command(v, path + ".command", n.command());
    command(v, path + ".master", n.master());
    command(v, path + ".backup", n.backup());
    command(v, path + ".fault", n.fault());
    command(v, path + ".stop", n.stop());
    if (n.user() != null && !TrackChecks.USER.matcher(n.user()).matches()) {
      v.add(path + ".user", "must be user or user:group");
    }
    v.duration(path + ".timeout", n.timeout(), MIN_TIMEOUT, null);
    mail(v, path + ".mail", n.mail(), mode);
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

  private static void mail(Violations v, String path, MailSpec m, Mode mode) {
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
    if (m.caFile() != null) {
      if (mode == Mode.CLUSTER) {
        v.add(
            path + ".caFile",
            "only in a standalone file; in a cluster the image's trust store is used");
      } else if (!m.caFile().startsWith("/")) {
        v.add(path + ".caFile", "must be an absolute path");
      }
    }
    auth(v, path + ".auth", m.auth(), m.tlsOrDefault(), mode);
  }

  /** SMTP AUTH: the password from a Secret or a file, never sent in clear unless allowed. */
  private static void auth(Violations v, String path, MailAuthSpec a, MailTls tls, Mode mode) {
    if (a == null) {
      return;
    }
    if (v.requiredText(path + ".username", a.username())
        && (a.username().length() > 256 || a.username().chars().anyMatch(c -> c < 0x20))) {
      v.add(path + ".username", "must be 1..256 characters without control characters");
    }
    if ((a.passwordSecretRef() != null ? 1 : 0) + (a.passwordFile() != null ? 1 : 0) != 1) {
      v.add(path, "set exactly one of passwordSecretRef, passwordFile");
    }
    if (a.passwordFile() != null) {
      if (mode == Mode.CLUSTER) {
        v.add(path + ".passwordFile", "only in a standalone file; use passwordSecretRef");
      } else if (!a.passwordFile().startsWith("/")) {
        v.add(path + ".passwordFile", "must be an absolute path");
      }
    }
    if (a.passwordSecretRef() != null) {
      if (mode == Mode.STANDALONE) {
        v.add(
            path + ".passwordSecretRef",
            "only in a cluster; use passwordFile in a standalone file");
      } else {
        VirtualIPValidator.secretKeyRef(v, path + ".passwordSecretRef", a.passwordSecretRef());
      }
    }
    if (tls == MailTls.None && !a.allowCleartextOrDefault()) {
      v.add(
          path,
          "AUTH would send the password in clear text: set tls to StartTLS or Implicit, or"
              + " auth.allowCleartext to true");
    }
  }

  private static boolean validPort(String port) {
    int p = Integer.parseInt(port);
    return p >= 1 && p <= 65535;
  }
}
