package dev.warren.queue;

import dev.warren.storage.StoredMessage;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * How a queue stores a message in its log or spill store: the body as it is, and a metadata part
 * holding what a delivery needs besides the body (where it was published, whether persistent, its
 * priority and expiration, when it was published) followed by the raw content properties.
 *
 * <pre>
 *  0         1       2               10         11             19
 *  +---------+-------+---------------+----------+--------------+----------+-------------+------------+
 *  | version | flags | published at  | priority | expiration   | exchange | routing key | properties |
 *  +---------+-------+---------------+----------+--------------+----------+-------------+------------+
 *   flags: bit 0 persistent (a transient message found in a log is dropped at recovery);
 *   published at: ms since the epoch, from the queue's Scheduler; expiration: ms or -1;
 *   exchange and routing key: AMQP short strings (length byte, UTF-8);
 *   properties: the raw property flags and list, to the end
 * </pre>
 */
final class StoredForm {
  private static final byte VERSION = 1;
  private static final int FIXED = 19;
  private static final int PERSISTENT = 1;

  /** A message read back, and how long ago it was published. */
  record Restored(Message message, long publishedAtMillis) {}

  private StoredForm() {}

  /** The metadata part of {@code message}, in a new buffer the caller releases. */
  static ByteBuf metadata(Message message, long publishedAtMillis) {
    byte[] exchange = message.exchange().getBytes(StandardCharsets.UTF_8);
    byte[] routingKey = message.routingKey().getBytes(StandardCharsets.UTF_8);
    ByteBuf properties = message.properties();
    ByteBuf out =
        properties
            .alloc()
            .directBuffer(
                FIXED + 2 + exchange.length + routingKey.length + properties.readableBytes());
    out.writeByte(VERSION)
        .writeByte(message.persistent() ? PERSISTENT : 0)
        .writeLong(publishedAtMillis)
        .writeByte(message.priority())
        .writeLong(message.expirationMillis())
        .writeByte(exchange.length)
        .writeBytes(exchange)
        .writeByte(routingKey.length)
        .writeBytes(routingKey)
        .writeBytes(properties, properties.readerIndex(), properties.readableBytes());
    return out;
  }

  /**
   * The message {@code stored} holds, taking ownership of its buffers (the message's properties are
   * a slice of the metadata), counted in {@code ledger}.
   */
  static Restored restore(StoredMessage stored, MemoryLedger ledger) {
    ByteBuf meta = stored.metadata();
    try {
      int version = meta.readByte();
      if (version != VERSION) {
        throw new IllegalStateException("unknown stored message version " + version);
      }
      boolean persistent = (meta.readByte() & PERSISTENT) != 0;
      long publishedAt = meta.readLong();
      int priority = meta.readUnsignedByte();
      long expiration = meta.readLong();
      String exchange = shortString(meta);
      String routingKey = shortString(meta);
      ByteBuf properties = meta.retainedSlice();
      Message message =
          new Message(
              exchange,
              routingKey,
              properties,
              stored.body(),
              persistent,
              priority,
              expiration,
              ledger);
      return new Restored(message, publishedAt);
    } catch (RuntimeException e) {
      stored.body().release();
      throw e;
    } finally {
      meta.release();
    }
  }

  private static String shortString(ByteBuf in) {
    int length = in.readUnsignedByte();
    String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
    in.skipBytes(length);
    return s;
  }
}
