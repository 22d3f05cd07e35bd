package dev.floatip.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A minimal HTTP/1.0 client whose sockets live in a lab namespace (they are made on a thread that
 * entered it), for a test in the host namespace to talk to a server inside the lab, such as the
 * {@link MockApiServer} process: Fabric8's client opens its connections on its own threads, which
 * stay in the host namespace. One request at a time, each on a new connection.
 */
public final class NetnsHttp implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A response: status code and body. */
  public record Response(int code, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON (" + code + "): " + body, e);
      }
    }
  }

  private final ExecutorService thread;
  private final String host;
  private final int port;

  public NetnsHttp(NetnsLab lab, String namespace, String host, int port) {
    this.thread = lab.executor(namespace);
    this.host = host;
    this.port = port;
  }

  public Response get(String path) {
    return send("GET", path, null, null);
  }

  public Response post(String path, String json) {
    return send("POST", path, "application/json", json);
  }

  public Response mergePatch(String path, String json) {
    return send("PATCH", path, "application/merge-patch+json", json);
  }

  public Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  private Response send(String method, String path, String type, String body) {
    try {
      return thread.submit(() -> exchange(method, path, type, body)).get(15, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(method + " " + path + ": " + e.getCause(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(method + " " + path + ": no answer in 15 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Response exchange(String method, String path, String type, String body)
      throws IOException {
    byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder()
            .append(method)
            .append(' ')
            .append(path)
            .append(" HTTP/1.0\r\nHost: ")
            .append(host)
            .append(':')
            .append(port)
            .append("\r\nAccept: application/json\r\n")
            // the test's own requests: as the cluster administrator
            .append("Authorization: Bearer ")
            .append(dev.floatip.testing.apiserver.Identity.ADMIN.token())
            .append("\r\n");
    if (type != null) {
      head.append("Content-Type: ").append(type).append("\r\n");
    }
    head.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(head.toString().getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write(payload);
      s.getOutputStream().flush();
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int end = response.indexOf("\r\n\r\n");
      if (!response.startsWith("HTTP/1.") || end < 0) {
        throw new IOException("not an HTTP response: " + response);
      }
      int code = Integer.parseInt(response.split(" ", 3)[1]);
      return new Response(code, response.substring(end + 4));
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
