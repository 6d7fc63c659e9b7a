package dev.warren.broker.amqp;

import dev.warren.amqp.LongString;
import java.math.BigDecimal;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** RabbitMQ's names of field value types, for reply texts that name a type. Stateless. */
final class FieldTypes {
  private FieldTypes() {}

  /**
   * The type of a decoded field value as RabbitMQ names it ({@code signedint}, {@code longstr},
   * {@code void}, ...). The codec reads the unsigned types into the next wider signed Java type, so
   * an unsigned value is named as that one.
   */
  static String name(Object v) {
    if (v == null) {
      return "void";
    } else if (v instanceof Byte) {
      return "byte";
    } else if (v instanceof Short) {
      return "short";
    } else if (v instanceof Integer) {
      return "signedint";
    } else if (v instanceof Long) {
      return "long";
    } else if (v instanceof LongString || v instanceof String) {
      return "longstr";
    } else if (v instanceof Boolean) {
      return "bool";
    } else if (v instanceof Float) {
      return "float";
    } else if (v instanceof Double) {
      return "double";
    } else if (v instanceof BigDecimal) {
      return "decimal";
    } else if (v instanceof Date) {
      return "timestamp";
    } else if (v instanceof Map) {
      return "table";
    } else if (v instanceof List) {
      return "array";
    } else if (v instanceof byte[]) {
      return "binary";
    }
    return v.getClass().getSimpleName();
  }

  /** Whether the value has one of the integer types (signed or not, any width). */
  static boolean isInteger(Object v) {
    return v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long;
  }
}
