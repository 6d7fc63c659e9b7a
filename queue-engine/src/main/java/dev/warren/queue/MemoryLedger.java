package dev.warren.queue;

import java.util.concurrent.atomic.AtomicLong;

/**
 * An estimate of the heap the broker's message bookkeeping holds: what queues keep per message
 * (entries ready, paged out or unacked, and the messages' own objects), what connections hold on
 * their way out, and the fixed cost of each queue, connection and channel. It grows and shrinks
 * with them, so publishers can be held back as soon as it passes its limit, long before a garbage
 * collection would show the live heap filling up. Message bodies are not here: they are direct
 * memory, measured by the buffer pool.
 *
 * <p>Thread-safe: every owner reports its changes from its own thread (a queue once per batch of
 * its commands); anyone reads.
 */
public final class MemoryLedger {
  /** A ready entry in memory, with its slot in its lane. */
  public static final int READY_ENTRY = 72;

  /** A paged-out message: its place in a lane's compact tail and in its store's index. */
  public static final int PAGED_ENTRY = 16;

  /**
   * A delivered, unacked message: its entry, its slot in the queue's unacked table, and the
   * channel's record of its delivery tag.
   */
  public static final int UNACKED_ENTRY = 72 + 24 + 24;

  /** The objects of a message itself (not its body): shared by every queue it was routed to. */
  public static final int MESSAGE = 256;

  /** A queue with nothing in it. */
  public static final int QUEUE = 4096;

  private final AtomicLong bytes = new AtomicLong();
  private final long limit;

  /**
   * @param limit the estimate above which {@link #over()} holds; {@code Long.MAX_VALUE} for none
   */
  public MemoryLedger(long limit) {
    this.limit = limit;
  }

  /** A ledger that only counts (tests, tools). */
  public static MemoryLedger unlimited() {
    return new MemoryLedger(Long.MAX_VALUE);
  }

  /** Records a change of {@code delta} bytes (negative when memory was given back). */
  public void add(long delta) {
    if (delta != 0) {
      bytes.addAndGet(delta);
    }
  }

  /** The estimate now, in bytes. */
  public long bytes() {
    return bytes.get();
  }

  public long limit() {
    return limit;
  }

  /** Whether the estimate is past its limit: publishers must wait. */
  public boolean over() {
    return bytes.get() > limit;
  }

  /** Whether the estimate is back under nine tenths of its limit: publishers may go on. */
  public boolean clear() {
    return bytes.get() <= limit / 10 * 9;
  }
}
