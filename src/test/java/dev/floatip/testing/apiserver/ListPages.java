package dev.floatip.testing.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * Paginated lists ({@code limit} and {@code continue}, metav1.ListOptions), as the apiserver's
 * storage serves them (staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go GetList): items in
 * key order ({@code namespace/name}); when more remain, {@code metadata.continue} holds a token
 * with the list's resourceVersion and the key to go on after, and {@code
 * metadata.remainingItemCount} how many; every page carries the resourceVersion of the first.
 * Unlike etcd, the later pages are cut from the store as it is when they are asked for (no
 * snapshot): an object changed in between is seen as of its own page.
 */
final class ListPages {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VERSION = "meta.k8s.io/v1";

  private ListPages() {}

  /** The token's content (apiserver/pkg/storage/continue.go continueToken). */
  private record Token(String v, String rv, String start) {}

  /**
   * The page of {@code list} (a full list, as the store answers it) that {@code limit} and {@code
   * continueToken} ask for; the list itself when neither is given.
   *
   * @param limit at most this many items; 0 or less: all the rest
   * @throws ApiError 400 for a continue token that is not one of ours
   */
  static ObjectNode page(ObjectNode list, long limit, String continueToken) {
    ObjectNode meta = list.withObject("metadata");
    String rv = meta.path("resourceVersion").asText("");
    String after = null;
    if (continueToken != null && !continueToken.isEmpty()) {
      Token t = decode(continueToken);
      rv = t.rv();
      after = t.start();
    }
    if (limit <= 0 && after == null) {
      return list;
    }
    List<JsonNode> items = new ArrayList<>();
    list.withArray("items").forEach(items::add);
    items.sort(Comparator.comparing(ListPages::key));
    List<JsonNode> rest = new ArrayList<>();
    for (JsonNode item : items) {
      if (after == null || key(item).compareTo(after) > 0) {
        rest.add(item);
      }
    }
    ArrayNode kept = JSON.createArrayNode();
    int n = limit <= 0 ? rest.size() : (int) Math.min(limit, rest.size());
    rest.subList(0, n).forEach(kept::add);
    list.set("items", kept);
    meta.put("resourceVersion", rv);
    meta.remove("continue");
    meta.remove("remainingItemCount");
    if (n < rest.size()) {
      meta.put("continue", encode(new Token(VERSION, rv, key(rest.get(n - 1)))));
      meta.put("remainingItemCount", rest.size() - n);
    }
    return list;
  }

  private static String key(JsonNode item) {
    JsonNode m = item.path("metadata");
    return m.path("namespace").asText("") + "/" + m.path("name").asText("");
  }

  private static String encode(Token t) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(JSON.writeValueAsString(t).getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Token decode(String token) {
    try {
      Token t =
          JSON.readValue(
              new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8),
              Token.class);
      if (!VERSION.equals(t.v()) || t.rv() == null || t.start() == null) {
        throw new IllegalArgumentException("not a " + VERSION + " token");
      }
      return t;
    } catch (IllegalArgumentException | JsonProcessingException e) {
      throw new ApiError(400, "BadRequest", "continue key is not valid: " + e.getMessage());
    }
  }
}
