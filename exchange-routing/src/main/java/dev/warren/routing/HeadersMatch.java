package dev.warren.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The condition of one headers-exchange binding, compiled from its arguments when it is bound.
 *
 * <p>{@code x-match} is {@code all} (the default), {@code any}, {@code all-with-x} or {@code
 * any-with-x}. The {@code x-match} argument itself is never compared; other arguments whose names
 * begin with {@code x-} are compared only in the {@code -with-x} modes. An argument with a void
 * ({@code null}) value matches when the header is present, whatever its value. With no argument
 * left to compare, {@code all} matches every message and {@code any} none (as RabbitMQ).
 */
final class HeadersMatch {

  static final String X_MATCH = "x-match";

  private final boolean any;
  private final String[] names;

  /** {@code values[i]} is what header {@code names[i]} must equal; {@code null}: only present. */
  private final Object[] values;

  private HeadersMatch(boolean any, String[] names, Object[] values) {
    this.any = any;
    this.names = names;
    this.values = values;
  }

  /**
   * Why these binding arguments are refused (RabbitMQ: PRECONDITION_FAILED), or empty if they are
   * acceptable: {@code x-match}, when present, must be a string naming one of the four modes.
   */
  static Optional<String> invalid(Map<String, Object> arguments) {
    if (!arguments.containsKey(X_MATCH)) {
      return Optional.empty();
    }
    Object value = arguments.get(X_MATCH);
    String mode = FieldValues.text(value);
    if (mode == null) {
      return Optional.of(
          "Invalid x-match field type "
              + (value == null ? "void" : value.getClass().getSimpleName())
              + " (value "
              + value
              + "); expected longstr");
    }
    return switch (mode) {
      case "all", "any", "all-with-x", "any-with-x" -> Optional.empty();
      default ->
          Optional.of(
              "Invalid x-match field value "
                  + mode
                  + "; expected all, any, all-with-x, or any-with-x");
    };
  }

  /** Compiles arguments that {@link #invalid} accepts. */
  static HeadersMatch compile(Map<String, Object> arguments) {
    String mode = FieldValues.text(arguments.get(X_MATCH));
    if (mode == null) {
      mode = "all";
    }
    boolean withX = mode.endsWith("-with-x");
    List<String> names = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (Map.Entry<String, Object> e : arguments.entrySet()) {
      String name = e.getKey();
      if (name.equals(X_MATCH) || (!withX && name.startsWith("x-"))) {
        continue;
      }
      names.add(name);
      values.add(e.getValue());
    }
    return new HeadersMatch(
        mode.startsWith("any"), names.toArray(new String[0]), values.toArray(new Object[0]));
  }

  /** Whether a message with these headers ({@code null}: none) matches. */
  boolean matches(Map<String, Object> headers) {
    if (headers == null || headers.isEmpty()) {
      return !any && names.length == 0;
    }
    for (int i = 0; i < names.length; i++) {
      boolean hit = matchesOne(headers, i);
      if (any && hit) {
        return true;
      }
      if (!any && !hit) {
        return false;
      }
    }
    return !any;
  }

  private boolean matchesOne(Map<String, Object> headers, int i) {
    Object actual = headers.get(names[i]);
    if (actual == null) {
      return values[i] == null && headers.containsKey(names[i]);
    }
    return values[i] == null || FieldValues.equal(values[i], actual);
  }
}
