package dev.floatip.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.floatip.api.v1alpha1.MailSpec;
import dev.floatip.api.v1alpha1.NotifySpec;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** keepalived's smtp_alert against GreenMail, an SMTP server in this JVM on 127.0.0.1. */
class NotifyMailTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final NotifyRuntime runtime = new NotifyRuntime();
  private GreenMail smtp;

  @BeforeEach
  void startSmtp() {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    smtp.start();
  }

  @AfterEach
  void stop() {
    runtime.close();
    smtp.stop();
  }

  private NotifySpec mail(String server, String helo) {
    return new NotifySpec(
        null,
        null,
        null,
        null,
        null,
        null,
        "10s",
        new MailSpec(
            server,
            "floatip@example.org",
            List.of("ops@example.org", "dns@example.net"),
            helo,
            "5s",
            null,
            null,
            null),
        null);
  }

  private String server() {
    return "127.0.0.1:" + smtp.getSmtp().getPort();
  }

  @Test
  void mailsEveryTransitionFaultIncludedWithKeepalivedsSubject() throws Exception {
    Notifications n = runtime.notifications("dns", mail(server(), null));
    n.notify(Transitions.startup("dns"));
    n.notify(Transitions.master("dns", 110));
    n.notify(Transitions.fault("dns", 110));
    n.notify(Transitions.stop("dns", 90));
    assertThat(n.awaitIdle(DEADLINE)).isTrue();

    // one delivery per recipient
    assertThat(smtp.waitForIncomingEmail(DEADLINE.toMillis(), 8)).isTrue();
    // GreenMail keeps a copy per recipient, mailbox by mailbox, each in arrival order
    List<MimeMessage> received = Arrays.asList(smtp.getReceivedMessages());
    List<String> inOrder =
        List.of(
            "[node-a] VRRP Instance dns - Entering BACKUP state",
            "[node-a] VRRP Instance dns - Entering MASTER state",
            "[node-a] VRRP Instance dns - Entering FAULT state",
            "[node-a] VRRP Instance dns - Entering STOP state");
    assertThat(received)
        .extracting(NotifyMailTest::subject)
        .containsExactlyElementsOf(
            java.util.stream.Stream.concat(inOrder.stream(), inOrder.stream()).toList());

    MimeMessage fault = received.get(2);
    assertThat(fault.getFrom())
        .extracting(Address::toString)
        .containsExactly("floatip@example.org");
    assertThat(fault.getRecipients(Message.RecipientType.TO))
        .extracting(Address::toString)
        .containsExactly("ops@example.org", "dns@example.net");
    assertThat(fault.getSentDate().toInstant())
        .isEqualTo(Transitions.AT.truncatedTo(ChronoUnit.SECONDS));
    String body = ((String) fault.getContent()).replace("\r\n", "\n");
    assertThat(body)
        .contains("VRRP Instance dns is now in FAULT state")
        .contains("Node:      node-a")
        .contains("Priority:  110")
        .contains("Reason:    FAULT")
        .contains("Time:      " + Transitions.AT);
  }

  @Test
  void anUnreachableServerIsLoggedAndLaterMailStillGoes() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Notifications broken = runtime.notifications("dns", mail("127.0.0.1:" + closedPort, null));
    broken.notify(Transitions.master("dns", 100));
    assertThat(broken.awaitIdle(DEADLINE)).isTrue();

    broken.update(mail(server(), "mail-helo.example.org"));
    broken.notify(Transitions.backup("dns", 100));
    await().atMost(DEADLINE).until(() -> smtp.getReceivedMessages().length == 2);
    assertThat(smtp.getReceivedMessages())
        .extracting(NotifyMailTest::subject)
        .containsOnly("[node-a] VRRP Instance dns - Entering BACKUP state");
  }

  @Test
  void smtpServerIsHostOrHostPortWithIpv6InBrackets() {
    assertThat(MailDelivery.HostPort.parse("mail.example.org", 25))
        .isEqualTo(new MailDelivery.HostPort("mail.example.org", 25));
    assertThat(MailDelivery.HostPort.parse("10.0.0.1:2525", 25))
        .isEqualTo(new MailDelivery.HostPort("10.0.0.1", 2525));
    assertThat(MailDelivery.HostPort.parse("[2001:db8::1]", 25))
        .isEqualTo(new MailDelivery.HostPort("2001:db8::1", 25));
    assertThat(MailDelivery.HostPort.parse("[2001:db8::1]:587", 25))
        .isEqualTo(new MailDelivery.HostPort("2001:db8::1", 587));
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
