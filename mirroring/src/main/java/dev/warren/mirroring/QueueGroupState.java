package dev.warren.mirroring;

import dev.warren.storage.MessageRuns;
import dev.warren.storage.RecoveredLog;
import dev.warren.storage.StoredMessage;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The replicated state of one queue group: for each queue of the group, its live messages (id,
 * delivered mark, delivery count, the stored bytes) and the lowest id it may append next; and the
 * ids of the queues deleted, which take nothing more. Deterministic: {@link #apply} depends only on
 * the state and the entry (no clock, no node), so every replica that applies the same log holds the
 * same state.
 *
 * <p>Threads: guarded by its own monitor; the state machine updater applies, readers ({@link
 * #read}, {@link #recovered}) come from queues' threads.
 */
final class QueueGroupState {

  /**
   * A message as the log holds it; the bytes share the log entry's. {@code deliveryCount}: the
   * deliveries after which it last came back to the queue (0 until it is returned once).
   */
  private record Held(
      ByteString metadata, ByteString body, boolean delivered, int deliveryCount, int deadLetter) {
    Held marked(boolean delivered, int deliveryCount) {
      return new Held(metadata, body, delivered, deliveryCount, deadLetter);
    }

    Held deadLettering(int reason) {
      return new Held(metadata, body, delivered, deliveryCount, reason);
    }
  }

  /** Snapshot flags of a message: delivered; a delivery count follows. */
  private static final int DELIVERED = 1;

  private static final int COUNTED = 2;

  /** Snapshot flag of a message: being dead-lettered; its reason follows (after any count). */
  private static final int DEAD_LETTERING = 4;

  /** One queue's log. */
  private static final class QueueLog {
    final TreeMap<Long, Held> messages = new TreeMap<>();
    long nextId;
  }

  private final Map<Long, QueueLog> queues = new HashMap<>();
  private final Set<Long> deleted = new HashSet<>();

  /**
   * Applies one committed entry; returns false when it is refused (an append whose id does not
   * increase, which makes a retried append a no-op, or any change to a deleted queue). A barrier
   * changes nothing.
   */
  synchronized boolean apply(QueueGroupEntry e) {
    if (deleted.contains(e.queueId())) {
      return e.op() == QueueGroupEntry.Op.DELETE || e.op() == QueueGroupEntry.Op.BARRIER;
    }
    switch (e.op()) {
      case APPEND -> {
        QueueLog log = queues.computeIfAbsent(e.queueId(), id -> new QueueLog());
        if (e.messageId() < log.nextId) {
          return false;
        }
        log.messages.put(e.messageId(), new Held(e.metadata(), e.body(), false, 0, -1));
        log.nextId = e.messageId() + 1;
      }
      case DELIVERED -> {
        QueueLog log = queues.get(e.queueId());
        Held held = log == null ? null : log.messages.get(e.messageId());
        if (held != null) {
          log.messages.put(e.messageId(), held.marked(true, held.deliveryCount()));
        }
      }
      case RETURNED -> {
        QueueLog log = queues.get(e.queueId());
        Held held = log == null ? null : log.messages.get(e.messageId());
        if (held != null) {
          log.messages.put(e.messageId(), held.marked(true, e.deliveryCount()));
        }
      }
      case DEAD_LETTERING -> {
        QueueLog log = queues.get(e.queueId());
        Held held = log == null ? null : log.messages.get(e.messageId());
        if (held != null) {
          log.messages.put(e.messageId(), held.deadLettering(e.deliveryCount()));
        }
      }
      case ACK -> {
        QueueLog log = queues.get(e.queueId());
        if (log != null) {
          log.messages.remove(e.messageId());
        }
      }
      case PURGE -> {
        QueueLog log = queues.get(e.queueId());
        if (log != null) {
          log.messages.clear();
        }
      }
      case DELETE -> {
        queues.remove(e.queueId());
        deleted.add(e.queueId());
      }
      case BARRIER -> {}
    }
    return true;
  }

  /**
   * The queue's log for its new leader: every live message flagged redelivered (the previous leader
   * may have delivered any of them: deliveries are not logged as they leave), with the delivery
   * count it last came back with, and its next id.
   */
  synchronized RecoveredLog recovered(long queueId) {
    QueueLog log = queues.get(queueId);
    if (log == null) {
      return new RecoveredLog(MessageRuns.EMPTY, 0);
    }
    MessageRuns.Builder runs = new MessageRuns.Builder();
    Map<Long, Integer> counts = new HashMap<>();
    Map<Long, Integer> deadLettering = new HashMap<>();
    for (Map.Entry<Long, Held> m : log.messages.entrySet()) {
      runs.add(m.getKey(), true);
      if (m.getValue().deliveryCount() > 0) {
        counts.put(m.getKey(), m.getValue().deliveryCount());
      }
      if (m.getValue().deadLetter() >= 0) {
        deadLettering.put(m.getKey(), m.getValue().deadLetter());
      }
    }
    return new RecoveredLog(runs.build(), log.nextId, counts, deadLettering);
  }

  /** The messages of {@code ids} (null for those not held), on heap buffers the caller owns. */
  synchronized List<StoredMessage> read(long queueId, long[] ids) {
    QueueLog log = queues.get(queueId);
    List<StoredMessage> read = new ArrayList<>(ids.length);
    for (long id : ids) {
      Held held = log == null ? null : log.messages.get(id);
      read.add(held == null ? null : stored(id, held.metadata(), held.body()));
    }
    return read;
  }

  static StoredMessage stored(long id, ByteString metadata, ByteString body) {
    return new StoredMessage(
        id,
        Unpooled.wrappedBuffer(metadata.asReadOnlyByteBuffer()),
        Unpooled.wrappedBuffer(body.asReadOnlyByteBuffer()));
  }

  /** How many live messages the queue has. */
  synchronized int size(long queueId) {
    QueueLog log = queues.get(queueId);
    return log == null ? 0 : log.messages.size();
  }

  /**
   * Writes the whole state (the snapshot's body).
   *
   * <pre>
   * i32 queues, queues x (i64 queueId, i64 nextId, i32 count,
   *                       count x (i64 id, u8 flags, [i32 deliveryCount,] [i32 reason,]
   *                                i32 m, m bytes, i32 b, b bytes)),
   * i32 deleted, deleted x i64 queueId
   * </pre>
   *
   * Flags: 1 delivered; 2 a delivery count follows (a message returned at least once); 4 the
   * message is being dead-lettered, its reason follows. A snapshot written before counts and marks
   * were kept has flags 0 or 1 and reads as it did.
   */
  synchronized void write(DataOutputStream out) throws IOException {
    out.writeInt(queues.size());
    for (Map.Entry<Long, QueueLog> q : new TreeMap<>(queues).entrySet()) {
      out.writeLong(q.getKey());
      out.writeLong(q.getValue().nextId);
      out.writeInt(q.getValue().messages.size());
      for (Map.Entry<Long, Held> m : q.getValue().messages.entrySet()) {
        out.writeLong(m.getKey());
        Held held = m.getValue();
        int counted = held.deliveryCount() > 0 ? COUNTED : 0;
        int dead = held.deadLetter() >= 0 ? DEAD_LETTERING : 0;
        out.writeByte((held.delivered() ? DELIVERED : 0) | counted | dead);
        if (counted != 0) {
          out.writeInt(held.deliveryCount());
        }
        if (dead != 0) {
          out.writeInt(held.deadLetter());
        }
        out.writeInt(m.getValue().metadata().size());
        m.getValue().metadata().writeTo(out);
        out.writeInt(m.getValue().body().size());
        m.getValue().body().writeTo(out);
      }
    }
    out.writeInt(deleted.size());
    for (long id : sorted(deleted)) {
      out.writeLong(id);
    }
  }

  private static List<Long> sorted(Set<Long> ids) {
    List<Long> list = new ArrayList<>(ids);
    list.sort(null);
    return list;
  }

  /** Replaces the whole state with one {@link #write} wrote. */
  synchronized void read(DataInputStream in) throws IOException {
    queues.clear();
    deleted.clear();
    int count = in.readInt();
    for (int i = 0; i < count; i++) {
      QueueLog log = new QueueLog();
      long queueId = in.readLong();
      log.nextId = in.readLong();
      int messages = in.readInt();
      for (int j = 0; j < messages; j++) {
        long id = in.readLong();
        int flags = in.readByte();
        int deliveryCount = (flags & COUNTED) != 0 ? in.readInt() : 0;
        int deadLetter = (flags & DEAD_LETTERING) != 0 ? in.readInt() : -1;
        ByteString metadata = bytes(in);
        boolean delivered = (flags & DELIVERED) != 0;
        Held held = new Held(metadata, bytes(in), delivered, deliveryCount, deadLetter);
        log.messages.put(id, held);
      }
      queues.put(queueId, log);
    }
    int gone = in.readInt();
    for (int i = 0; i < gone; i++) {
      deleted.add(in.readLong());
    }
  }

  private static ByteString bytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("negative length in a queue group snapshot");
    }
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    return UnsafeByteOperations.unsafeWrap(bytes);
  }
}
