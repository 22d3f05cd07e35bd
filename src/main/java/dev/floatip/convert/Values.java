package dev.floatip.convert;

import dev.floatip.config.Durations;
import java.math.BigDecimal;
import java.time.Duration;

/** Reads the arguments of a statement, failing with the file, line and keyword. */
final class Values {

  private Values() {}

  /** The one argument of {@code node}. */
  static String one(ConfNode node) throws ConfSyntaxError {
    if (node.args().isEmpty()) {
      throw new ConfSyntaxError(node.at(), node.keyword() + ": missing value");
    }
    return node.arg();
  }

  /** An integer argument in {@code min..max}. */
  static int integer(ConfNode node, int min, int max) throws ConfSyntaxError {
    return integer(node, one(node), min, max);
  }

  static int integer(ConfNode node, String text, int min, int max) throws ConfSyntaxError {
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new ConfSyntaxError(
          node.at(), node.keyword() + ": \"" + text + "\" is not a whole number");
    }
    if (value < min || value > max) {
      throw new ConfSyntaxError(
          node.at(), node.keyword() + ": " + value + " is out of range " + min + ".." + max);
    }
    return value;
  }

  /** Seconds as keepalived writes them ({@code 1}, {@code 0.1}), at most {@code max}. */
  static Duration seconds(ConfNode node, long max) throws ConfSyntaxError {
    String text = one(node);
    BigDecimal s;
    try {
      s = new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new ConfSyntaxError(
          node.at(), node.keyword() + ": \"" + text + "\" is not a number of seconds");
    }
    if (s.signum() < 0 || s.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new ConfSyntaxError(
          node.at(), node.keyword() + ": " + text + " is out of range 0.." + max + " seconds");
    }
    // keepalived keeps microseconds
    return Duration.ofNanos(s.movePointRight(6).longValue() * 1000);
  }

  static String format(Duration d) {
    return Durations.format(d);
  }

  /** A track weight; {@code value} null when the statement gives none. */
  record Weight(Integer value, boolean reverse) {}

  /**
   * {@code [weight N] [reverse|noreverse]} in the arguments of {@code node} from index {@code
   * from}, as track lists ({@code chk weight 10}) and definitions ({@code weight -20 reverse})
   * write it.
   */
  static Weight weight(ConfNode node, int from, int limit) throws ConfSyntaxError {
    Integer value = null;
    boolean reverse = false;
    var args = node.args();
    for (int i = from; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("weight") && i + 1 < args.size()) {
        value = integer(node, args.get(++i), -limit, limit);
      } else if (a.equals("reverse")) {
        reverse = true;
      } else if (!a.equals("noreverse")) {
        throw new ConfSyntaxError(
            node.at(), node.keyword() + ": unexpected \"" + a + "\" (expected weight N [reverse])");
      }
    }
    return new Weight(value, reverse);
  }
}
