package dev.warren.stress;

import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The checker every publishing scenario shares: which messages were published, which the broker
 * confirmed (basic.ack) or refused (basic.nack), and which came back to a consumer. A message is
 * named by an id that carries its publisher and its sequence number (in the message-id property),
 * so the check is exact: a confirmed message that was never consumed is lost, a consumed message
 * that was never published is a stranger, and one consumed twice is a duplicate.
 *
 * <pre>
 * id (long):  [ publisher: 23 bits ][ sequence number: 40 bits ]
 * </pre>
 *
 * <p>Threads: any. Each publisher's log is guarded by its own monitor.
 */
final class Ledger {
  private static final int SEQ_BITS = 40;
  private static final long SEQ_MASK = (1L << SEQ_BITS) - 1;

  private final List<Log> logs = new CopyOnWriteArrayList<>();
  private final AtomicLong strangers = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();

  /** One publisher's messages, by sequence number (0, 1, 2, ...). */
  final class Log {
    private final int publisher;
    private final BitSet published = new BitSet();
    private final BitSet confirmed = new BitSet();
    private final BitSet nacked = new BitSet();
    private final BitSet consumed = new BitSet();
    private int next;

    private Log(int publisher) {
      this.publisher = publisher;
    }

    /** The id of this publisher's next message, marked published. */
    synchronized long publish() {
      int seq = next++;
      published.set(seq);
      return ((long) publisher << SEQ_BITS) | seq;
    }

    synchronized void confirmed(long id, boolean ack) {
      int seq = (int) (id & SEQ_MASK);
      (ack ? confirmed : nacked).set(seq);
    }

    private synchronized void consumed(int seq) {
      if (!published.get(seq)) {
        strangers.incrementAndGet();
      } else if (consumed.get(seq)) {
        duplicates.incrementAndGet();
      } else {
        consumed.set(seq);
      }
    }

    private synchronized Counts counts() {
      BitSet lost = (BitSet) confirmed.clone();
      lost.andNot(consumed);
      return new Counts(
          published.cardinality(),
          confirmed.cardinality(),
          nacked.cardinality(),
          consumed.cardinality(),
          lost.cardinality(),
          0,
          0);
    }
  }

  /** Figures over every publisher; {@code lost} counts confirmed messages never consumed. */
  record Counts(
      long published,
      long confirmed,
      long nacked,
      long consumed,
      long lost,
      long duplicates,
      long strangers) {
    Counts plus(Counts o) {
      return new Counts(
          published + o.published,
          confirmed + o.confirmed,
          nacked + o.nacked,
          consumed + o.consumed,
          lost + o.lost,
          duplicates + o.duplicates,
          strangers + o.strangers);
    }
  }

  /** A new publisher's log. */
  synchronized Log publisher() {
    Log log = new Log(logs.size());
    logs.add(log);
    return log;
  }

  /** A consumer received the message with this id (from its message-id property). */
  void consumed(long id) {
    int publisher = (int) (id >>> SEQ_BITS);
    if (id < 0 || publisher >= logs.size()) {
      strangers.incrementAndGet();
      return;
    }
    logs.get(publisher).consumed((int) (id & SEQ_MASK));
  }

  /** As {@link #consumed(long)} for a message-id property; anything unparseable is a stranger. */
  void consumed(String messageId) {
    try {
      consumed(Long.parseLong(messageId));
    } catch (NumberFormatException | NullPointerException e) {
      strangers.incrementAndGet();
    }
  }

  /** Consumed so far (distinct), cheap enough to poll. */
  long consumedCount() {
    long n = 0;
    for (Log log : logs) {
      synchronized (log) {
        n += log.consumed.cardinality();
      }
    }
    return n;
  }

  /** Confirmed messages not consumed yet. */
  long missing() {
    return counts().lost();
  }

  Counts counts() {
    Counts sum = new Counts(0, 0, 0, 0, 0, duplicates.get(), strangers.get());
    for (Log log : logs) {
      sum = sum.plus(log.counts());
    }
    return sum;
  }
}
