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
   * The queue's {@code x-message-ttl} changed (-1: none): it applies to the messages already ready
   * as well as to those to come. Each ready message's deadline becomes its enqueue time plus the
   * smaller of the new TTL and its own expiration, so a message older than a new, shorter TTL
   * expires at once, and one whose deadline the TTL no longer sets keeps only its own expiration.
   * Deadlines then grow with ids again within each lane, as before the change; the index is rebuilt
   * with the messages whose own expiration decides. O(ready messages), on a change only. Unacked
   * messages are the caller's to retime ({@link #retimeUnacked}).
   *
   * <p>A paged-out message not even an entry ({@link PagedTail}) counts from the newest enqueue
   * time of its block, so it may expire that much late, never early. A paged-out message whose own
   * expiration did not decide its deadline is not known here: {@link #readBack} applies it when it
   * comes back near the head, before any delivery.
   *
   * @return whether the TTL changed
   */
  boolean queueTtl(long ttl) {
    if (ttl == queueTtl) {
      return false;
    }
    queueTtl = ttl;
    if (ready.isEmpty()) {
      return true;
    }
    cancel();
    index.clear();
    ready.forEachResident(this::retimeReady);
    ready.retimeTails(ttl);
    active = active || ttl >= 0;
    rearm();
    return true;
  }

  private void retimeReady(Entry e) {
    if (retime(e)) {
      active = true;
      index.add(e);
    }
  }

  /**
   * An unacked entry takes the queue's new TTL, so that a requeue finds it expired if it is older
   * than that ({@link QueueMessages#reject}). It is in no index while out.
   */
  void retimeUnacked(Entry e) {
    retime(e);
  }

  /**
   * Sets {@code e}'s deadline under the queue's TTL; returns whether its own expiration decides.
   */
  private boolean retime(Entry e) {
    long own;
    if (e.message != null) {
      own = after(e.enqueuedAt, e.message.expirationMillis());
    } else {
      own = e.ownExpiry ? e.deadline : Entry.NO_DEADLINE; // paged out: only a deciding one is known
    }
    long byTtl = after(e.enqueuedAt, queueTtl);
    e.ownExpiry = own < byTtl;
    e.deadline = Math.min(own, byTtl);
    return e.ownExpiry;
  }

  /**
   * A paged-out entry's message is back in memory: its own expiration applies if it comes before
   * the deadline the entry had (which a TTL change may have set without knowing it).
   */
  void readBack(Entry e) {
    long own = after(e.enqueuedAt, e.message.expirationMillis());
    if (own < e.deadline) {
      index.remove(e);
      e.deadline = own;
      e.ownExpiry = true;
      ready(e);
    }
  }

  /**
   * {@code start + ttl} on the queue's clock, or {@link Entry#NO_DEADLINE} when {@code ttl} is
   * negative (none); a sum past the clock's range is the last deadline that still comes.
   */
  static long after(long start, long ttl) {
    if (ttl < 0) {
      return Entry.NO_DEADLINE;
    }
    return start > Entry.NO_DEADLINE - 1 - ttl ? Entry.NO_DEADLINE - 1 : start + ttl;
  }

  long now() {
    return scheduler.nowMillis();
  }

  /**
   * The deadline of {@code message}, enqueued at {@code enqueuedAt} (now when published, earlier
   * when recovered from the journal): the earlier of the queue's TTL and its own expiration.
   */
  long deadline(Message message, long enqueuedAt) {
    return Math.min(after(enqueuedAt, queueTtl), after(enqueuedAt, message.expirationMillis()));
  }

  /** Whether the message's own expiration, not the queue's TTL, decides its deadline. */
  boolean ownExpiry(Message message) {
    long own = message.expirationMillis();
    return own >= 0 && (queueTtl < 0 || own < queueTtl);
  }

  /** {@code e} became ready (published or requeued): index it if needed, arm the timer. */
  void ready(Entry e) {
    if (e.deadline == Entry.NO_DEADLINE) {
      return;
    }
    active = true;
    if (e.ownExpiry) {
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
