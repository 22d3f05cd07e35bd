package dev.floatip.notify;

import dev.floatip.config.InputFile;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** {@code mail.caFile}: PEM CA certificates trusted instead of the JVM's trust store. */
final class TrustFile {

  /** Far more than any CA bundle (the Mozilla one is about 220 KiB). */
  static final int MAX_BYTES = 1024 * 1024;

  private TrustFile() {}

  /**
   * A TLS socket factory trusting exactly the certificates in {@code pem}.
   *
   * @throws IllegalArgumentException naming the file when it is unreadable or holds no certificate
   */
  static SSLSocketFactory socketFactory(Path pem) {
    try {
      String text = InputFile.read(pem, MAX_BYTES);
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("caFile " + pem + " holds no PEM certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (InputFile.Refused e) {
      throw new IllegalArgumentException("caFile: cannot read " + pem + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException(
          "caFile " + pem + ": not PEM certificates (" + e.getMessage() + ")", e);
    }
  }
}
