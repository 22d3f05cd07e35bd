package dev.floatip.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.floatip.api.v1alpha1.MailAuthMechanism;
import dev.floatip.api.v1alpha1.MailAuthSpec;
import dev.floatip.api.v1alpha1.MailSpec;
import dev.floatip.api.v1alpha1.MailTls;
import dev.floatip.api.v1alpha1.NotifySpec;
import dev.floatip.api.v1alpha1.SecretKeyRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mail to a modern relay: STARTTLS and implicit TLS with the certificate verified, AUTH PLAIN and
 * LOGIN with the password from a file or a Secret, against GreenMail behind {@link TlsFront} (a TLS
 * terminator with a certificate made for the test; GreenMail itself has no STARTTLS).
 */
class NotifyMailTlsTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String USER = "alice";
  private static final String PASSWORD = "s3cret-pass";

  @TempDir static Path certs;
  private static TlsFront.Certificate cert;

  @TempDir Path dir;
  private GreenMail smtp;
  private TlsFront front;
  private Path passwordFile;

  @BeforeAll
  static void certificate() throws Exception {
    cert = TlsFront.Certificate.create(certs);
  }

  @BeforeEach
  void startSmtp() throws Exception {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    smtp.start();
    smtp.setUser("ops@example.org", USER, PASSWORD);
    passwordFile = Files.writeString(dir.resolve("smtp-password"), PASSWORD + "\n");
  }

  @AfterEach
  void stop() {
    if (front != null) {
      front.close();
    }
    smtp.stop();
  }

  private int startFront(TlsFront.Mode mode) throws Exception {
    front = new TlsFront(mode, cert, smtp.getSmtp().getPort());
    return front.port();
  }

  private MailSpec spec(int port, MailTls tls, String caFile, MailAuthSpec auth) {
    return new MailSpec(
        "127.0.0.1:" + port,
        "floatip@example.org",
        List.of("ops@example.org"),
        null,
        "5s",
        tls,
        caFile,
        auth);
  }

  private MailAuthSpec fileAuth(MailAuthMechanism mechanism, Path file) {
    return new MailAuthSpec(USER, null, file.toString(), mechanism, null);
  }

  private Optional<String> send(MailSpec spec, SecretReader secrets) throws Exception {
    return new MailDelivery(spec, Duration.ofSeconds(10), secrets)
        .send(Transitions.master("dns", 110));
  }

  @Test
  void startTlsThenAuthPlainDeliversTheMail() throws Exception {
    int port = startFront(TlsFront.Mode.STARTTLS);
    MailSpec spec =
        spec(
            port,
            MailTls.StartTLS,
            cert.pem().toString(),
            fileAuth(MailAuthMechanism.Plain, passwordFile));

    assertThat(send(spec, SecretReader.NONE)).isEmpty();

    assertThat(smtp.getReceivedMessages()).hasSize(1);
    assertThat(smtp.getReceivedMessages()[0].getSubject())
        .isEqualTo("[node-a] VRRP Instance dns - Entering MASTER state");
    // the AUTH went through the TLS session, after a second EHLO
    assertThat(front.clientCommands()).startsWith("EHLO").contains("AUTH PLAIN ");
  }

  @Test
  void authLoginWithThePasswordFromASecret() throws Exception {
    int port = startFront(TlsFront.Mode.STARTTLS);
    SecretKeyRef ref = new SecretKeyRef("smtp", "password", null);
    MailSpec spec =
        spec(
            port,
            MailTls.StartTLS,
            cert.pem().toString(),
            new MailAuthSpec(USER, ref, null, MailAuthMechanism.Login, null));

    assertThat(send(spec, r -> r.equals(ref) ? PASSWORD : "wrong")).isEmpty();

    assertThat(smtp.getReceivedMessages()).hasSize(1);
    assertThat(front.clientCommands()).contains("AUTH LOGIN").doesNotContain("AUTH PLAIN");
  }

  @Test
  void implicitTlsOnTheSubmissionsPort() throws Exception {
    int port = startFront(TlsFront.Mode.IMPLICIT);
    MailSpec spec =
        spec(port, MailTls.Implicit, cert.pem().toString(), fileAuth(null, passwordFile));

    assertThat(send(spec, SecretReader.NONE)).isEmpty();

    assertThat(smtp.getReceivedMessages()).hasSize(1);
    // GreenMail's own greeting and EHLO answer came through TLS: PLAIN is preferred
    assertThat(front.clientCommands()).contains("AUTH PLAIN ");
    assertThat(MailDelivery.defaultPort(MailTls.Implicit)).isEqualTo(465);
    assertThat(MailDelivery.defaultPort(MailTls.StartTLS)).isEqualTo(587);
    assertThat(MailDelivery.defaultPort(MailTls.None)).isEqualTo(25);
  }

  @Test
  void aWrongPasswordIsAClearError() throws Exception {
    int port = startFront(TlsFront.Mode.STARTTLS);
    Path wrong = Files.writeString(dir.resolve("wrong"), "not-it\n");
    MailSpec spec =
        spec(
            port,
            MailTls.StartTLS,
            cert.pem().toString(),
            fileAuth(MailAuthMechanism.Plain, wrong));

    assertThat(send(spec, SecretReader.NONE))
        .hasValueSatisfying(
            m -> assertThat(m).startsWith("the server refused AUTH as alice (wrong user name"));
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void aMissingPasswordFileOrSecretIsAClearError() throws Exception {
    int port = startFront(TlsFront.Mode.STARTTLS);
    MailSpec file =
        spec(
            port,
            MailTls.StartTLS,
            cert.pem().toString(),
            fileAuth(MailAuthMechanism.Plain, dir.resolve("absent")));
    assertThat(send(file, SecretReader.NONE))
        .hasValueSatisfying(m -> assertThat(m).startsWith("no SMTP password: cannot read "));

    MailSpec secret =
        spec(
            port,
            MailTls.StartTLS,
            cert.pem().toString(),
            new MailAuthSpec(USER, new SecretKeyRef("smtp", "pw", null), null, null, null));
    assertThat(
            send(
                secret,
                r -> {
                  throw new IllegalStateException("Secret floatip/smtp key pw not found");
                }))
        .hasValue("no SMTP password: Secret floatip/smtp key pw not found");
  }

  @Test
  void startTlsRequiredButNotOfferedIsRefusedNeverSentInClear() throws Exception {
    // GreenMail's plain port offers AUTH but no STARTTLS
    MailSpec spec =
        spec(
            smtp.getSmtp().getPort(),
            MailTls.StartTLS,
            null,
            fileAuth(MailAuthMechanism.Plain, passwordFile));

    assertThat(send(spec, SecretReader.NONE))
        .hasValueSatisfying(m -> assertThat(m).contains("STARTTLS"));
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void theServerCertificateIsVerifiedByDefault() throws Exception {
    int port = startFront(TlsFront.Mode.IMPLICIT);
    // no caFile: the JVM's trust store does not know the test's self-signed certificate
    MailSpec spec = spec(port, MailTls.Implicit, null, null);

    assertThat(send(spec, SecretReader.NONE))
        .hasValueSatisfying(m -> assertThat(m).containsIgnoringCase("certification path"));
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void authInClearTextOnlyWhenAllowed() throws Exception {
    MailAuthSpec clear = new MailAuthSpec(USER, null, passwordFile.toString(), null, null);
    assertThatThrownBy(
            () ->
                new MailDelivery(
                    spec(smtp.getSmtp().getPort(), null, null, clear),
                    Duration.ofSeconds(10),
                    SecretReader.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clear text");

    MailAuthSpec allowed = new MailAuthSpec(USER, null, passwordFile.toString(), null, true);
    assertThat(send(spec(smtp.getSmtp().getPort(), MailTls.None, null, allowed), SecretReader.NONE))
        .isEmpty();
    assertThat(smtp.getReceivedMessages()).hasSize(1);
  }

  @Test
  void aStalledTlsServerNeverHoldsUpNotify() throws Exception {
    // a server that accepts and never greets: notify() only queues, the mail times out later
    try (var silent =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      NotifyRuntime runtime = new NotifyRuntime();
      try {
        Notifications n =
            runtime.notifications(
                "dns",
                new NotifySpec(
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    "1s",
                    spec(
                        silent.getLocalPort(),
                        MailTls.Implicit,
                        cert.pem().toString(),
                        fileAuth(null, passwordFile)),
                    null));
        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
          n.notify(Transitions.master("dns", 100 + i));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(n.awaitIdle(DEADLINE)).isTrue();
      } finally {
        runtime.close();
      }
    }
  }
}
