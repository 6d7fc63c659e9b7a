package dev.warren.routing;

import java.util.Date;
import java.util.Map;
import java.util.Optional;

/**
 * What an {@code x-consistent-hash} exchange hashes, read once from its declared arguments: the
 * routing key (default), the header named by {@code hash-header}, or the basic property named by
 * {@code hash-property} ({@code message_id}, {@code correlation_id} or {@code timestamp}).
 * Immutable.
 *
 * <p>A value is hashed by its text, so routing key {@code "42"}, a header {@code "42"} (String or
 * long string) and a header {@code 42} (any integer width) reach the same destination; a byte array
 * is hashed by content, a timestamp as its whole seconds in decimal (as RabbitMQ does). A missing
 * header or property (or a void header) hashes to one fixed value, so all such messages go to the
 * same destination, as RabbitMQ documents.
 */
final class HashSource {

  /** Exchange argument: the header whose value is hashed instead of the routing key. */
  static final String HASH_HEADER = "hash-header";

  /** Exchange argument: the basic property whose value is hashed instead of the routing key. */
  static final String HASH_PROPERTY = "hash-property";

  private enum Kind {
    ROUTING_KEY,
    HEADER,
    MESSAGE_ID,
    CORRELATION_ID,
    TIMESTAMP
  }

  private static final long VALUE_SEED = 0x6368785f76616c75L;
  private static final long ABSENT = RingHash.of("absent", 0x6368785f61627365L);

  private static final HashSource ROUTING_KEY = new HashSource(Kind.ROUTING_KEY, null);

  private final Kind kind;
  private final String header;

  private HashSource(Kind kind, String header) {
    this.kind = kind;
    this.header = header;
  }

  /**
   * Why these exchange arguments are refused (RabbitMQ: PRECONDITION_FAILED, 406), with RabbitMQ's
   * text where it has one; empty if they are valid.
   */
  static Optional<String> invalid(Map<String, Object> arguments) {
    boolean hasHeader = arguments.containsKey(HASH_HEADER);
    boolean hasProperty = arguments.containsKey(HASH_PROPERTY);
    if (hasHeader && hasProperty) {
      return Optional.of("hash-header and hash-property are mutually exclusive");
    }
    if (hasHeader && FieldValues.text(arguments.get(HASH_HEADER)) == null) {
      return Optional.of("hash-header must be a string, got " + arguments.get(HASH_HEADER));
    }
    if (hasProperty && property(FieldValues.text(arguments.get(HASH_PROPERTY))) == null) {
      return Optional.of("Unsupported property: " + arguments.get(HASH_PROPERTY));
    }
    return Optional.empty();
  }

  /**
   * The source these arguments select. Tolerates what {@link #invalid} refuses: with both arguments
   * the header is used, and an argument with an unusable value is ignored.
   */
  static HashSource of(Map<String, Object> arguments) {
    String header = FieldValues.text(arguments.get(HASH_HEADER));
    if (header != null) {
      return new HashSource(Kind.HEADER, header);
    }
    Kind property = property(FieldValues.text(arguments.get(HASH_PROPERTY)));
    return property == null ? ROUTING_KEY : new HashSource(property, null);
  }

  private static Kind property(String name) {
    if (name == null) {
      return null;
    }
    return switch (name) {
      case "message_id" -> Kind.MESSAGE_ID;
      case "correlation_id" -> Kind.CORRELATION_ID;
      case "timestamp" -> Kind.TIMESTAMP;
      default -> null;
    };
  }

  boolean readsHeaders() {
    return kind == Kind.HEADER;
  }

  boolean readsProperties() {
    return kind != Kind.ROUTING_KEY && kind != Kind.HEADER;
  }

  /** The ring position of a message; {@code headers} and {@code properties} may be null. */
  long hash(String routingKey, Map<String, Object> headers, HashProperties properties) {
    return switch (kind) {
      case ROUTING_KEY -> RingHash.of(routingKey, VALUE_SEED);
      case HEADER -> valueHash(headers == null ? null : headers.get(header));
      case MESSAGE_ID -> valueHash(properties == null ? null : properties.messageId());
      case CORRELATION_ID -> valueHash(properties == null ? null : properties.correlationId());
      case TIMESTAMP -> valueHash(properties == null ? null : properties.timestamp());
    };
  }

  private static long valueHash(Object value) {
    if (value == null) {
      return ABSENT;
    }
    if (value instanceof byte[] bytes) {
      return RingHash.of(bytes, VALUE_SEED);
    }
    if (value instanceof Date date) {
      return RingHash.of(Long.toString(Math.floorDiv(date.getTime(), 1000L)), VALUE_SEED);
    }
    String text = FieldValues.text(value);
    return RingHash.of(text != null ? text : value.toString(), VALUE_SEED);
  }
}
