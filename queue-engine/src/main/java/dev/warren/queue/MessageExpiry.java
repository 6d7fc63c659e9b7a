package dev.warren.queue;

import java.util.concurrent.Executor;

/**
 * Message TTL for one queue: deadlines, the index of early ones, and the queue's one expiry timer.
 *
 * <p>A message's deadline is its enqueue time plus the smaller of the queue's {@code x-message-ttl}
 * and its own expiration. When the queue's TTL decides, deadlines grow with ids, so within a
 * priority lane the head has the earliest of them: nothing to index. A message whose own, shorter
 * expiration decides goes into the {@link ExpiryIndex} heap. The earliest deadline of the queue is
 * thus the smaller of the heap's top and the lanes' heads: O(1) for a plain queue, O(lanes in use)
 * for a priority queue. One timer is armed for it; a ready message with an earlier deadline re-arms
 * it (cancelling the old one); when it fires, the due entries are expired one by one and the timer
 * is armed for the next deadline. No timer per message, no periodic scan: an expiry step costs
 * O(log n) per expired entry, and messages that leave for consumers leave the heap at once.
 *
 * <p>Owner: the queue's thread; the timer may fire on any thread and hops into the queue's mailbox.
 * Buffers: none of its own; entries it returns from {@link #pollDue} still hold their message.
 */
final class MessageExpiry {
  private long queueTtl;
  private final ReadyMessages ready;
  private final Scheduler scheduler;
  private final Executor mailbox;
  private final Runnable onTimer;
  private final ExpiryIndex index = new ExpiryIndex();

  /** False until some entry has a deadline: queues without TTLs do nothing here. */
  private boolean active;

  /**
   * The queue's TTL changed while messages were ready: index every deadline ({@link #queueTtl}).
   */
  private boolean indexAll;

  private long armedFor = Entry.NO_DEADLINE;
  private Scheduler.Cancellable timer;
  private Object generation;
  private long examined;

  /**
   * @param onTimer run on the queue's thread when the armed deadline comes
   */
  MessageExpiry(
      long queueTtl, ReadyMessages ready, Scheduler scheduler, Executor mailbox, Runnable onTimer) {
    this.queueTtl = queueTtl;
    this.ready = ready;
    this.scheduler = scheduler;
    this.mailbox = mailbox;
    this.onTimer = onTimer;
  }

  boolean active() {
    return active;
  }

  /**
   * The queue's {@code x-message-ttl} changed (-1: none): messages published from now on follow it.
   * Their deadlines no longer grow with ids behind the messages already there, so until the queue
   * is empty again every new deadline goes into the index, as a message's own expiration does.
   */
  void queueTtl(long ttl) {
    if (ttl != queueTtl && !ready.isEmpty()) {
      indexAll = true;
    }
    queueTtl = ttl;
  }

  long now() {
    return scheduler.nowMillis();
  }

  /**
   * The deadline of {@code message}, enqueued {@code ageMillis} ago (0 when published now, more
   * when recovered from the journal); reads the clock only when a TTL applies.
   */
  long deadline(Message message, long ageMillis) {
    long own = message.expirationMillis();
    if (queueTtl < 0 && own < 0) {
      return Entry.NO_DEADLINE;
    }
    long ttl = queueTtl < 0 ? own : own < 0 ? queueTtl : Math.min(own, queueTtl);
    ttl = Math.max(0, ttl - Math.max(0, ageMillis));
    long now = now();
    return ttl >= Entry.NO_DEADLINE - 1 - now ? Entry.NO_DEADLINE - 1 : now + ttl;
  }

  /** Whether the message's own expiration, not the queue's TTL, decides its deadline. */
  boolean ownExpiry(Message message) {
    long own = message.expirationMillis();
    return own >= 0 && (queueTtl < 0 || own < queueTtl);
  }

  /** {@code e} became ready (published or requeued): index it if needed, arm the timer. */
  void ready(Entry e) {
    if (indexAll && ready.size() <= 1) {
      indexAll = false; // alone in the queue: deadlines grow with ids again from here
    }
    if (e.deadline == Entry.NO_DEADLINE) {
      return;
    }
    active = true;
    if (e.ownExpiry || indexAll) {
      index.add(e);
    }
    arm(e.deadline);
  }

  /** {@code e} left the ready list (delivered, dropped, purged). */
  void left(Entry e) {
    index.remove(e);
  }

  /** Forgets every index entry (purge, delete). */
  void clear() {
    index.clear();
  }

  /**
   * Takes the ready entry with the earliest deadline out of the ready list if that deadline is at
   * or before {@code now}; returns it (with its message) or null.
   */
  Entry pollDue(long now) {
    if (!active) {
      return null;
    }
    Entry e = earliest();
    if (e == null || e.deadline > now) {
      return null;
    }
    index.remove(e);
    ready.remove(e);
    return e;
  }

  /** Arms the timer for the earliest deadline left, unless one is armed earlier. */
  void rearm() {
    if (!active) {
      return;
    }
    Entry e = earliest();
    if (e != null && e.deadline != Entry.NO_DEADLINE) {
      arm(e.deadline);
    }
  }

  void cancel() {
    if (timer != null) {
      timer.cancel();
    }
    timer = null;
    generation = null;
    armedFor = Entry.NO_DEADLINE;
  }

  /**
   * Entries examined so far to find due ones, plus dead ones dropped from lane heads (for tests);
   * heap sifts, O(log n) each, are not counted.
   */
  long work() {
    return examined + ready.skipped();
  }

  /** Entries visited by compactions of dead ones, amortized over expiries (for tests). */
  long compactionWork() {
    return ready.compacted();
  }

  private Entry earliest() {
    Entry own = index.peek();
    Entry head = ready.earliestHead();
    examined += 2;
    if (own == null) {
      return head;
    }
    return head == null || own.deadline <= head.deadline ? own : head;
  }

  private void arm(long deadline) {
    if (deadline >= armedFor) {
      return;
    }
    if (timer != null) {
      timer.cancel();
    }
    armedFor = deadline;
    Object armed = new Object();
    generation = armed;
    long delay = Math.max(0, deadline - now());
    timer = scheduler.schedule(() -> mailbox.execute(() -> fired(armed)), delay);
  }

  private void fired(Object armed) {
    if (armed != generation) {
      return;
    }
    timer = null;
    generation = null;
    armedFor = Entry.NO_DEADLINE;
    onTimer.run();
  }
}
