package dev.floatip.notify;

import dev.floatip.api.v1alpha1.MailSpec;
import dev.floatip.config.Durations;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.jboss.logging.Logger;

/**
 * keepalived's {@code smtp_alert}: one plain-text mail per transition, subject {@code [<node>] VRRP
 * Instance <name> - Entering <STATE> state}. Unlike keepalived, FAULT is mailed too. Plain SMTP
 * without authentication or TLS, as keepalived; one attempt, a failure is logged.
 */
final class MailDelivery implements Delivery {

  private static final Logger LOG = Logger.getLogger(MailDelivery.class);
  static final int DEFAULT_PORT = 25;

  private final String host;
  private final int port;
  private final InternetAddress from;
  private final InternetAddress[] to;
  private final String heloName;
  private final Duration connectTimeout;
  private final Duration ioTimeout;

  /**
   * @param ioTimeout read and write timeout of the SMTP conversation (the notify timeout)
   */
  MailDelivery(MailSpec spec, Duration ioTimeout) {
    HostPort hp = HostPort.parse(spec.smtpServer(), DEFAULT_PORT);
    this.host = hp.host();
    this.port = hp.port();
    this.from = address(spec.from());
    this.to = spec.to().stream().map(MailDelivery::address).toArray(InternetAddress[]::new);
    this.heloName = spec.heloName();
    this.connectTimeout = Durations.parse(spec.connectTimeoutOrDefault());
    this.ioTimeout = ioTimeout;
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
    Properties props = new Properties();
    props.setProperty("mail.smtp.host", host);
    props.setProperty("mail.smtp.port", Integer.toString(port));
    props.setProperty("mail.smtp.connectiontimeout", millis(connectTimeout));
    props.setProperty("mail.smtp.timeout", millis(ioTimeout));
    props.setProperty("mail.smtp.writetimeout", millis(ioTimeout));
    props.setProperty("mail.smtp.localhost", heloName != null ? heloName : t.node());
    Session session = Session.getInstance(props);
    try {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(from);
      message.setRecipients(Message.RecipientType.TO, to);
      message.setSubject(subject(t), "UTF-8");
      message.setSentDate(Date.from(t.at()));
      message.setText(body(t), "UTF-8");
      Transport.send(message);
      LOG.debugf("notify %s %s: mailed %d recipients", t.vip(), t.stateWord(), to.length);
    } catch (MessagingException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException();
      }
      LOG.warnf(
          "notify %s %s: mail via %s:%d failed: %s", t.vip(), t.stateWord(), host, port, cause(e));
    }
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
