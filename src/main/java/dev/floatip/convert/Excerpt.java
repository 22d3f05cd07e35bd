package dev.floatip.convert;

/** Text from a user's file as it may be printed: bounded, control characters escaped. */
final class Excerpt {

  private Excerpt() {}

  /** At most {@code max} characters of {@code s}, then how many there were. */
  static String of(String s, int max) {
    if (s == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 32);
    int i = 0;
    for (; i < s.length() && b.length() < max; i++) {
      char ch = s.charAt(i);
      if (Character.isISOControl(ch) || Character.getType(ch) == Character.FORMAT) {
        b.append(String.format("\\u%04x", (int) ch));
      } else {
        b.append(ch);
      }
    }
    return i < s.length() ? b + "... (" + s.length() + " characters)" : b.toString();
  }
}
