package dev.floatip.notify;

import dev.floatip.api.v1alpha1.MailAuthMechanism;
import dev.floatip.api.v1alpha1.MailAuthSpec;
import dev.floatip.api.v1alpha1.MailSpec;
import dev.floatip.api.v1alpha1.MailTls;
import dev.floatip.config.Durations;
import dev.floatip.config.InputFile;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;
import org.jboss.logging.Logger;

/**
 * keepalived's {@code smtp_alert}: one plain-text mail per transition, subject {@code [<node>] VRRP
 * Instance <name> - Entering <STATE> state}. Unlike keepalived, FAULT is mailed too. One attempt; a
 * failure is logged with its cause.
 *
 * <p>Beyond keepalived (plain SMTP only): STARTTLS (RFC 3207; required when asked for: a server
 * that does not offer it is refused, never fallen back from) or implicit TLS (RFC 8314, port 465),
 * the certificate and host name always verified against the JVM's trust store or {@code caFile};
 * and AUTH PLAIN or LOGIN with the password read at each mail from its file or Secret (a rotated
 * password is used from the next mail). AUTH without TLS only when {@code allowCleartext}.
 */
final class MailDelivery implements Delivery {

  private static final Logger LOG = Logger.getLogger(MailDelivery.class);
  static final int DEFAULT_PORT = 25;
  static final int SUBMISSION_PORT = 587;
  static final int SUBMISSIONS_PORT = 465;

  /** A password file holds one line; more is a mistake (and must not fill the heap). */
  static final int MAX_PASSWORD_FILE_BYTES = 4096;

  private final String host;
  private final int port;
  private final InternetAddress from;
  private final InternetAddress[] to;
  private final String heloName;
  private final Duration connectTimeout;
  private final Duration ioTimeout;
  private final MailTls tls;
  private final SSLSocketFactory sockets;
  private final MailAuthSpec auth;
  private final SecretReader secrets;

  /**
   * @param ioTimeout read and write timeout of the SMTP conversation (the notify timeout)
   * @param secrets reads {@code auth.passwordSecretRef} (cluster mode)
   * @throws IllegalArgumentException when the spec cannot be used (bad address, unreadable caFile,
   *     AUTH in clear text not allowed)
   */
  MailDelivery(MailSpec spec, Duration ioTimeout, SecretReader secrets) {
    this.tls = spec.tlsOrDefault();
    HostPort hp = HostPort.parse(spec.smtpServer(), defaultPort(tls));
    this.host = hp.host();
    this.port = hp.port();
    this.from = address(spec.from());
    this.to = spec.to().stream().map(MailDelivery::address).toArray(InternetAddress[]::new);
    this.heloName = spec.heloName();
    this.connectTimeout = Durations.parse(spec.connectTimeoutOrDefault());
    this.ioTimeout = ioTimeout;
    this.sockets = spec.caFile() == null ? null : TrustFile.socketFactory(Path.of(spec.caFile()));
    this.auth = spec.auth();
    this.secrets = secrets;
    if (auth != null && tls == MailTls.None && !auth.allowCleartextOrDefault()) {
      throw new IllegalArgumentException(
          "auth without tls would send the password in clear text (auth.allowCleartext: true"
              + " allows it)");
    }
  }

  static int defaultPort(MailTls tls) {
    return switch (tls) {
      case None -> DEFAULT_PORT;
      case StartTLS -> SUBMISSION_PORT;
      case Implicit -> SUBMISSIONS_PORT;
    };
  }

  @Override
  public String kind() {
    return "mail";
  }

  static String subject(Transition t) {
    return "["
        + t.node()
        + "] VRRP Instance "
        + t.vip()
        + " - Entering "
        + t.stateWord()
        + " state";
  }

  static String body(Transition t) {
    return String.join(
        "\n",
        List.of(
            "=> VRRP Instance " + t.vip() + " is now in " + t.stateWord() + " state <=",
            "",
            "Node:      " + t.node(),
            "Instance:  " + t.vip() + " (" + t.familyName() + ")",
            "Previous:  " + t.from(),
            "Now:       " + t.to(),
            "Priority:  " + t.priority(),
            "Reason:    " + t.reason(),
            "Time:      " + t.at(),
            ""));
  }

  @Override
  public void deliver(Transition t) throws InterruptedException {
    send(t)
        .ifPresentOrElse(
            problem ->
                LOG.warnf(
                    "notify %s %s: mail via %s:%d failed: %s",
                    t.vip(), t.stateWord(), host, port, problem),
            () ->
                LOG.debugf(
                    "notify %s %s: mailed %d recipients", t.vip(), t.stateWord(), to.length));
  }

  /** Sends one mail; empty when the server took it, else why not. */
  Optional<String> send(Transition t) throws InterruptedException {
    String password = null;
    if (auth != null) {
      try {
        password = password();
      } catch (IllegalStateException e) {
        return Optional.of("no SMTP password: " + e.getMessage());
      }
    }
    Session session = Session.getInstance(properties(t));
    try {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(from);
      message.setRecipients(Message.RecipientType.TO, to);
      message.setSubject(subject(t), "UTF-8");
      message.setSentDate(Date.from(t.at()));
      message.setText(body(t), "UTF-8");
      if (auth == null) {
        Transport.send(message);
      } else {
        Transport.send(message, auth.username(), password);
      }
      return Optional.empty();
    } catch (AuthenticationFailedException e) {
      return Optional.of(
          "the server refused AUTH as "
              + auth.username()
              + " (wrong user name or password?): "
              + cause(e));
    } catch (MessagingException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException();
      }
      return Optional.of(cause(e));
    }
  }

  Properties properties(Transition t) {
    Properties props = new Properties();
    props.setProperty("mail.smtp.host", host);
    props.setProperty("mail.smtp.port", Integer.toString(port));
    props.setProperty("mail.smtp.connectiontimeout", millis(connectTimeout));
    props.setProperty("mail.smtp.timeout", millis(ioTimeout));
    props.setProperty("mail.smtp.writetimeout", millis(ioTimeout));
    props.setProperty("mail.smtp.localhost", heloName != null ? heloName : t.node());
    switch (tls) {
      case None -> {}
      case StartTLS -> {
        props.setProperty("mail.smtp.starttls.enable", "true");
        props.setProperty("mail.smtp.starttls.required", "true");
      }
      case Implicit -> props.setProperty("mail.smtp.ssl.enable", "true");
    }
    if (tls != MailTls.None) {
      props.setProperty("mail.smtp.ssl.checkserveridentity", "true");
      if (sockets != null) {
        props.put("mail.smtp.ssl.socketFactory", sockets);
      }
    }
    if (auth != null) {
      props.setProperty("mail.smtp.auth", "true");
      props.setProperty("mail.smtp.auth.mechanisms", mechanisms(auth.mechanism()));
    } else {
      props.setProperty("mail.smtp.auth", "false");
    }
    return props;
  }

  /** Angus Mail's mechanism list, in order of preference. */
  static String mechanisms(MailAuthMechanism m) {
    if (m == null) {
      return "PLAIN LOGIN";
    }
    return switch (m) {
      case Plain -> "PLAIN";
      case Login -> "LOGIN";
    };
  }

  private String password() {
    if (auth.passwordFile() != null) {
      try {
        return InputFile.read(Path.of(auth.passwordFile()), MAX_PASSWORD_FILE_BYTES)
            .replaceFirst("\r?\n$", "");
      } catch (InputFile.Refused e) {
        throw new IllegalStateException(
            "cannot read " + auth.passwordFile() + ": " + e.getMessage(), e);
      }
    }
    return secrets.read(auth.passwordSecretRef());
  }

  private static String cause(Throwable e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != e; c = c.getCause()) {
      sb.append(": ").append(c.getMessage());
      e = c;
    }
    return sb.toString();
  }

  private static String millis(Duration d) {
    return Long.toString(Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis())));
  }

  private static InternetAddress address(String text) {
    try {
      return new InternetAddress(text, true);
    } catch (AddressException e) {
      throw new IllegalArgumentException("not a mail address: " + text, e);
    }
  }

  /** {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}. */
  record HostPort(String host, int port) {
    static HostPort parse(String text, int defaultPort) {
      String host = text;
      int port = defaultPort;
      if (text.startsWith("[")) {
        int close = text.indexOf(']');
        if (close < 0) {
          throw new IllegalArgumentException("unclosed [ in " + text);
        }
        host = text.substring(1, close);
        if (text.length() > close + 1) {
          if (text.charAt(close + 1) != ':') {
            throw new IllegalArgumentException("expected :port after ] in " + text);
          }
          port = Integer.parseInt(text.substring(close + 2));
        }
      } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
        int colon = text.indexOf(':');
        host = text.substring(0, colon);
        port = Integer.parseInt(text.substring(colon + 1));
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range in " + text);
      }
      return new HostPort(host, port);
    }
  }
}
