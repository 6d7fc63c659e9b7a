package dev.warren.queue;

import dev.warren.storage.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a queue's memory bounded: once the ready messages held in memory pass a budget, new ones
 * are paged out (their message is dropped: the log has it, or it was written to the spill store)
 * into the compact tails of the lanes ({@link PagedTail}, a few bytes per message), and they are
 * read back, oldest first and ahead of the consumers, when the resident part shrinks to half the
 * budget. An entry needed now (the head, for a priority queue not necessarily the oldest paged-out
 * one) is read first. One read is in flight at a time, on a store's thread; its result comes back
 * through the queue's mailbox. Paging is the node's own business: nothing of it is ever replicated.
 *
 * <p>Owner: the queue's thread. Buffers: a page-in hands the entry one reference to its message; a
 * read that comes back for an entry no longer paged out (delivered, purged, expired) is released.
 */
final class Pager {
  private static final Logger LOG = LoggerFactory.getLogger(Pager.class);

  /** Body bytes of ready messages a queue keeps in memory before it pages out. */
  static final long RESIDENT_BYTES = 8L << 20;

  /** Ready messages a queue keeps in memory before it pages out, however small. */
  static final int RESIDENT_COUNT = 16_384;

  private final String queueName;
  private final QueueStore store;
  private final Executor mailbox;
  private final Runnable pagedIn;
  private final Consumer<Entry> readBack;
  private final Consumer<Entry> unreadable;
  private long pagedBytes;
  private int pagedCount;
  private boolean reading;

  /**
   * @param pagedIn run on the queue's thread after a read brought messages back
   * @param readBack told of each ready entry whose message is back in memory, before {@code
   *     pagedIn}
   * @param unreadable told of a ready entry whose message cannot be read back: the queue drops it
   *     from memory (it stays on disk, for a restart with the file mended)
   */
  Pager(
      String queueName,
      QueueStore store,
      Executor mailbox,
      Runnable pagedIn,
      Consumer<Entry> readBack,
      Consumer<Entry> unreadable) {
    this.queueName = queueName;
    this.store = store;
    this.mailbox = mailbox;
    this.pagedIn = pagedIn;
    this.readBack = readBack;
    this.unreadable = unreadable;
  }

  /** Ready messages paged out now. */
  int pagedCount() {
    return pagedCount;
  }

  /** Whether the ready messages held in memory are over budget. */
  boolean overBudget(ReadyMessages ready) {
    return residentOver(ready, RESIDENT_BYTES, RESIDENT_COUNT);
  }

  /**
   * Whether a new ready message of {@code priority} must be paged out: over budget, or others of
   * its priority are paged out already (it must queue behind them).
   */
  boolean mustPageOut(ReadyMessages ready, int priority) {
    return overBudget(ready) || ready.hasTail(priority);
  }

  /**
   * Pages out {@code e} (in a store or on its way there, not yet ready, resident): its message is
   * released and it joins the compact tail of its lane.
   */
  void pageOut(Entry e, ReadyMessages ready) {
    e.takeMessage().release();
    pagedBytes += e.bodySize;
    pagedCount++;
    ready.addPagedOut(e);
  }

  /** A paged-out entry leaves the ready list without being read (expired, dropped, purged). */
  void forget(Entry e) {
    if (e.pagedOut) {
      e.pagedOut = false;
      pagedBytes -= e.bodySize;
      pagedCount--;
    }
  }

  /** Every ready message is gone (purge, delete). */
  void clear() {
    pagedBytes = 0;
    pagedCount = 0;
  }

  /**
   * Reads back {@code head} (paged out and needed now) with the oldest paged-out entries after it,
   * unless a read is in flight already.
   */
  void load(Entry head, ReadyMessages ready) {
    if (!reading) {
      read(head, ready);
    }
  }

  /**
   * Whether the ready messages held in memory are over twice the budget: past this they page out
   * even while publishers are held ({@link Pacing}), for what arrives anyway (dead letters, what
   * paused publishers had sent already).
   */
  boolean overTwiceBudget(ReadyMessages ready) {
    return residentOver(ready, 2 * RESIDENT_BYTES, 2 * RESIDENT_COUNT);
  }

  /** Whether the ready messages held in memory are within half the budget. */
  boolean underHalfBudget(ReadyMessages ready) {
    return !residentOver(ready, RESIDENT_BYTES / 2, RESIDENT_COUNT / 2);
  }

  /** Whether the ready messages held in memory pass {@code bytes} or {@code count}. */
  private boolean residentOver(ReadyMessages ready, long bytes, int count) {
    return ready.bytes() - pagedBytes > bytes || ready.size() - pagedCount > count;
  }

  /** Reads ahead when the resident ready messages have shrunk to half the budget. */
  void readAhead(ReadyMessages ready) {
    if (!reading && pagedCount > 0 && underHalfBudget(ready)) {
      read(null, ready);
    }
  }

  private void read(Entry first, ReadyMessages ready) {
    List<Entry> batch = new ArrayList<>();
    long bytes = 0;
    if (first != null) {
      batch.add(first);
      bytes += first.bodySize;
    }
    batch.addAll(ready.unpage(RESIDENT_COUNT / 4 - batch.size(), RESIDENT_BYTES / 4 - bytes));
    if (batch.isEmpty()) {
      return;
    }
    reading = true;
    store
        .read(batch)
        .whenComplete(
            (read, error) -> ReadBack.handBack(mailbox, read, () -> loaded(batch, read, error)));
  }

  private void loaded(List<Entry> batch, List<StoredMessage> read, Throwable error) {
    reading = false;
    for (int i = 0; i < batch.size(); i++) {
      Entry e = batch.get(i);
      Message message = null;
      Throwable failure = error;
      if (failure == null && read.get(i) == null) {
        failure = new IllegalStateException("no longer in its store");
      } else if (failure == null) {
        try {
          message = store.restore(read.get(i)).message();
        } catch (RuntimeException bad) {
          failure = bad;
        }
      }
      if (!e.pagedOut) {
        if (message != null) {
          message.release(); // taken, purged or expired meanwhile
        }
      } else if (message != null) {
        forget(e);
        store.readBack(e);
        e.message = message;
        readBack.accept(e);
      } else {
        LOG.error(
            "queue '{}': cannot read message {} back from its store; it stays there",
            queueName,
            e.id,
            failure);
        forget(e);
        unreadable.accept(e);
      }
    }
    pagedIn.run();
  }
}
