package dev.floatip.convert;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.regex.Pattern;

/**
 * Quotes every string that some YAML reader would resolve to another type when written plain.
 * Jackson's MINIMIZE_QUOTES quotes only YAML 1.1 booleans, null and strings with special
 * characters: {@code 0}, {@code 1e3}, {@code 0x1F}, {@code .inf}, {@code 1:20} or {@code
 * 2001-12-14} came out plain and were read back as numbers or dates, which a CRD's {@code type:
 * string} refuses. kubectl reads YAML with go-yaml (YAML 1.1 resolution with Go's number syntax:
 * {@code 0o17}, {@code 0b101}, {@code 1_000}), other tools with YAML 1.2's core schema; the
 * patterns below are the union of those implicit types (YAML 1.1 bool/int/float/null/timestamp/
 * merge/value type repository, YAML 1.2 core schema), case-insensitive and generous: quoting one
 * string too many costs two characters, one too few breaks {@code kubectl apply}.
 */
final class TypedLookingQuotes extends StringQuotingChecker {

  private static final long serialVersionUID = 1L;

  static final TypedLookingQuotes INSTANCE = new TypedLookingQuotes();

  private static final String SIGN = "[-+]?";
  private static final String DIGITS = "[0-9][0-9_]*";
  private static final Pattern TYPED =
      Pattern.compile(
          String.join(
              "|",
              // null and booleans (YAML 1.1 and 1.2)
              "~|null|y|yes|n|no|true|false|on|off",
              // integers: decimal (with leading zeros: YAML 1.1 octal), 0b, 0o, 0x, Go's '_'
              SIGN + "(" + DIGITS + "|0b[01_]+|0o[0-7_]+|0x[0-9a-f_]+)",
              // YAML 1.1 base 60
              SIGN + DIGITS + "(:[0-5]?[0-9])+(\\.[0-9_]*)?",
              // floats: 1., .5, 1.5e3, 1e3
              SIGN + "(" + DIGITS + ")?\\.[0-9_]*(e[-+]?[0-9]+)?",
              SIGN + DIGITS + "e[-+]?[0-9]+",
              // infinities and not-a-number, with or without YAML's dot
              SIGN + "\\.?(inf|infinity|nan)",
              // YAML 1.1 timestamps start with a date
              "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt \\t].*)?",
              // YAML 1.1 merge and value keys
              "<<|="),
          Pattern.CASE_INSENSITIVE);

  private TypedLookingQuotes() {}

  /** Whether a plain scalar {@code text} could be read as anything but a string. */
  static boolean looksTyped(String text) {
    return text.isEmpty() || TYPED.matcher(text).matches();
  }

  @Override
  public boolean needToQuoteName(String name) {
    return looksTyped(name) || isReservedKeyword(name) || nameHasQuotableChar(name);
  }

  @Override
  public boolean needToQuoteValue(String value) {
    return looksTyped(value) || isReservedKeyword(value) || valueHasQuotableChar(value);
  }
}
