package dev.warren.mirroring;

import dev.warren.storage.RemoteQueue;
import dev.warren.storage.StoredMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * A client command on a mirrored queue, forwarded by a node that follows the queue's group to the
 * node that leads it ({@link ForwardedQueue}), as a Raft read-only request: it goes to the leader's
 * {@link QueueGroupStateMachine#query}, never into the log. The leader's queue writes what it needs
 * to the log itself, as for its own clients.
 *
 * <p>Request (version 4, big-endian). Each names its sender: the node, and the incarnation of its
 * process ({@link Sender}), so that the leader knows whose messages it lent ({@link Loans}).
 *
 * <pre>
 * +---------+-------+----------+-------------+------------------+--------------------------+
 * | version | op    | queueId  | incarnation | node             | by op                    |
 * | u8 = 4  | u8    | i64      | i64         | u8 n, n x UTF-8  |                          |
 * +---------+-------+----------+-------------+------------------+--------------------------+
 * op 1 PUBLISH  i32 n, n x (i32 m, m bytes metadata (the log's form), i32 b, b bytes body)
 * op 2 GET      u8 noAck, i32 max, i64 token (the sender's, to cancel it by), i64 consumer (0 for
 *               a basic.get; the sender's single active consumer candidate it is for; -1 for
 *               any consumer of other queues), i32 priority (that consumer's)
 * op 3 ACK      u8 applied (answer once applied), i32 n, n x i64 messageId
 * op 4 REJECT   u8 requeue, i32 n, n x i64 messageId
 * op 5 COUNTS   (nothing)
 * op 6 PURGE    (nothing)
 * op 7 HELLO    (nothing; queueId 0): the sender runs as this incarnation
 * op 8 CANCEL   i64 token: the GET with this token failed at the sender; what it took goes back
 * op 9 CONTEND  i64 consumer, i32 priority: the sender's candidate to be the single active
 *               consumer (0: none any more)
 * </pre>
 *
 * Reply, by op: PUBLISH n x u8 accepted; GET i32 n, n x (i64 messageId, u8 redelivered, i32
 * messageCount, i32 deliveryCount, i32 m, m bytes metadata, i32 b, b bytes body); ACK, REJECT,
 * HELLO, CANCEL, CONTEND nothing; COUNTS i32 messages, i32 consumers; PURGE i32 count. A refusal is
 * a failed request.
 */
record ForwardedCommand(
    Op op,
    long queueId,
    Sender sender,
    boolean flag,
    int max,
    long token,
    long consumer,
    int priority,
    long[] ids,
    List<ByteString[]> messages) {

  static final int VERSION = 4;
  private static final int FIXED_HEADER = 1 + 1 + 8 + 8 + 1;

  /**
   * The node that sent a command, and its process: {@code incarnation} is drawn at random when the
   * node starts, so a restarted node's differs from the one before.
   */
  record Sender(String node, long incarnation) {
    Sender {
      if (node.getBytes(StandardCharsets.UTF_8).length > 255) {
        throw new IllegalArgumentException("node name over 255 bytes: " + node);
      }
    }
  }

  enum Op {
    PUBLISH,
    GET,
    ACK,
    REJECT,
    COUNTS,
    PURGE,
    HELLO,
    CANCEL,
    CONTEND;

    int code() {
      return ordinal() + 1;
    }
  }

  /** Publishes of messages in the log's form: each a {metadata, body} pair of arrays. */
  static ByteString publish(Sender sender, long queueId, List<byte[][]> messages) {
    int size = header(sender) + 4;
    for (byte[][] m : messages) {
      size += 8 + m[0].length + m[1].length;
    }
    byte[] bytes = new byte[size];
    ByteBuffer out = header(bytes, Op.PUBLISH, queueId, sender).putInt(messages.size());
    for (byte[][] m : messages) {
      out.putInt(m[0].length).put(m[0]).putInt(m[1].length).put(m[1]);
    }
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  /**
   * Takes up to {@code max} messages; {@code token}: the sender's name for this GET; {@code
   * consumer}, {@code priority}: the sender's consumer they are for (0: a basic.get).
   */
  static ByteString get(
      Sender sender,
      long queueId,
      boolean noAck,
      int max,
      long token,
      long consumer,
      int priority) {
    byte[] bytes = new byte[header(sender) + 1 + 4 + 8 + 8 + 4];
    header(bytes, Op.GET, queueId, sender)
        .put((byte) (noAck ? 1 : 0))
        .putInt(max)
        .putLong(token)
        .putLong(consumer)
        .putInt(priority);
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  /** The sender's candidate to be the queue's single active consumer (0: none). */
  static ByteString contend(Sender sender, long queueId, long consumer, int priority) {
    byte[] bytes = new byte[header(sender) + 8 + 4];
    header(bytes, Op.CONTEND, queueId, sender).putLong(consumer).putInt(priority);
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  /** What the GET with {@code token} took goes back: it failed at the sender. */
  static ByteString cancel(Sender sender, long queueId, long token) {
    byte[] bytes = new byte[header(sender) + 8];
    header(bytes, Op.CANCEL, queueId, sender).putLong(token);
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  /** An ack ({@code flag}: answered once applied) or a reject ({@code flag}: requeue). */
  static ByteString settle(Sender sender, long queueId, Op op, long[] ids, boolean flag) {
    byte[] bytes = new byte[header(sender) + 1 + 4 + 8 * ids.length];
    ByteBuffer out = header(bytes, op, queueId, sender);
    out.put((byte) (flag ? 1 : 0));
    out.putInt(ids.length);
    for (long id : ids) {
      out.putLong(id);
    }
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  /** A command about the whole queue (counts, purge), or about none (hello, queue id 0). */
  static ByteString of(Sender sender, Op op, long queueId) {
    byte[] bytes = new byte[header(sender)];
    header(bytes, op, queueId, sender);
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  /** The header's size with {@code sender}'s name. */
  private static int header(Sender sender) {
    return FIXED_HEADER + sender.node().getBytes(StandardCharsets.UTF_8).length;
  }

  private static ByteBuffer header(byte[] bytes, Op op, long queueId, Sender sender) {
    byte[] node = sender.node().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.wrap(bytes)
        .put((byte) VERSION)
        .put((byte) op.code())
        .putLong(queueId)
        .putLong(sender.incarnation())
        .put((byte) node.length)
        .put(node);
  }

  /**
   * Reads a request.
   *
   * @throws IllegalArgumentException if it is not one this version writes
   */
  static ForwardedCommand decode(ByteString data) {
    try {
      return read(data);
    } catch (BufferUnderflowException | NegativeArraySizeException e) {
      throw new IllegalArgumentException("forwarded command truncated", e);
    }
  }

  private static ForwardedCommand read(ByteString data) {
    ByteBuffer in = data.asReadOnlyByteBuffer();
    if (in.remaining() < FIXED_HEADER || (in.get() & 0xFF) != VERSION) {
      throw new IllegalArgumentException("not a version-" + VERSION + " forwarded command");
    }
    int code = in.get() & 0xFF;
    if (code < 1 || code > Op.values().length) {
      throw new IllegalArgumentException("unknown forwarded command op " + code);
    }
    Op op = Op.values()[code - 1];
    long queueId = in.getLong();
    long incarnation = in.getLong();
    byte[] node = new byte[in.get() & 0xFF];
    in.get(node);
    Sender sender = new Sender(new String(node, StandardCharsets.UTF_8), incarnation);
    ForwardedCommand c =
        switch (op) {
          case PUBLISH -> {
            int n = in.getInt();
            if (n < 0 || n > in.remaining() / 8) {
              throw new IllegalArgumentException(n + " messages past the end");
            }
            List<ByteString[]> messages = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
              ByteString metadata = slice(data, in);
              messages.add(new ByteString[] {metadata, slice(data, in)});
            }
            yield new ForwardedCommand(op, queueId, sender, false, 0, 0, 0, 0, null, messages);
          }
          case GET -> {
            boolean noAck = in.get() != 0;
            int max = in.getInt();
            long token = in.getLong();
            long consumer = in.getLong();
            int priority = in.getInt();
            yield new ForwardedCommand(
                op, queueId, sender, noAck, max, token, consumer, priority, null, null);
          }
          case CANCEL ->
              new ForwardedCommand(op, queueId, sender, false, 0, in.getLong(), 0, 0, null, null);
          case CONTEND -> {
            long consumer = in.getLong();
            int priority = in.getInt();
            yield new ForwardedCommand(
                op, queueId, sender, false, 0, 0, consumer, priority, null, null);
          }
          case ACK, REJECT -> {
            boolean flag = in.get() != 0;
            int n = in.getInt();
            if (n < 0 || n > in.remaining() / 8) {
              throw new IllegalArgumentException(n + " ids past the end");
            }
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
              ids[i] = in.getLong();
            }
            yield new ForwardedCommand(op, queueId, sender, flag, 0, 0, 0, 0, ids, null);
          }
          case COUNTS, PURGE, HELLO ->
              new ForwardedCommand(op, queueId, sender, false, 0, 0, 0, 0, null, null);
        };
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(op + " command of " + data.size() + " bytes");
    }
    return c;
  }

  /** The next length-prefixed part of {@code data} at {@code in}'s position (shared, no copy). */
  private static ByteString slice(ByteString data, ByteBuffer in) {
    int n = in.getInt();
    int at = in.position();
    if (n < 0 || n > in.remaining()) {
      throw new IllegalArgumentException("length " + n + " past the end");
    }
    in.position(at + n);
    return data.substring(at, at + n);
  }

  // --- Replies ------------------------------------------------------------------------------

  static ByteString accepted(boolean[] accepted) {
    byte[] bytes = new byte[accepted.length];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (accepted[i] ? 1 : 0);
    }
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  /** Whether the {@code i}th publish of a PUBLISH reply was accepted. */
  static boolean accepted(ByteString reply, int i) {
    return i < reply.size() && reply.byteAt(i) == 1;
  }

  /** A GET's reply; releases the deliveries' buffers. */
  static ByteString delivered(List<RemoteQueue.Delivered> deliveries) {
    int size = 4;
    for (RemoteQueue.Delivered d : deliveries) {
      size += 8 + 1 + 4 + 4 + 4 + d.message().metadata().readableBytes() + 4;
      size += d.message().body().readableBytes();
    }
    byte[] bytes = new byte[size];
    ByteBuffer out = ByteBuffer.wrap(bytes).putInt(deliveries.size());
    for (RemoteQueue.Delivered d : deliveries) {
      StoredMessage m = d.message();
      out.putLong(m.messageId())
          .put((byte) (d.redelivered() ? 1 : 0))
          .putInt(d.messageCount())
          .putInt(d.deliveryCount());
      put(out, m.metadata());
      put(out, m.body());
      m.release();
    }
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  private static void put(ByteBuffer out, ByteBuf b) {
    int n = b.readableBytes();
    out.putInt(n);
    b.getBytes(b.readerIndex(), out.array(), out.position(), n);
    out.position(out.position() + n);
  }

  /** Reads a GET's reply; the caller owns the buffers (heap, wrapping the reply's bytes). */
  static List<RemoteQueue.Delivered> delivered(ByteString reply) {
    ByteBuffer in = reply.asReadOnlyByteBuffer();
    int n = in.getInt();
    List<RemoteQueue.Delivered> out = new ArrayList<>(Math.max(0, Math.min(n, 1024)));
    for (int i = 0; i < n; i++) {
      long id = in.getLong();
      boolean redelivered = in.get() != 0;
      int messageCount = in.getInt();
      int deliveryCount = in.getInt();
      ByteBuf metadata = take(in);
      ByteBuf body = take(in);
      out.add(
          new RemoteQueue.Delivered(
              new StoredMessage(id, metadata, body), redelivered, messageCount, deliveryCount));
    }
    return out;
  }

  private static ByteBuf take(ByteBuffer in) {
    int n = in.getInt();
    byte[] bytes = new byte[n];
    in.get(bytes);
    return Unpooled.wrappedBuffer(bytes);
  }

  static ByteString counts(RemoteQueue.Counts counts) {
    return UnsafeByteOperations.unsafeWrap(
        ByteBuffer.allocate(8).putInt(counts.messages()).putInt(counts.consumers()).array());
  }

  static RemoteQueue.Counts counts(ByteString reply) {
    ByteBuffer in = reply.asReadOnlyByteBuffer();
    return new RemoteQueue.Counts(in.getInt(), in.getInt());
  }

  static ByteString count(int count) {
    return UnsafeByteOperations.unsafeWrap(ByteBuffer.allocate(4).putInt(count).array());
  }

  static int count(ByteString reply) {
    return reply.asReadOnlyByteBuffer().getInt();
  }
}
