package dev.warren.queue;

import io.netty.util.collection.LongObjectHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The messages of one queue, ready and unacked, and every rule about how they leave: delivery, ack,
 * requeue to the original place, message TTL, length limits, delivery limits and dead-lettering.
 * {@link MessageQueue} owns it and calls it from its commands; consumers are passed in, and what
 * leaves the queue goes out through an {@link Outlet}. What is stored where is {@link QueueStore}'s
 * business; the {@link Pager} keeps only a bounded part of a backlog in memory.
 *
 * <p>Owner: the queue's thread (timers hop into the queue's mailbox). Buffers: holds one reference
 * to each message it keeps in memory, ready or unacked (a paged-out one holds none); a delivery
 * carries one of its own (for no-ack, the queue's own); dead-lettering hands the queue's reference
 * to the outlet, every other way out releases it.
 */
final class QueueMessages {
  /** How messages leave the queue: implemented by {@link MessageQueue}. */
  interface Outlet {
    /** A delivery of the queue's to hand to a consumer or a basic.get. */
    Delivery delivery(
        long id, Message message, boolean redelivered, int messageCount, int deliveryCount);

    /**
     * Dead-letters {@code message} (takes its reference); {@code accepted} is settled once, on any
     * thread, when the dead letter is safe wherever it went.
     */
    void deadLetter(Message message, DeadLetterSink.Reason reason, Confirmation accepted);
  }

  private final Outlet outlet;
  private final Runnable countsChanged;
  private final ReadyMessages ready;

  /** Delivered, not yet settled, by {@link #slot} of their id. */
  private final LongObjectHashMap<Entry> unacked = new LongObjectHashMap<>();

  private final MessageExpiry expiry;
  private final QueueStore store;
  private final Pager pager;
  private final Pacing pacing;
  private final Mailbox mailbox;
  private final PagedDeadLetters pagedDeadLetters;
  private final DeadLetterRetries deadLetterRetries;
  private final PendingGets pendingGets = new PendingGets();
  private final QueueCounters counters = new QueueCounters();
  private QueueSettings settings;
  private LengthLimits limits;
  private long nextId;
  private long unackedBytes;
  private boolean closed;

  /**
   * The last dispatch, with the resident part over half the budget, stopped because every consumer
   * waited for its connection.
   */
  private boolean stoppedOnConnection;

  /**
   * @param countsChanged run after the expiry timer changed the ready count
   * @param pagedIn run after paged-out messages were read back: consumers may take them
   */
  QueueMessages(
      String queueName,
      QueueSettings settings,
      Scheduler scheduler,
      Mailbox mailbox,
      QueueStore store,
      Outlet outlet,
      Runnable countsChanged,
      Runnable pagedIn) {
    this.settings = settings;
    this.outlet = outlet;
    this.countsChanged = countsChanged;
    this.mailbox = mailbox;
    this.store = store;
    this.ready = new ReadyMessages(Math.max(0, settings.maxPriority()), this::unpaged);
    this.limits = new LengthLimits(settings);
    this.expiry =
        new MessageExpiry(settings.messageTtlMillis(), ready, scheduler, mailbox, this::onTimer);
    this.pager =
        store.canPage()
            ? new Pager(queueName, store, mailbox, pagedIn, expiry::readBack, this::unreadable)
            : null;
    this.pacing = pager == null ? null : new Pacing(scheduler, mailbox, counters::deliveries);
    this.pagedDeadLetters =
        pager == null
            ? null
            : new PagedDeadLetters(
                queueName,
                store,
                mailbox,
                new PagedDeadLetters.Target() {
                  @Override
                  public boolean open() {
                    return !closed;
                  }

                  @Override
                  public void deadLetter(
                      long id, boolean logged, Message message, DeadLetterSink.Reason reason) {
                    QueueMessages.this.deadLetter(id, logged, message, reason);
                  }
                });
    this.deadLetterRetries =
        pagedDeadLetters == null
            ? null
            : new DeadLetterRetries(scheduler, mailbox, pagedDeadLetters);
  }

  /** New messages take ids from {@code first} on: above every id the queue's log ever took. */
  void startIdsAt(long first) {
    nextId = Math.max(nextId, first);
  }

  /**
   * A message of the log found by recovery joins the ready messages (in memory, or paged out), with
   * its deadline counted from its original publish time, and the deliveries it counts as having had
   * (0: never delivered; else it is redelivered). One that was being dead-lettered is dead-lettered
   * again (the log keeps it until that dead letter is safe), or dropped if the queue no longer
   * dead-letters. Takes the message's reference.
   */
  void recovered(
      long id, QueueRecovery.Found how, StoredForm.Restored restored, long nowEpochMillis) {
    store.recovered();
    nextId = Math.max(nextId, id + 1);
    Message message = restored.message();
    if (how.deadLettering() != null) {
      if (settings.deadLettering()) {
        deadLetter(id, true, message, how.deadLettering());
      } else {
        counters.dropped++;
        store.forget(id, true, false);
        message.release();
      }
      return;
    }
    int deliveries = how.deliveries();
    long enqueuedAt = expiry.now() - Math.max(0, nowEpochMillis - restored.publishedAtMillis());
    Entry entry =
        new Entry(
            id,
            message,
            priorityOf(message),
            enqueuedAt,
            expiry.deadline(message, enqueuedAt),
            expiry.ownExpiry(message));
    entry.logged = true;
    if (deliveries > 0) {
      entry.redelivered = true;
      entry.deliveryCount = deliveries;
    }
    makeReady(entry);
  }

  /**
   * The queue's settings changed (a policy): limits and a changed TTL apply to the messages already
   * there at once (see {@link MessageExpiry#queueTtl}; an unacked message that comes back older
   * than the new TTL expires then), the rest from now on.
   */
  void apply(QueueSettings changed, ConsumerSelection consumers) {
    settings = changed;
    limits = new LengthLimits(changed);
    if (expiry.queueTtl(changed.messageTtlMillis())) {
      for (Entry out : unacked.values()) {
        expiry.retimeUnacked(out);
      }
    }
    expireDue();
    dropHeadWhileOver();
    dispatch(consumers);
  }

  /** A new or recovered entry joins the ready messages: in memory, or paged out behind others. */
  private void makeReady(Entry entry) {
    boolean pageOut =
        pager != null
            && pager.mustPageOut(ready, entry.priority)
            && (ready.hasTail(entry.priority)
                || pager.overTwiceBudget(ready)
                || !pacing.holdInstead(stoppedOnConnection));
    if (pageOut && (entry.stored() || store.spill(entry))) {
      pager.pageOut(entry, ready);
    } else {
      // (A message no store took stays in memory even behind a paged-out tail: it may then be
      // delivered ahead of older paged-out ones, but is not lost.)
      ready.add(entry);
      expiry.ready(entry);
    }
  }

  int readyCount() {
    return ready.size();
  }

  /** The ready messages once those past their deadline are gone. */
  int readyAfterExpiry() {
    expireDue();
    return readyCount();
  }

  /** How many of the messages held (ready and unacked) are in the queue's log. */
  int persistentCount() {
    return store.persistent();
  }

  long readyBytes() {
    return ready.bytes();
  }

  int unackedCount() {
    return unacked.size();
  }

  long unackedBytes() {
    return unackedBytes;
  }

  QueueCounters counters() {
    return counters;
  }

  /**
   * The heap this queue's entries take, at {@link MemoryLedger}'s costs (the messages themselves
   * count themselves, once however many queues hold them).
   */
  long heapEstimate() {
    int paged = pager == null ? 0 : pager.pagedCount();
    return (long) (ready.size() - paged) * MemoryLedger.READY_ENTRY
        + (long) paged * MemoryLedger.PAGED_ENTRY
        + (long) unacked.size() * MemoryLedger.UNACKED_ENTRY;
  }

  /**
   * Any thread: whether publishers should pause, while consumers catch up ({@link Pacing}) or the
   * log does ({@link QueueStore#holdsPublishers}).
   */
  boolean holdsPublishers() {
    return (pacing != null && pacing.holding()) || store.holdsPublishers();
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
   * queue, once the log has it safe. Accepted messages go to a consumer, wait, or expire at once
   * (TTL 0).
   */
  void enqueue(Message message, ConsumerSelection consumers, Confirmation confirm) {
    if (limits.bounded() && expiry.active()) {
      expireDue();
    }
    if (limits.refuses(ready, message)) {
      refused(message, confirm);
      return;
    }
    counters.published++;
    long now = expiry.now();
    Entry entry =
        new Entry(
            nextId++,
            message,
            priorityOf(message),
            now,
            expiry.deadline(message, now),
            expiry.ownExpiry(message));
    if (store.logs(message)) {
      store.append(entry, confirm);
      if (!entry.logged) { // the log refused it at once (closed, failed): nacked, and not taken
        counters.dropped++;
        entry.takeMessage().release();
        return;
      }
    } else if (confirm != null) {
      confirm.settle(true);
    }
    if (entry.deadline != Entry.NO_DEADLINE && entry.expiredAt(now)) {
      deliverOrExpire(entry, consumers);
    } else {
      makeReady(entry);
      dispatch(consumers);
      dropHeadWhileOver();
    }
  }

  /**
   * A reject-publish limit refused the message: the publisher gets a nack, and with
   * reject-publish-dlx the message is dead-lettered (reason maxlen), RabbitMQ's semantics.
   */
  private void refused(Message message, Confirmation confirm) {
    if (confirm != null) {
      confirm.settle(false);
    }
    if (limits.deadLettersRefused() && settings.deadLettering()) {
      counters.deadLettered++;
      outlet.deadLetter(message, DeadLetterSink.Reason.MAXLEN, accepted -> {});
    } else {
      counters.dropped++;
      message.release();
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
      consumer.deliver(take(ready.poll(), consumer.noAck(), false));
    }
    if (pager != null) {
      pager.readAhead(ready);
    }
  }

  /**
   * basic.get: completes {@code done} with the next ready message, or null when there is none;
   * later when that message must be read back from its store first.
   */
  void get(boolean noAck, CompletableFuture<Delivery> done) {
    if (!pendingGets.isEmpty()) {
      pendingGets.add(noAck, done);
      return;
    }
    Entry head = nextDeliverable();
    if (head == null) {
      done.complete(null);
    } else if (head.pagedOut) {
      pendingGets.add(noAck, done);
      pager.load(head, ready);
    } else {
      done.complete(take(ready.poll(), noAck, true));
      if (pager != null) {
        pager.readAhead(ready);
      }
    }
  }

  /** After a page-in: the basic.gets that waited for it are answered first, in order. */
  void servePendingGets() {
    PendingGets.Get waiting;
    while ((waiting = pendingGets.poll()) != null) {
      Entry head = nextDeliverable();
      if (head != null && head.pagedOut) {
        pendingGets.putBack(waiting);
        pager.load(head, ready);
        return;
      }
      waiting.done().complete(head == null ? null : take(ready.poll(), waiting.noAck(), true));
    }
  }

  /**
   * Settles the first {@code count} ids for good. Completes once the log applied every ack (at once
   * for messages it does not hold); fails if it refused one (the message then comes back).
   */
  CompletableFuture<Void> acknowledge(long[] ids, int count) {
    List<CompletableFuture<Void>> pending = null;
    for (int i = 0; i < count; i++) {
      Entry entry = unacked.remove(slot(ids[i]));
      if (entry == null) {
        continue;
      }
      counters.acked++;
      unackedBytes -= entry.bodySize;
      entry.state = Entry.State.DEAD;
      entry.takeMessage().release();
      CompletableFuture<Void> applied = store.forget(entry);
      if (!applied.isDone() || applied.isCompletedExceptionally()) {
        if (pending == null) {
          pending = new ArrayList<>();
        }
        pending.add(applied);
      }
    }
    return pending == null
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
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
      unackedBytes -= entry.bodySize;
      if (!requeue) {
        discard(entry, DeadLetterSink.Reason.REJECTED);
      } else if (settings.deliveryLimit() >= 0 && entry.deliveryCount > settings.deliveryLimit()) {
        discard(entry, DeadLetterSink.Reason.DELIVERY_LIMIT);
      } else if (entry.deadline != Entry.NO_DEADLINE && entry.expiredAt(expiry.now())) {
        discard(entry, DeadLetterSink.Reason.EXPIRED);
      } else {
        store.returned(entry);
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

  /**
   * Drops every ready message (after expiring the due ones); completes with how many once the log
   * applied it.
   */
  CompletableFuture<Integer> purge() {
    expireDue();
    expiry.clear();
    if (!store.everStored()) {
      return CompletableFuture.completedFuture(ready.purge(e -> {}));
    }
    if (!unacked.isEmpty() || settings.deadLettering()) {
      // Unacked messages must survive the purge, and so must messages whose dead letters are not
      // yet safe (or, paged out, not yet read back): each ready one goes by itself.
      int dropped = ready.purge(this::forgetStored);
      pager.clear();
      return CompletableFuture.completedFuture(dropped);
    }
    int dropped = ready.purge(e -> e.pagedOut = false);
    pager.clear();
    return store.purge().thenApply(applied -> dropped);
  }

  /**
   * The queue is deleted: drops everything, ready and unacked; completes with how many were ready
   * once the log applied the deletion.
   */
  CompletableFuture<Integer> close() {
    int dropped = dropAll(false);
    return store.delete().thenApply(applied -> dropped);
  }

  /**
   * Lets go of every message held in memory: the queue stopped (the broker stops, with {@code
   * markDelivered}: every stored message that was delivered is marked so in the log, so that it
   * comes back redelivered) or its node no longer leads its log (without: the log is another node's
   * to write). Deliveries are marked here rather than as they happen: after a crash the log flags
   * every message anyway, so a mark only matters after a clean stop, and one per message at runtime
   * would double the log's work while a queue drains.
   */
  void releaseMemory(boolean markDelivered) {
    dropAll(markDelivered);
  }

  private int dropAll(boolean markDelivered) {
    closed = true;
    store.released();
    if (deadLetterRetries != null) {
      deadLetterRetries.cancel();
    }
    expiry.cancel();
    expiry.clear();
    int dropped =
        ready.purge(
            e -> {
              e.pagedOut = false;
              if (markDelivered && e.redelivered) {
                store.markDelivered(e);
              }
            });
    for (Entry entry : unacked.values()) {
      if (markDelivered) {
        store.markDelivered(entry);
      }
      entry.state = Entry.State.DEAD;
      entry.takeMessage().release();
    }
    unacked.clear();
    unackedBytes = 0;
    if (pager != null) {
      pager.clear();
    }
    pendingGets.answerEmpty();
    return dropped;
  }

  /**
   * The unacked table's key for an id. Ids are consecutive, and the open-addressing table places
   * consecutive keys in one run of slots, which makes each removal scan the rest of the run; an odd
   * multiplier (a bijection) spreads them.
   */
  private static long slot(long id) {
    return id * 0x9E3779B97F4A7C15L;
  }

  /** A stored entry leaves the queue for good: its store is told, without waiting. */
  private void forgetStored(Entry e) {
    if (pager != null) {
      pager.forget(e);
    }
    store.forget(e);
  }

  /** A paged-out message became an entry again near the head: it may need the expiry timer. */
  private void unpaged(Entry e) {
    expiry.ready(e);
  }

  /** A ready entry whose message its store cannot give back: dropped from memory only. */
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
  private Delivery take(Entry entry, boolean noAck, boolean get) {
    expiry.left(entry);
    counters.taken(noAck, get, entry.redelivered);
    Message message = entry.message;
    int before = entry.deliveryCount++;
    if (noAck) {
      store.forget(entry);
      entry.state = Entry.State.DEAD;
      entry.message = null;
    } else {
      entry.state = Entry.State.OUT;
      unacked.put(slot(entry.id), entry);
      unackedBytes += entry.bodySize;
      message.retain();
    }
    return outlet.delivery(entry.id, message, entry.redelivered, ready.size(), before);
  }

  /**
   * A TTL of 0: the message goes to a consumer that can take it now, behind nothing older, or
   * expires without ever being ready.
   */
  private void deliverOrExpire(Entry entry, ConsumerSelection consumers) {
    dispatch(consumers);
    QueueConsumer consumer = ready.isEmpty() ? consumers.reserveNext() : null;
    if (consumer != null) {
      consumer.deliver(take(entry, consumer.noAck(), false));
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
   * An entry leaves for good, dead-lettered if the queue does that. A logged one is acked in the
   * log once its dead letter is safe in every queue it went to, never before: a crash in between
   * brings it back here rather than losing it.
   */
  private void discard(Entry entry, DeadLetterSink.Reason reason) {
    entry.state = Entry.State.DEAD;
    Message message = entry.takeMessage();
    if (!settings.deadLettering()) {
      counters.dropped++;
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
      pagedDeadLetters.add(entry.id, entry.spilled, reason);
    } else {
      if (entry.spilled) {
        store.forget(entry.id, false, true);
      }
      deadLetter(entry.id, entry.logged, message, reason);
    }
  }

  private void deadLetter(long id, boolean logged, Message message, DeadLetterSink.Reason reason) {
    counters.deadLettered++;
    if (logged) {
      store.deadLettering(id, reason);
    }
    outlet.deadLetter(
        message,
        reason,
        logged
            ? accepted -> mailbox.execute(() -> deadLettered(id, reason, accepted))
            : accepted -> {});
  }

  /**
   * On the queue's thread, once every target of a dead letter settled it: accepted, its logged
   * original goes; refused by a target (a full queue with reject-publish), it is tried again later
   * from the log ({@link DeadLetterRetries}). After the queue was deleted or stopped, nothing is
   * written: the message is gone with the queue, or comes back at the next start (at-least-once).
   */
  private void deadLettered(long id, DeadLetterSink.Reason reason, boolean accepted) {
    if (closed) {
      return;
    }
    if (accepted) {
      store.forget(id, true, false);
    } else {
      deadLetterRetries.refused(id, reason);
    }
  }
}
