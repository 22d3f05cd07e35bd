package dev.floatip.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each field of each YAML document is, keyed by {@link FieldPath}. Built by one streaming
 * pass over the file, so that violations found after binding can still be reported with a line and
 * column.
 */
final class YamlLocations {

  /**
   * One field or item.
   *
   * @param key where its key is, null for list items and the document root
   * @param value where its value starts
   * @param text the scalar text, null for mappings, lists and nulls
   */
  record Entry(JsonLocation key, JsonLocation value, String text) {

    /**
     * A scalar's value; for a mapping or list its key, as a block mapping "starts" at its child.
     */
    JsonLocation best() {
      return text != null || key == null ? value : key;
    }
  }

  /** One document, in file order; {@code empty} for a document without content. */
  record Document(JsonLocation start, boolean empty, Map<String, Entry> entries) {

    /** The location of a path, or of its nearest ancestor present in the file. */
    JsonLocation locate(String path) {
      Entry e = nearest(path);
      return e == null ? start : e.best();
    }

    /** The location of a path's key (for errors about the key itself), else {@link #locate}. */
    JsonLocation locateKey(String path) {
      Entry e = entries.get(path);
      return e != null && e.key() != null ? e.key() : locate(path);
    }

    /** The scalar text at a path, or null. */
    String scalar(String path) {
      Entry e = entries.get(path);
      return e == null ? null : e.text();
    }

    private Entry nearest(String path) {
      for (String p = path; ; p = FieldPath.parent(p)) {
        Entry e = entries.get(p);
        if (e != null || p.isEmpty()) {
          return e;
        }
      }
    }
  }

  /** A YAML syntax error (or duplicate key) with its location and, where known, the field. */
  static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
    final transient JsonLocation location;
    final String field;

    SyntaxError(JsonLocation location, String field, String message) {
      super(message);
      this.location = location;
      this.field = field;
    }
  }

  private record Frame(String path, boolean array, int[] nextIndex) {}

  private static final Pattern MARK = Pattern.compile("^ in '[^']*', line (\\d+), column (\\d+):");
  private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '(.*)'");

  /** Far above any real file (255 VirtualIPs of a few dozen values each): a bound on the work. */
  static final int MAX_DOCUMENTS = 1024;

  static final int MAX_VALUES = 50_000;

  private YamlLocations() {}

  /** Indexes every document, empty ones included, in order. */
  static List<Document> index(ObjectMapper yaml, String content) throws SyntaxError {
    List<Document> docs = new ArrayList<>();
    Deque<Frame> stack = new ArrayDeque<>();
    int values = 0;
    JsonParser parser = null;
    try (JsonParser p = yaml.createParser(content)) {
      parser = p;
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        Document doc = document(p, t, stack);
        docs.add(doc);
        values += doc.entries().size();
        if (docs.size() > MAX_DOCUMENTS || values > MAX_VALUES) {
          throw new SyntaxError(
              doc.start(),
              "",
              "more than "
                  + (values > MAX_VALUES ? MAX_VALUES + " values" : MAX_DOCUMENTS + " documents")
                  + " in one file; a config file is far smaller");
        }
      }
    } catch (JsonProcessingException e) {
      String field = stack.isEmpty() ? "" : stack.peek().path();
      String message = message(e.getOriginalMessage());
      Matcher dup = DUPLICATE.matcher(message);
      if (dup.find()) {
        field = FieldPath.field(field, dup.group(1));
        message = "duplicate key";
      }
      if (e instanceof StreamConstraintsException && message.contains("nesting depth")) {
        message = "nested too deep (at most " + ConfigFile.MAX_NESTING + " levels)";
      }
      // a constraint violation has no location of its own: where the parser stopped
      JsonLocation at =
          e.getLocation() != null || parser == null ? e.getLocation() : parser.currentLocation();
      throw new SyntaxError(at, field, message);
    } catch (IOException e) {
      throw new SyntaxError(null, "", e.toString());
    }
    return docs;
  }

  private static Document document(JsonParser p, JsonToken first, Deque<Frame> stack)
      throws IOException {
    JsonLocation start = p.currentTokenLocation();
    Map<String, Entry> entries = new LinkedHashMap<>();
    JsonLocation key = null;
    String field = null;
    JsonToken t = first;
    while (true) {
      if (t == JsonToken.FIELD_NAME) {
        field = p.currentName();
        key = p.currentTokenLocation();
      } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
        stack.pop();
      } else {
        Frame parent = stack.peek();
        String path = childPath(parent, field);
        JsonLocation keyAt = parent == null || parent.array() ? null : key;
        boolean container = t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY;
        String text = container || t == JsonToken.VALUE_NULL ? null : p.getText();
        entries.put(path, new Entry(keyAt, p.currentTokenLocation(), text));
        if (entries.size() > MAX_VALUES) {
          throw new JsonParseException(
              p, "more than " + MAX_VALUES + " values in one file; a config file is far smaller");
        }
        if (container) {
          stack.push(new Frame(path, t == JsonToken.START_ARRAY, new int[1]));
        }
      }
      if (stack.isEmpty()) {
        return new Document(start, first == JsonToken.VALUE_NULL, entries);
      }
      t = p.nextToken();
    }
  }

  private static String childPath(Frame parent, String field) {
    if (parent == null) {
      return "";
    }
    if (parent.array()) {
      return FieldPath.index(parent.path(), parent.nextIndex()[0]++);
    }
    return FieldPath.field(parent.path(), field);
  }

  /**
   * SnakeYAML's messages span lines: "context / mark / snippet / problem / mark / snippet". Keeps
   * the problem and says where the context started: {@code expected ',' or ']', but got : (while
   * parsing a flow sequence at line 6, column 14)}.
   */
  static String message(String raw) {
    if (raw == null) {
      return "syntax error";
    }
    List<String> texts = new ArrayList<>();
    List<String> marks = new ArrayList<>();
    for (String line : raw.split("\n")) {
      Matcher m = MARK.matcher(line);
      if (m.find()) {
        marks.add("line " + m.group(1) + ", column " + m.group(2));
      } else if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        texts.add(line.strip());
      }
    }
    if (texts.size() >= 2 && !marks.isEmpty()) {
      return texts.get(1) + " (" + texts.get(0) + " at " + marks.get(0) + ")";
    }
    return texts.isEmpty() ? raw.strip() : texts.get(0);
  }
}
