package dev.floatip.notify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A TLS front for GreenMail, which speaks neither STARTTLS nor (with a certificate of our own)
 * implicit TLS: it terminates TLS with a fresh certificate for 127.0.0.1 and relays the decrypted
 * SMTP conversation to GreenMail's plain port. In STARTTLS mode it greets and answers EHLO and
 * STARTTLS itself, then relays what follows the handshake (the client's second EHLO, AUTH, MAIL…).
 * It records what the client sent after TLS, so tests see the AUTH mechanism used.
 */
final class TlsFront implements AutoCloseable {

  enum Mode {
    STARTTLS,
    IMPLICIT
  }

  /** A key pair and self-signed certificate for 127.0.0.1 made with keytool; the PEM to trust. */
  record Certificate(Path keyStore, Path pem) {
    static final String PASSWORD = "changeit";

    static Certificate create(Path dir) throws Exception {
      Path ks = dir.resolve("smtp.p12");
      Path pem = dir.resolve("ca.pem");
      String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
      run(
          keytool,
          "-genkeypair",
          "-alias",
          "smtp",
          "-keyalg",
          "EC",
          "-groupname",
          "secp256r1",
          "-dname",
          "CN=127.0.0.1",
          "-ext",
          "san=ip:127.0.0.1",
          "-validity",
          "2",
          "-keystore",
          ks.toString(),
          "-storetype",
          "PKCS12",
          "-storepass",
          PASSWORD,
          "-keypass",
          PASSWORD);
      run(
          keytool,
          "-exportcert",
          "-rfc",
          "-alias",
          "smtp",
          "-keystore",
          ks.toString(),
          "-storepass",
          PASSWORD,
          "-file",
          pem.toString());
      return new Certificate(ks, pem);
    }

    private static void run(String... command) throws Exception {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + out);
      }
    }
  }

  private final Mode mode;
  private final int backendPort;
  private final SSLContext tls;
  private final ServerSocket server;
  private final List<Socket> open = new ArrayList<>();
  private final StringBuffer afterTls = new StringBuffer();

  TlsFront(Mode mode, Certificate cert, int backendPort) throws Exception {
    this.mode = mode;
    this.backendPort = backendPort;
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(cert.keyStore())) {
      ks.load(in, Certificate.PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, Certificate.PASSWORD.toCharArray());
    this.tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    this.server = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"));
    Thread.ofVirtual().name("tls-front").start(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  /** What clients sent after the TLS handshake, every connection appended. */
  String clientCommands() {
    return afterTls.toString();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        synchronized (open) {
          open.add(s);
        }
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket plain) {
    try (plain) {
      Socket client = plain;
      if (mode == Mode.STARTTLS) {
        OutputStream out = plain.getOutputStream();
        InputStream in = plain.getInputStream();
        send(out, "220 front ESMTP\r\n");
        while (true) {
          String line = readLine(in);
          if (line == null) {
            return;
          }
          String verb = line.split(" ", 2)[0].toUpperCase(java.util.Locale.ROOT);
          if (verb.equals("EHLO")) {
            send(out, "250-front\r\n250 STARTTLS\r\n");
          } else if (verb.equals("STARTTLS")) {
            send(out, "220 go ahead\r\n");
            break;
          } else if (verb.equals("QUIT")) {
            send(out, "221 bye\r\n");
            return;
          } else {
            send(out, "530 must issue STARTTLS first\r\n");
          }
        }
      }
      SSLSocket secure =
          (SSLSocket) tls.getSocketFactory().createSocket(client, "127.0.0.1", port(), true);
      secure.setUseClientMode(false);
      secure.startHandshake();
      try (secure;
          Socket backend = new Socket(InetAddress.getByName("127.0.0.1"), backendPort)) {
        InputStream fromBackend = backend.getInputStream();
        if (mode == Mode.STARTTLS) {
          readLine(fromBackend); // GreenMail's greeting: the client had ours
        }
        Thread up = Thread.ofVirtual().start(() -> pipe(secure, backend, afterTls));
        pipe(backend, secure, null);
        up.join(TimeUnit.SECONDS.toMillis(10));
      }
    } catch (IOException | InterruptedException e) {
      // a client that gave up (the tests of refused certificates) ends here
    }
  }

  private static void pipe(Socket from, Socket to, StringBuffer record) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (record != null) {
          record.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        }
        out.write(buf, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // closed
    }
  }

  /** One CRLF line, read byte by byte: nothing after it may be consumed (the TLS handshake). */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
      }
      line.write(b);
    }
    return null;
  }

  private static void send(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() {
    try {
      server.close();
      synchronized (open) {
        for (Socket s : open) {
          s.close();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
