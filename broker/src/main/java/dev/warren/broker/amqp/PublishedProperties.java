package dev.warren.broker.amqp;

import static dev.warren.broker.amqp.QueueErrors.preconditionFailed;

import dev.warren.amqp.BasicProperties;
import dev.warren.amqp.LongString;
import dev.warren.amqp.method.Method;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the broker reads from, and rewrites in, a published message's properties: the per-message
 * TTL, sender-selected distribution ({@code CC} and {@code BCC} headers, BCC removed before
 * delivery), and direct reply-to. Properties are re-encoded only when something must change;
 * otherwise the publisher's bytes go to consumers untouched. The management API's publish reads the
 * expiration and the CC and BCC keys through here too.
 */
public final class PublishedProperties {
  static final String REPLY_TO_PSEUDO_QUEUE = "amq.rabbitmq.reply-to";

  private PublishedProperties() {}

  /** The expiration property in milliseconds, or -1; 406 when it is not a whole number. */
  public static long expirationMillis(BasicProperties p, Method m) {
    String expiration = p.expiration();
    if (expiration == null) {
      return -1;
    }
    try {
      long millis = Long.parseLong(expiration);
      if (millis >= 0) {
        return millis;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw preconditionFailed("invalid expiration '" + expiration + "' for message", m);
  }

  /**
   * The message's routing key followed by those of its CC and BCC headers (sender-selected
   * distribution). The headers must be arrays of strings: anything else is refused with 406, as
   * RabbitMQ does.
   */
  public static List<String> routingKeys(String routingKey, BasicProperties p, Method m) {
    Map<String, Object> headers = p.headers();
    if (headers == null || (!headers.containsKey("CC") && !headers.containsKey("BCC"))) {
      return List.of(routingKey);
    }
    List<String> keys = new ArrayList<>();
    keys.add(routingKey);
    addKeys("CC", headers.get("CC"), keys, m);
    addKeys("BCC", headers.get("BCC"), keys, m);
    return keys;
  }

  private static void addKeys(String header, Object value, List<String> keys, Method m) {
    if (value == null) {
      return;
    }
    if (!(value instanceof List<?> list)) {
      throw preconditionFailed(
          "invalid message: {unacceptable_type_in_header,\""
              + header
              + "\","
              + typeName(value)
              + "}",
          m);
    }
    for (Object key : list) {
      if (!(key instanceof LongString || key instanceof String)) {
        throw preconditionFailed(
            "invalid message: {unacceptable_type_in_header,\"" + header + "\",array}", m);
      }
      keys.add(key.toString());
    }
  }

  private static String typeName(Object value) {
    return value instanceof LongString ? "longstr" : value.getClass().getSimpleName();
  }

  static boolean hasBcc(BasicProperties p) {
    return p.headers() != null && p.headers().containsKey("BCC");
  }

  /**
   * The properties to store: {@code raw} itself when nothing changes (ownership passes through),
   * else a new encoding without BCC and with {@code replyTo} (and {@code raw} is released).
   */
  static ByteBuf rewrite(ByteBuf raw, BasicProperties p, boolean dropBcc, String replyTo) {
    if (!dropBcc && replyTo == null) {
      return raw;
    }
    Map<String, Object> headers = p.headers();
    if (dropBcc) {
      headers = new LinkedHashMap<>(headers);
      headers.remove("BCC");
    }
    BasicProperties rewritten =
        p.withHeaders(headers).withReplyTo(replyTo != null ? replyTo : p.replyTo());
    return encode(rewritten, raw);
  }

  /** Adds (or replaces) one header; releases {@code raw}. */
  static ByteBuf withHeader(ByteBuf raw, String name, Object value) {
    BasicProperties p = BasicProperties.decode(raw.duplicate());
    Map<String, Object> headers = new LinkedHashMap<>();
    if (p.headers() != null) {
      headers.putAll(p.headers());
    }
    headers.put(name, value);
    return encode(p.withHeaders(headers), raw);
  }

  private static ByteBuf encode(BasicProperties p, ByteBuf replaced) {
    ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
    try {
      p.encode(out);
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
    replaced.release();
    return out;
  }
}
