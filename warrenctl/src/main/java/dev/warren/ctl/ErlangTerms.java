package dev.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Erlang's printed forms ({@code io_lib:format("~tp")}), which rabbitmqctl shows for AMQP tables,
 * atoms and floats. The management API hands these values over as JSON; this turns them back into
 * the text rabbitmqctl would print for the same value.
 *
 * <pre>
 * {"x-max-length":10,"x-dlx":"d"}  ->  [{"x-max-length",10},{"x-dlx","d"}]
 * "rabbit@host", 'a-b'             ->  rabbit@host, 'a-b'           (atoms: quoted when needed)
 * 1000.0, 100.0, 1.5e-4, 1.0e16    ->  1.0e3, 100.0, 1.5e-4, 1.0e16 (shortest; ties go to fixed)
 * "ab", "", "€"                     ->  "ab", [], [8364]             (strings are lists of chars)
 * </pre>
 */
public final class ErlangTerms {
  /** Letters, digits, _ and @ after a lower-case first letter: an atom printed without quotes. */
  private static final Pattern BARE_ATOM = Pattern.compile("[a-z][a-zA-Z0-9_@]*");

  private static final Set<String> RESERVED =
      Set.of(
          "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case",
          "catch", "cond", "div", "end", "fun", "if", "let", "maybe", "not", "of", "or", "orelse",
          "receive", "rem", "try", "when", "xor");

  /** Below this magnitude every integer is a double; above it floats print with an exponent. */
  private static final double EXACT_INTEGERS = 0x1p53;

  private ErlangTerms() {}

  /** An AMQP field table (a JSON object) as rabbitmqctl prints it: a list of {name,value}. */
  public static String table(JsonNode table) {
    StringBuilder out = new StringBuilder("[");
    Iterator<Map.Entry<String, JsonNode>> fields = table.properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      out.append('{').append(string(field.getKey())).append(',');
      out.append(fieldValue(field.getValue())).append('}');
      if (fields.hasNext()) {
        out.append(',');
      }
    }
    return out.append(']').toString();
  }

  /** One value of an AMQP table: strings as char lists, tables nested, arrays as lists. */
  public static String fieldValue(JsonNode value) {
    if (value.isObject()) {
      return table(value);
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(item -> items.add(fieldValue(item)));
      return "[" + String.join(",", items) + "]";
    }
    if (value.isTextual()) {
      return string(value.textValue());
    }
    if (value.isNull()) {
      return "undefined";
    }
    return scalar(value);
  }

  /** A number or boolean: integers as they are, floats in Erlang's shortest form. */
  public static String scalar(JsonNode value) {
    if (value.isNumber() && !value.isIntegralNumber()) {
      return floatText(value.doubleValue());
    }
    return value.asText();
  }

  /**
   * A string as Erlang prints a list of characters: in double quotes with escapes when every
   * character is printable in Latin-1 (Erlang's default printable range), otherwise as the list of
   * code points; the empty string is the empty list.
   */
  public static String string(String s) {
    if (s.isEmpty()) {
      return "[]";
    }
    if (!s.codePoints().allMatch(ErlangTerms::printable)) {
      List<String> codes = new ArrayList<>();
      s.codePoints().forEach(c -> codes.add(Integer.toString(c)));
      return "[" + String.join(",", codes) + "]";
    }
    StringBuilder out = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case 0x0B -> out.append("\\v");
                case 0x1B -> out.append("\\e");
                default -> out.appendCodePoint(c);
              }
            });
    return out.append('"').toString();
  }

  private static boolean printable(int c) {
    return (c >= 32 && c <= 126) || (c >= 160 && c <= 255) || (c >= 8 && c <= 13) || c == 27;
  }

  /** An atom: bare when it reads back as one, in single quotes otherwise. */
  public static String atom(String name) {
    if (BARE_ATOM.matcher(name).matches() && !RESERVED.contains(name)) {
      return name;
    }
    return "'" + name.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /**
   * A float as Erlang 25 prints it: the fewest significant digits that read back as the same
   * double, in fixed notation unless the exponent form is shorter (a tie goes to fixed) or the
   * magnitude is at least 2^53.
   */
  public static String floatText(double value) {
    if (value == 0) {
      return (1 / value < 0) ? "-0.0" : "0.0";
    }
    String sign = value < 0 ? "-" : "";
    BigDecimal shortest = shortest(Math.abs(value));
    String digits = shortest.unscaledValue().toString().replaceAll("0+$", "");
    // value = 0.DIGITS x 10^place
    int place = shortest.precision() - shortest.scale();
    String exponent =
        digits.charAt(0)
            + "."
            + (digits.length() > 1 ? digits.substring(1) : "0")
            + "e"
            + (place - 1);
    String fixed;
    if (place <= 0) {
      fixed = "0." + "0".repeat(-place) + digits;
    } else if (place >= digits.length()) {
      fixed = digits + "0".repeat(place - digits.length()) + ".0";
    } else {
      fixed = digits.substring(0, place) + "." + digits.substring(place);
    }
    boolean useExponent = Math.abs(value) >= EXACT_INTEGERS || exponent.length() < fixed.length();
    return sign + (useExponent ? exponent : fixed);
  }

  private static BigDecimal shortest(double value) {
    BigDecimal exact = new BigDecimal(value);
    for (int precision = 1; precision < 17; precision++) {
      BigDecimal candidate = exact.round(new MathContext(precision));
      if (candidate.doubleValue() == value) {
        return candidate;
      }
    }
    return exact.round(new MathContext(17));
  }
}
