package dev.warren.routing;

import java.util.Date;

/**
 * The basic properties that an {@code x-consistent-hash} exchange declared with {@code
 * hash-property} may hash, as published (each may be null: absent). Routing asks for them only when
 * such an exchange is on the path (see {@link ExchangeRegistry#route(String, String,
 * java.util.function.Supplier, java.util.function.Supplier, java.util.Set)}).
 *
 * @param messageId the {@code message-id} property
 * @param correlationId the {@code correlation-id} property
 * @param timestamp the {@code timestamp} property in whole seconds since the epoch, as on the wire;
 *     hashed as its decimal text, as RabbitMQ does
 */
public record HashProperties(String messageId, String correlationId, Long timestamp) {

  /** From the codec's decoded properties, whose timestamp is a {@link Date} (null: absent). */
  public static HashProperties of(String messageId, String correlationId, Date timestamp) {
    Long seconds = timestamp == null ? null : Math.floorDiv(timestamp.getTime(), 1000L);
    return new HashProperties(messageId, correlationId, seconds);
  }
}
