package dev.floatip.convert;

import dev.floatip.config.InputFile;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Reads keepalived.conf syntax into {@link ConfNode}s, as keepalived.conf(5) describes it: one
 * statement per line, {@code keyword args { ... }} blocks (also written on one line, or with the
 * brace on the next line), {@code "quoted strings"} as one word, {@code !} and {@code #} comments,
 * and {@code include PATTERN} with shell globs resolved relative to the including file's directory.
 */
public final class ConfParser {

  private static final int MAX_INCLUDE_DEPTH = 16;

  /** Blocks nested deeper than this are refused (keepalived's deepest real nesting is 3). */
  static final int MAX_BLOCK_DEPTH = 64;

  /** The largest file read, includes each. */
  static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

  /** Files one include pattern may match, and directory entries it may look at. */
  static final int MAX_INCLUDED_FILES = 256;

  static final int MAX_GLOB_ENTRIES = 10_000;

  private enum Kind {
    WORD,
    OPEN,
    CLOSE,
    EOL
  }

  private record Token(Kind kind, String text, Location at) {}

  private final List<ConvertWarning> warnings;
  private final Deque<Path> including = new ArrayDeque<>();

  private ConfParser(List<ConvertWarning> warnings) {
    this.warnings = warnings;
  }

  /**
   * The statements of a file with its includes spliced in. Problems that keepalived would only log
   * (an include pattern matching nothing) are added to {@code warnings}.
   */
  public static List<ConfNode> parse(Path file, List<ConvertWarning> warnings)
      throws ConfSyntaxError {
    return new ConfParser(warnings).file(file, null);
  }

  /** Statements of text; {@code name} names it in errors, includes resolve against {@code dir}. */
  public static List<ConfNode> parse(
      String name, String text, Path dir, List<ConvertWarning> warnings) throws ConfSyntaxError {
    ConfParser p = new ConfParser(warnings);
    return p.statements(name, text, dir);
  }

  private List<ConfNode> file(Path file, Location includedFrom) throws ConfSyntaxError {
    Path real = file.toAbsolutePath().normalize();
    if (including.contains(real)) {
      throw new ConfSyntaxError(includedFrom, "include: " + file + " includes itself");
    }
    if (including.size() >= MAX_INCLUDE_DEPTH) {
      throw new ConfSyntaxError(includedFrom, "include: nested more than 16 deep");
    }
    String text;
    try {
      // regular files only, bounded: never a FIFO, a device or /proc (blocks, or leaks secrets)
      text = InputFile.read(file, MAX_FILE_BYTES);
    } catch (InputFile.Refused e) {
      Location at = includedFrom == null ? new Location(file.toString(), 0) : includedFrom;
      throw new ConfSyntaxError(at, "cannot read " + file + ": " + e.getMessage());
    }
    including.push(real);
    try {
      Path dir = file.getParent();
      return statements(file.toString(), text, dir == null ? Path.of("") : dir);
    } finally {
      including.pop();
    }
  }

  private List<ConfNode> statements(String name, String text, Path dir) throws ConfSyntaxError {
    List<Token> tokens = tokens(name, text);
    return block(new Cursor(tokens), dir, null, 0);
  }

  private static final class Cursor {
    final List<Token> tokens;
    int i;

    Cursor(List<Token> tokens) {
      this.tokens = tokens;
    }

    Token peek() {
      return i < tokens.size() ? tokens.get(i) : null;
    }

    Token next() {
      return tokens.get(i++);
    }

    /** The next token that is not an end of line, without consuming anything. */
    Token peekPastLines() {
      int j = i;
      while (j < tokens.size() && tokens.get(j).kind == Kind.EOL) {
        j++;
      }
      return j < tokens.size() ? tokens.get(j) : null;
    }

    void skipLines() {
      while (peek() != null && peek().kind == Kind.EOL) {
        i++;
      }
    }
  }

  /** Statements up to the closing brace of {@code open} (or the end of the file if null). */
  private List<ConfNode> block(Cursor c, Path dir, Token open, int depth) throws ConfSyntaxError {
    if (depth > MAX_BLOCK_DEPTH) {
      throw new ConfSyntaxError(
          open.at, "blocks nested more than " + MAX_BLOCK_DEPTH + " deep ('{' inside '{')");
    }
    List<ConfNode> out = new ArrayList<>();
    while (true) {
      c.skipLines();
      Token t = c.peek();
      if (t == null) {
        if (open != null) {
          throw new ConfSyntaxError(open.at, "'{' is never closed (missing '}')");
        }
        return out;
      }
      c.next();
      switch (t.kind) {
        case CLOSE -> {
          if (open == null) {
            throw new ConfSyntaxError(t.at, "'}' without a matching '{'");
          }
          return out;
        }
        case OPEN -> throw new ConfSyntaxError(t.at, "'{' without a keyword before it");
        case WORD -> {
          ConfNode node = statement(c, dir, t, depth);
          if (node.keyword().equals("include") && !node.hasBlock()) {
            out.addAll(include(node, dir));
          } else {
            out.add(node);
          }
        }
        case EOL -> throw new IllegalStateException("skipped above");
      }
    }
  }

  private ConfNode statement(Cursor c, Path dir, Token keyword, int depth) throws ConfSyntaxError {
    List<String> args = new ArrayList<>();
    while (c.peek() != null && c.peek().kind == Kind.WORD) {
      args.add(c.next().text);
    }
    List<ConfNode> children = null;
    Token after = c.peek();
    if (after != null && after.kind == Kind.EOL) {
      Token brace = c.peekPastLines();
      if (brace != null && brace.kind == Kind.OPEN) {
        c.skipLines();
        after = brace;
      }
    }
    if (after != null && after.kind == Kind.OPEN) {
      c.next();
      children = block(c, dir, after, depth + 1);
    }
    return new ConfNode(keyword.text, args, children, keyword.at);
  }

  private List<ConfNode> include(ConfNode node, Path dir) throws ConfSyntaxError {
    if (node.args().size() != 1) {
      throw new ConfSyntaxError(node.at(), "include: expected one file name or pattern");
    }
    String pattern = node.arg();
    List<Path> files = expand(dir, pattern, node.at());
    if (files.isEmpty()) {
      if (!hasGlob(pattern)) {
        throw new ConfSyntaxError(
            node.at(),
            "include: "
                + pattern
                + ": "
                + (Files.exists(dir.resolve(pattern)) ? "not a regular file" : "no such file"));
      }
      warnings.add(
          new ConvertWarning(node.at(), "include", "pattern " + pattern + " matches no file"));
    }
    List<ConfNode> out = new ArrayList<>();
    for (Path f : files) {
      out.addAll(file(f, node.at()));
    }
    return out;
  }

  private static boolean hasGlob(String s) {
    return s.chars().anyMatch(ch -> ch == '*' || ch == '?' || ch == '[' || ch == '{');
  }

  /** The files a pattern names, sorted; relative patterns start from {@code dir}. */
  private static List<Path> expand(Path dir, String pattern, Location at) throws ConfSyntaxError {
    Path p = dir.resolve(pattern).normalize();
    if (!hasGlob(pattern)) {
      return Files.isRegularFile(p) ? List.of(p) : List.of();
    }
    Path base = p.getRoot() == null ? Path.of("") : p.getRoot();
    int depth = 0;
    boolean globbing = false;
    for (Path part : p) {
      if (!globbing && hasGlob(part.toString())) {
        globbing = true;
      }
      if (globbing) {
        depth++;
      } else {
        base = base.resolve(part);
      }
    }
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    PathMatcher matcher;
    try {
      matcher = FileSystems.getDefault().getPathMatcher("glob:" + p);
    } catch (IllegalArgumentException e) {
      throw new ConfSyntaxError(at, "include: not a valid pattern: " + pattern);
    }
    Glob glob = new Glob(matcher, depth);
    try {
      Files.walkFileTree(base, Set.of(), depth, glob);
    } catch (IOException | RuntimeException e) {
      throw new ConfSyntaxError(at, "include: cannot list " + base);
    }
    if (glob.tooMany) {
      throw new ConfSyntaxError(
          at,
          "include: "
              + pattern
              + " matches too much (at most "
              + MAX_INCLUDED_FILES
              + " files among "
              + MAX_GLOB_ENTRIES
              + " entries)");
    }
    return glob.files.stream().sorted().toList();
  }

  /**
   * Collects what a pattern matches, bounded: unreadable directories are skipped, the kernel's
   * pseudo file systems are not entered, and the walk stops after {@link #MAX_GLOB_ENTRIES}.
   */
  private static final class Glob extends SimpleFileVisitor<Path> {
    private static final Set<Path> SKIPPED = Set.of(Path.of("/proc"), Path.of("/sys"));
    final PathMatcher matcher;
    final int depth;
    final List<Path> files = new ArrayList<>();
    int seen;
    boolean tooMany;

    Glob(PathMatcher matcher, int depth) {
      this.matcher = matcher;
      this.depth = depth;
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
      return SKIPPED.contains(dir) ? FileVisitResult.SKIP_SUBTREE : count();
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
      if (matcher.matches(file) && Files.isRegularFile(file)) {
        files.add(file);
        if (files.size() > MAX_INCLUDED_FILES) {
          tooMany = true;
          return FileVisitResult.TERMINATE;
        }
      }
      return count();
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) {
      return count(); // unreadable: keepalived's glob skips it too
    }

    private FileVisitResult count() {
      if (++seen > MAX_GLOB_ENTRIES) {
        tooMany = true;
        return FileVisitResult.TERMINATE;
      }
      return FileVisitResult.CONTINUE;
    }
  }

  /** Words, braces and line ends; comments and blank lines dropped. */
  private static List<Token> tokens(String name, String text) throws ConfSyntaxError {
    List<Token> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int n = 0; n < lines.length; n++) {
      Location at = new Location(name, n + 1);
      String line = lines[n];
      int i = 0;
      boolean any = false;
      while (i < line.length()) {
        char ch = line.charAt(i);
        if (Character.isWhitespace(ch)) {
          i++;
        } else if (ch == '#' || ch == '!') {
          break;
        } else if (ch == '{' || ch == '}') {
          out.add(new Token(ch == '{' ? Kind.OPEN : Kind.CLOSE, String.valueOf(ch), at));
          any = true;
          i++;
        } else if (ch == '"') {
          int end = line.indexOf('"', i + 1);
          if (end < 0) {
            throw new ConfSyntaxError(at, "unterminated quoted string");
          }
          out.add(new Token(Kind.WORD, line.substring(i + 1, end), at));
          any = true;
          i = end + 1;
        } else {
          int start = i;
          while (i < line.length()
              && !Character.isWhitespace(line.charAt(i))
              && "{}\"".indexOf(line.charAt(i)) < 0) {
            i++;
          }
          out.add(new Token(Kind.WORD, line.substring(start, i), at));
          any = true;
        }
      }
      if (any) {
        out.add(new Token(Kind.EOL, "", at));
      }
    }
    return out;
  }
}
