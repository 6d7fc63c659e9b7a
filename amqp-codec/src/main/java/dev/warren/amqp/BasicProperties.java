package dev.warren.amqp;

import io.netty.buffer.ByteBuf;
import java.util.Date;
import java.util.Map;

/**
 * The 14 content properties of class {@code basic} (spec 1.8, RabbitMQ names the 14th {@code
 * cluster-id}); {@code null} means absent. Immutable apart from the {@code Date} and the headers
 * map, which callers must not change; the decoder's maps are unmodifiable.
 *
 * <pre>
 * +----------------+------------------------------------------------+
 * | property flags | property list: the present properties in order |
 * +----------------+------------------------------------------------+
 *   short: bit 15 = content-type ... bit 2 = cluster-id; bit 0 = another flags word follows
 * </pre>
 *
 * @param deliveryMode 1 non-persistent, 2 persistent (octet)
 * @param priority 0..9 (octet)
 * @param timestamp whole seconds on the wire
 */
public record BasicProperties(
    String contentType,
    String contentEncoding,
    Map<String, Object> headers,
    Integer deliveryMode,
    Integer priority,
    String correlationId,
    String replyTo,
    String expiration,
    String messageId,
    Date timestamp,
    String type,
    String userId,
    String appId,
    String clusterId) {

  /** No property present. */
  public static final BasicProperties EMPTY =
      new BasicProperties(
          null, null, null, null, null, null, null, null, null, null, null, null, null, null);

  private static final int CONTENT_TYPE = 1 << 15;
  private static final int CONTENT_ENCODING = 1 << 14;
  private static final int HEADERS = 1 << 13;
  private static final int DELIVERY_MODE = 1 << 12;
  private static final int PRIORITY = 1 << 11;
  private static final int CORRELATION_ID = 1 << 10;
  private static final int REPLY_TO = 1 << 9;
  private static final int EXPIRATION = 1 << 8;
  private static final int MESSAGE_ID = 1 << 7;
  private static final int TIMESTAMP = 1 << 6;
  private static final int TYPE = 1 << 5;
  private static final int USER_ID = 1 << 4;
  private static final int APP_ID = 1 << 3;
  private static final int CLUSTER_ID = 1 << 2;
  private static final int UNUSED = 1 << 1;
  private static final int CONTINUATION = 1;

  /** A copy with other headers (null: none). */
  public BasicProperties withHeaders(Map<String, Object> newHeaders) {
    return new BasicProperties(
        contentType,
        contentEncoding,
        newHeaders,
        deliveryMode,
        priority,
        correlationId,
        replyTo,
        expiration,
        messageId,
        timestamp,
        type,
        userId,
        appId,
        clusterId);
  }

  /** A copy with another reply-to (null: none). */
  public BasicProperties withReplyTo(String newReplyTo) {
    return new BasicProperties(
        contentType,
        contentEncoding,
        headers,
        deliveryMode,
        priority,
        correlationId,
        newReplyTo,
        expiration,
        messageId,
        timestamp,
        type,
        userId,
        appId,
        clusterId);
  }

  /** A copy with another expiration (null: none). */
  public BasicProperties withExpiration(String newExpiration) {
    return new BasicProperties(
        contentType,
        contentEncoding,
        headers,
        deliveryMode,
        priority,
        correlationId,
        replyTo,
        newExpiration,
        messageId,
        timestamp,
        type,
        userId,
        appId,
        clusterId);
  }

  /**
   * Reads property flags and list; does not take ownership of {@code in}.
   *
   * @throws ConnectionException {@link ReplyCode#SYNTAX_ERROR} if the list is truncated, a flag for
   *     an unknown property is set, or the headers table is malformed
   */
  public static BasicProperties decode(ByteBuf in) {
    try {
      int flags = in.readUnsignedShort();
      int more = flags;
      while ((more & CONTINUATION) != 0) {
        more = in.readUnsignedShort();
        if ((more & ~CONTINUATION) != 0) {
          throw malformed(String.format("unknown basic property flags 0x%04x", more));
        }
      }
      if ((flags & UNUSED) != 0) {
        throw malformed(String.format("unknown basic property flags 0x%04x", flags));
      }
      return new BasicProperties(
          (flags & CONTENT_TYPE) != 0 ? Wire.readShortstrLenient(in) : null,
          (flags & CONTENT_ENCODING) != 0 ? Wire.readShortstrLenient(in) : null,
          (flags & HEADERS) != 0 ? FieldTable.decode(in) : null,
          (flags & DELIVERY_MODE) != 0 ? Integer.valueOf(in.readUnsignedByte()) : null,
          (flags & PRIORITY) != 0 ? Integer.valueOf(in.readUnsignedByte()) : null,
          (flags & CORRELATION_ID) != 0 ? Wire.readShortstrLenient(in) : null,
          (flags & REPLY_TO) != 0 ? Wire.readShortstrLenient(in) : null,
          (flags & EXPIRATION) != 0 ? Wire.readShortstrLenient(in) : null,
          (flags & MESSAGE_ID) != 0 ? Wire.readShortstrLenient(in) : null,
          (flags & TIMESTAMP) != 0 ? new Date(in.readLong() * 1000L) : null,
          (flags & TYPE) != 0 ? Wire.readShortstrLenient(in) : null,
          (flags & USER_ID) != 0 ? Wire.readShortstrLenient(in) : null,
          (flags & APP_ID) != 0 ? Wire.readShortstrLenient(in) : null,
          (flags & CLUSTER_ID) != 0 ? Wire.readShortstrLenient(in) : null);
    } catch (IndexOutOfBoundsException e) {
      throw malformed("truncated basic properties: " + e.getMessage());
    }
  }

  /**
   * Writes property flags and list; the caller keeps ownership of {@code out}.
   *
   * @throws IllegalArgumentException if a string is longer than 255 bytes, or a header value has no
   *     field type
   */
  public void encode(ByteBuf out) {
    int flags = 0;
    flags |= contentType != null ? CONTENT_TYPE : 0;
    flags |= contentEncoding != null ? CONTENT_ENCODING : 0;
    flags |= headers != null ? HEADERS : 0;
    flags |= deliveryMode != null ? DELIVERY_MODE : 0;
    flags |= priority != null ? PRIORITY : 0;
    flags |= correlationId != null ? CORRELATION_ID : 0;
    flags |= replyTo != null ? REPLY_TO : 0;
    flags |= expiration != null ? EXPIRATION : 0;
    flags |= messageId != null ? MESSAGE_ID : 0;
    flags |= timestamp != null ? TIMESTAMP : 0;
    flags |= type != null ? TYPE : 0;
    flags |= userId != null ? USER_ID : 0;
    flags |= appId != null ? APP_ID : 0;
    flags |= clusterId != null ? CLUSTER_ID : 0;
    out.writeShort(flags);
    writeIfPresent(out, contentType);
    writeIfPresent(out, contentEncoding);
    if (headers != null) {
      FieldTable.encode(headers, out);
    }
    if (deliveryMode != null) {
      out.writeByte(deliveryMode);
    }
    if (priority != null) {
      out.writeByte(priority);
    }
    writeIfPresent(out, correlationId);
    writeIfPresent(out, replyTo);
    writeIfPresent(out, expiration);
    writeIfPresent(out, messageId);
    if (timestamp != null) {
      out.writeLong(timestamp.getTime() / 1000L);
    }
    writeIfPresent(out, type);
    writeIfPresent(out, userId);
    writeIfPresent(out, appId);
    writeIfPresent(out, clusterId);
  }

  private static void writeIfPresent(ByteBuf out, String value) {
    if (value != null) {
      Wire.writeShortstr(out, value);
    }
  }

  private static ConnectionException malformed(String text) {
    return new ConnectionException(ReplyCode.SYNTAX_ERROR, text);
  }
}
