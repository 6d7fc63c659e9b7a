package dev.warren.queue;

import dev.warren.persistence.journal.QueueJournal;
import dev.warren.persistence.journal.RecoveredMessage;
import dev.warren.persistence.journal.StoredMessage;
import io.netty.buffer.ByteBuf;
import io.netty.util.collection.LongObjectHashMap;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages of one queue, ready and unacked, and every rule about how they leave: delivery, ack,
 * requeue to the original place, message TTL, length limits, delivery limits and dead-lettering.
 * {@link MessageQueue} owns it and calls it from its commands; consumers are passed in.
 *
 * <p>A durable queue has a {@link QueueJournal}: its persistent messages are stored there (the
 * publisher's confirmation waits for the store), their end (ack, expiry, drop, purge, delete) is
 * recorded without waiting and, when the broker stops, which were delivered; they come back from it
 * after a restart, and the {@link Pager} keeps only a bounded part of them in memory.
 *
 * <p>Owner: the queue's thread (the expiry timer hops into the queue's mailbox). Buffers: holds one
 * reference to each message it keeps in memory, ready or unacked (a paged-out one holds none); a
 * delivery carries one of its own (for no-ack, the queue's own); dead-lettering hands the queue's
 * reference to the {@link DeadLetterSink}, every other way out releases it.
 */
final class QueueMessages {
  private static final Logger LOG = LoggerFactory.getLogger(QueueMessages.class);

  /** Recovered messages read back per journal read at start-up. */
  private static final int RECOVERY_BATCH = 1024;

  /**
   * Stores handed to the journal and not yet done, or their bodies' bytes, above which the
   * publishers are asked to pause: the journal holds each body until it is written, and a reader of
   * paged-out messages waits behind the writes already queued. A store is done at the force that
   * covers it, up to 200 ms later with {@code --journal-sync interval}, so the mark leaves room for
   * that interval's worth of messages at a few hundred thousand a second.
   */
  static final int STORING_HIGH = 65_536;

  static final long STORING_BYTES_HIGH = 64L << 20;

  private static final Runnable NOTHING = () -> {};

  private final MessageQueue queue;
  private final QueueSettings settings;
  private final DeadLetterSink deadLetters;
  private final Runnable countsChanged;
  private final ReadyMessages ready;

  /** Delivered, not yet settled, by {@link #slot} of their id. */
  private final LongObjectHashMap<Entry> unacked = new LongObjectHashMap<>();

  private final LengthLimits limits;
  private final MessageExpiry expiry;
  private final QueueJournal journal;
  private final Pager pager;
  private final Pacing pacing;
  private final Mailbox mailbox;
  private final AtomicInteger storing = new AtomicInteger();
  private final AtomicLong storingBytes = new AtomicLong();
  private final PagedDeadLetters pagedDeadLetters;
  private final ArrayDeque<PendingGet> pendingGets = new ArrayDeque<>();
  private long nextId;
  private boolean closed;
  private long deliveries;

  /**
   * The last dispatch, with the resident part over half the budget, stopped because every consumer
   * waited for its connection.
   */
  private boolean stoppedOnConnection;

  /** Something went to the journal (so purges and the deletion must be recorded there). */
  private boolean everStored;

  /** A basic.get waiting for its message to be read back from the journal. */
  private record PendingGet(boolean noAck, CompletableFuture<Delivery> done) {}

  /**
   * @param countsChanged run after the expiry timer changed the ready count
   * @param pagedIn run after paged-out messages were read back: consumers may take them
   */
  QueueMessages(
      MessageQueue queue,
      QueueServices services,
      Mailbox mailbox,
      Runnable countsChanged,
      Runnable pagedIn) {
    this.queue = queue;
    this.settings = queue.settings();
    this.deadLetters = services.deadLetters();
    this.countsChanged = countsChanged;
    this.mailbox = mailbox;
    this.ready = new ReadyMessages(Math.max(0, settings.maxPriority()), this::unpaged);
    this.limits = new LengthLimits(settings);
    this.expiry =
        new MessageExpiry(
            settings.messageTtlMillis(), ready, services.scheduler(), mailbox, this::onTimer);
    this.journal = services.journal();
    this.pager =
        journal == null
            ? null
            : new Pager(queue.name(), journal, mailbox, pagedIn, this::unreadable);
    this.pacing =
        journal == null ? null : new Pacing(services.scheduler(), mailbox, () -> deliveries);
    this.pagedDeadLetters =
        journal == null
            ? null
            : new PagedDeadLetters(
                queue.name(),
                journal,
                mailbox,
                new PagedDeadLetters.Target() {
                  @Override
                  public boolean open() {
                    return !closed;
                  }

                  @Override
                  public void deadLetter(long id, Message message, DeadLetterSink.Reason reason) {
                    QueueMessages.this.deadLetter(true, id, message, reason);
                  }
                });
    if (journal != null) {
      nextId = journal.firstFreeId();
    }
  }

  /**
   * Loads what the journal holds for this queue (a restart). Blocks on disk: call it before the
   * queue takes commands, off the event loops' hot path (at start-up).
   */
  void recover() {
    List<RecoveredMessage> found = journal.recovered();
    long now = System.currentTimeMillis();
    for (int from = 0; from < found.size(); from += RECOVERY_BATCH) {
      List<RecoveredMessage> part =
          found.subList(from, Math.min(found.size(), from + RECOVERY_BATCH));
      long[] ids = new long[part.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = part.get(i).location().messageId();
      }
      List<StoredMessage> read;
      try {
        read = journal.read(ids).join();
      } catch (CompletionException e) {
        LOG.error(
            "queue '{}': cannot read {} recovered messages from the journal; they stay on disk",
            queue.name(),
            part.size(),
            e.getCause());
        continue;
      }
      everStored = true;
      for (int i = 0; i < part.size(); i++) {
        if (read.get(i) == null) {
          continue; // acked since the journal listed it
        }
        StoredForm.Restored restored = StoredForm.restore(read.get(i));
        Message message = restored.message();
        if (!message.persistent()) { // spilled to bound memory: transient messages do not survive
          message.release();
          journal.ack(ids[i]);
          continue;
        }
        Entry entry =
            new Entry(
                ids[i],
                message,
                priorityOf(message),
                expiry.deadline(message, now - restored.publishedAtMillis()),
                expiry.ownExpiry(message));
        entry.stored = true;
        if (part.get(i).redelivered()) {
          entry.redelivered = true;
          entry.deliveryCount = 1;
        }
        nextId = Math.max(nextId, entry.id + 1);
        makeReady(entry);
      }
    }
  }

  /** A new or recovered entry joins the ready messages: in memory, or paged out behind others. */
  private void makeReady(Entry entry) {
    boolean pageOut =
        pager != null
            && pager.mustPageOut(ready, entry.priority)
            && (ready.hasTail(entry.priority)
                || pager.overTwiceBudget(ready)
                || !pacing.holdInstead(stoppedOnConnection));
    if (pageOut && !entry.stored) {
      // Spilled only to bound memory: not recovered, and nobody waits for it.
      entry.stored = !store(entry.id, entry.message, null).isCompletedExceptionally();
    }
    if (pageOut && entry.stored) {
      pager.pageOut(entry, ready);
    } else {
      // (A message the journal refused, larger than a segment, stays in memory even behind a
      // paged-out tail: it may then be delivered ahead of older paged-out ones, but is not lost.)
      ready.add(entry);
      expiry.ready(entry);
    }
  }

  int readyCount() {
    return ready.size();
  }

  /**
   * Any thread: whether publishers should pause, while consumers catch up ({@link Pacing}) or the
   * journal does ({@link #STORING_HIGH}).
   */
  boolean holdsPublishers() {
    return (pacing != null && pacing.holding())
        || storing.get() > STORING_HIGH
        || storingBytes.get() > STORING_BYTES_HIGH;
  }

  /** After each batch of the queue's commands. */
  void afterBatch(boolean hasConsumers) {
    if (pacing != null) {
      pacing.afterBatch(pager.underHalfBudget(ready), hasConsumers && stoppedOnConnection);
    }
  }

  /**
   * Takes a published message (and its reference) and settles {@code confirm} (may be null): at
   * once, refused when a reject-publish limit refuses it, or, for a persistent message in a durable
   * queue, once the journal stored it. Accepted messages go to a consumer, wait, or expire at once
   * (TTL 0).
   */
  void enqueue(Message message, ConsumerSelection consumers, Confirmation confirm) {
    if (limits.bounded() && expiry.active()) {
      expireDue();
    }
    if (limits.refuses(ready, message)) {
      discard(message, DeadLetterSink.Reason.MAXLEN, limits.deadLettersRefused());
      settle(confirm, false);
      return;
    }
    Entry entry =
        new Entry(
            nextId++,
            message,
            priorityOf(message),
            expiry.deadline(message, 0),
            expiry.ownExpiry(message));
    if (journal != null && journal.recoverable() && message.persistent()) {
      // Refused at once (a record larger than a segment): nacked, and kept in memory only.
      entry.stored = !store(entry.id, message, confirm).isCompletedExceptionally();
    } else {
      settle(confirm, true);
    }
    if (entry.deadline != Entry.NO_DEADLINE && entry.expiredAt(expiry.now())) {
      deliverOrExpire(entry, consumers);
    } else {
      makeReady(entry);
      dispatch(consumers);
      dropHeadWhileOver();
    }
  }

  private static void settle(Confirmation confirm, boolean accepted) {
    if (confirm != null) {
      confirm.settle(accepted);
    }
  }

  /** Hands {@code message} to the journal; {@code confirm} (may be null) is settled once stored. */
  private CompletableFuture<?> store(long id, Message message, Confirmation confirm) {
    everStored = true;
    ByteBuf metadata = StoredForm.metadata(message, System.currentTimeMillis());
    CompletableFuture<?> stored;
    try {
      stored = journal.enqueue(id, metadata, message.body());
    } finally {
      metadata.release();
    }
    if (stored.isDone()) {
      settle(confirm, !stored.isCompletedExceptionally());
    } else {
      int size = message.body().readableBytes();
      storing.incrementAndGet();
      storingBytes.addAndGet(size);
      stored.whenComplete(
          (location, error) -> {
            settle(confirm, error == null);
            written(size);
          });
    }
    return stored;
  }

  /** On the journal's thread: a store is over; held publishers are woken once it is caught up. */
  private void written(int size) {
    long bytes = storingBytes.addAndGet(-size);
    if (storing.decrementAndGet() == STORING_HIGH
        || (bytes <= STORING_BYTES_HIGH && bytes + size > STORING_BYTES_HIGH)) {
      mailbox.execute(NOTHING); // the queue's afterBatch wakes them
    }
  }

  /** Offers ready messages to consumers until one side runs out. */
  void dispatch(ConsumerSelection consumers) {
    stoppedOnConnection = false;
    while (consumers.size() > 0) {
      Entry head = nextDeliverable();
      if (head == null) {
        break;
      }
      if (head.pagedOut) {
        pager.load(head, ready);
        break;
      }
      QueueConsumer consumer = consumers.reserveNext();
      if (consumer == null) {
        stoppedOnConnection =
            pager != null && !pager.underHalfBudget(ready) && consumers.allWaitForConnection();
        break;
      }
      consumer.deliver(take(ready.poll(), consumer.noAck()));
    }
    if (pager != null) {
      pager.readAhead(ready);
    }
  }

  /**
   * basic.get: completes {@code done} with the next ready message, or null when there is none;
   * later when that message must be read back from the journal first.
   */
  void get(boolean noAck, CompletableFuture<Delivery> done) {
    if (!pendingGets.isEmpty()) {
      pendingGets.addLast(new PendingGet(noAck, done));
      return;
    }
    Entry head = nextDeliverable();
    if (head == null) {
      done.complete(null);
    } else if (head.pagedOut) {
      pendingGets.addLast(new PendingGet(noAck, done));
      pager.load(head, ready);
    } else {
      done.complete(take(ready.poll(), noAck));
      if (pager != null) {
        pager.readAhead(ready);
      }
    }
  }

  /** After a page-in: the basic.gets that waited for it are answered first, in order. */
  void servePendingGets() {
    PendingGet waiting;
    while ((waiting = pendingGets.pollFirst()) != null) {
      Entry head = nextDeliverable();
      if (head != null && head.pagedOut) {
        pendingGets.addFirst(waiting);
        pager.load(head, ready);
        return;
      }
      waiting.done().complete(head == null ? null : take(ready.poll(), waiting.noAck()));
    }
  }

  void acknowledge(long[] ids, int count) {
    for (int i = 0; i < count; i++) {
      Entry entry = unacked.remove(slot(ids[i]));
      if (entry != null) {
        entry.state = Entry.State.DEAD;
        entry.takeMessage().release();
        if (entry.stored) {
          journal.ack(entry.id);
        }
      }
    }
  }

  /**
   * basic.reject/nack, and deliveries returned by a closed channel or basic.recover. Requeued
   * messages go back to their place unless past their delivery limit or deadline.
   */
  void reject(long[] ids, int count, boolean requeue, ConsumerSelection consumers) {
    boolean requeued = false;
    for (int i = 0; i < count; i++) {
      Entry entry = unacked.remove(slot(ids[i]));
      if (entry == null) {
        continue;
      }
      if (!requeue) {
        discard(entry, DeadLetterSink.Reason.REJECTED);
      } else if (settings.deliveryLimit() >= 0 && entry.deliveryCount > settings.deliveryLimit()) {
        discard(entry, DeadLetterSink.Reason.DELIVERY_LIMIT);
      } else if (entry.deadline != Entry.NO_DEADLINE && entry.expiredAt(expiry.now())) {
        discard(entry, DeadLetterSink.Reason.EXPIRED);
      } else {
        ready.requeue(entry);
        expiry.ready(entry);
        requeued = true;
      }
    }
    if (requeued) {
      dispatch(consumers);
      dropHeadWhileOver();
    }
  }

  /** Drops every ready message (after expiring the due ones); returns how many. */
  int purge() {
    expireDue();
    expiry.clear();
    if (!everStored) {
      return ready.purge(e -> {});
    }
    if (!unacked.isEmpty() || settings.deadLettering()) {
      // Unacked messages must survive the purge, and so must messages whose dead letters are not
      // yet safe (or, paged out, not yet read back): tombstone the ready ones one by one.
      int dropped = ready.purge(this::forgetStored);
      pager.clear();
      return dropped;
    }
    int dropped = ready.purge(e -> e.pagedOut = false);
    pager.clear();
    journal.purge();
    return dropped;
  }

  /** The queue is deleted: drops everything, ready and unacked; returns how many were ready. */
  int close() {
    closed = true;
    expiry.cancel();
    expiry.clear();
    int dropped = ready.purge(e -> e.pagedOut = false);
    for (Entry entry : unacked.values()) {
      entry.state = Entry.State.DEAD;
      entry.takeMessage().release();
    }
    unacked.clear();
    if (everStored) {
      pager.clear();
      journal.delete();
    }
    PendingGet waiting;
    while ((waiting = pendingGets.pollFirst()) != null) {
      waiting.done().complete(null);
    }
    return dropped;
  }

  /**
   * The broker stopped: marks in the journal every stored message that was delivered (so that it
   * comes back redelivered), then releases every message in memory. Deliveries are marked here
   * rather than as they happen: after a crash the journal flags every message anyway, so a mark
   * only matters after a clean stop, and one per message at runtime would double the journal's work
   * while a queue drains.
   */
  void releaseMemory() {
    closed = true;
    expiry.cancel();
    expiry.clear();
    ready.purge(
        e -> {
          e.pagedOut = false;
          if (e.redelivered && e.stored && journal.recoverable()) {
            journal.delivered(e.id);
          }
        });
    for (Entry entry : unacked.values()) {
      if (entry.stored && journal.recoverable()) {
        journal.delivered(entry.id);
      }
      entry.state = Entry.State.DEAD;
      entry.takeMessage().release();
    }
    unacked.clear();
    if (pager != null) {
      pager.clear();
    }
    PendingGet waiting;
    while ((waiting = pendingGets.pollFirst()) != null) {
      waiting.done().complete(null);
    }
  }

  /**
   * The unacked table's key for an id. Ids are consecutive, and the open-addressing table places
   * consecutive keys in one run of slots, which makes each removal scan the rest of the run; an odd
   * multiplier (a bijection) spreads them.
   */
  private static long slot(long id) {
    return id * 0x9E3779B97F4A7C15L;
  }

  /** A journalled entry leaves the queue for good: the journal is told, without waiting. */
  private void forgetStored(Entry e) {
    if (pager != null) {
      pager.forget(e);
    }
    if (e.stored) {
      journal.ack(e.id);
    }
  }

  /** A paged-out message became an entry again near the head: it may need the expiry timer. */
  private void unpaged(Entry e) {
    expiry.ready(e);
  }

  /** A ready entry whose message the journal cannot give back: dropped from memory only. */
  private void unreadable(Entry e) {
    ready.remove(e);
    expiry.left(e);
  }

  /** Entries examined by message expiry so far (for tests of its cost). */
  long expiryWork() {
    return expiry.work();
  }

  /** Entries visited by compactions of expired entries so far (for tests of its cost). */
  long expiryCompactionWork() {
    return expiry.compactionWork();
  }

  private int priorityOf(Message message) {
    int max = settings.maxPriority();
    return max <= 0 ? 0 : Math.max(0, Math.min(message.priority(), max));
  }

  /** The next ready entry, after expiring any due one in its way; it stays ready. */
  private Entry nextDeliverable() {
    Entry head;
    while ((head = ready.peek()) != null
        && head.deadline != Entry.NO_DEADLINE
        && head.expiredAt(expiry.now())) {
      ready.remove(head);
      expiry.left(head);
      discard(head, DeadLetterSink.Reason.EXPIRED);
    }
    return head;
  }

  /** Turns a ready entry into a delivery; unless no-ack, the queue keeps it until settled. */
  private Delivery take(Entry entry, boolean noAck) {
    expiry.left(entry);
    deliveries++;
    Message message = entry.message;
    int before = entry.deliveryCount++;
    if (entry.stored && noAck) {
      journal.ack(entry.id);
    }
    if (noAck) {
      entry.state = Entry.State.DEAD;
      entry.message = null;
    } else {
      entry.state = Entry.State.OUT;
      unacked.put(slot(entry.id), entry);
      message.retain();
    }
    return new Delivery(queue, entry.id, message, entry.redelivered, ready.size(), before);
  }

  /**
   * A TTL of 0: the message goes to a consumer that can take it now, behind nothing older, or
   * expires without ever being ready.
   */
  private void deliverOrExpire(Entry entry, ConsumerSelection consumers) {
    dispatch(consumers);
    QueueConsumer consumer = ready.isEmpty() ? consumers.reserveNext() : null;
    if (consumer != null) {
      consumer.deliver(take(entry, consumer.noAck()));
    } else {
      discard(entry, DeadLetterSink.Reason.EXPIRED);
    }
  }

  /** Expires every ready entry whose deadline has passed (even if the timer is late). */
  void expireDue() {
    if (!expiry.active()) {
      return;
    }
    long now = expiry.now();
    Entry due;
    while ((due = expiry.pollDue(now)) != null) {
      discard(due, DeadLetterSink.Reason.EXPIRED);
    }
  }

  private void onTimer() {
    if (closed) {
      return;
    }
    expireDue();
    expiry.rearm();
    countsChanged.run();
  }

  /** x-overflow drop-head: the oldest ready messages go while a length limit is exceeded. */
  private void dropHeadWhileOver() {
    while (limits.exceeded(ready)) {
      Entry head = ready.poll();
      expiry.left(head);
      discard(head, DeadLetterSink.Reason.MAXLEN);
    }
  }

  /**
   * An entry leaves for good, dead-lettered if the queue does that. A stored one is acked in the
   * journal once its dead letter is safe in every queue it went to, never before: a crash in
   * between brings it back here rather than losing it.
   */
  private void discard(Entry entry, DeadLetterSink.Reason reason) {
    entry.state = Entry.State.DEAD;
    Message message = entry.takeMessage();
    if (!settings.deadLettering()) {
      forgetStored(entry);
      if (message != null) {
        message.release();
      }
      return;
    }
    if (pager != null) {
      pager.forget(entry);
    }
    if (message == null) { // paged out: read back first
      pagedDeadLetters.add(entry.id, reason);
    } else {
      deadLetter(entry.stored, entry.id, message, reason);
    }
  }

  private void deadLetter(boolean stored, long id, Message message, DeadLetterSink.Reason reason) {
    deadLetters.deadLetter(
        queue, message, reason, stored ? accepted -> ackLate(id) : accepted -> {});
  }

  /** A journal ack from another thread; once the broker stopped, the message simply comes back. */
  private void ackLate(long id) {
    try {
      journal.ack(id);
    } catch (IllegalStateException closed) {
      LOG.debug("journal closed before message {} of queue '{}' was acked", id, queue.name());
    }
  }

  /**
   * Dead-letters {@code message} (refused at publish, so never stored) when the queue has a
   * dead-letter exchange and {@code deadLetter}, else releases it. Takes ownership of the
   * reference.
   */
  private void discard(Message message, DeadLetterSink.Reason reason, boolean deadLetter) {
    if (deadLetter && settings.deadLettering()) {
      deadLetters.deadLetter(queue, message, reason, accepted -> {});
    } else {
      message.release();
    }
  }
}
