package dev.warren.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.persistence.journal.Journal;
import dev.warren.persistence.journal.JournalConfig;
import dev.warren.storage.Leadership;
import dev.warren.storage.MessageLog;
import dev.warren.storage.RecoveredLog;
import dev.warren.storage.SpillStore;
import dev.warren.storage.StoredMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable queue over a real journal: confirms wait for the store, messages come back after a
 * restart in order with their redelivered flags, acks, purges and deletes stay done, and a deep
 * backlog is paged out and read back in order. The queue runs on a thread of its own, as on an
 * event loop, since the journal calls back from its threads.
 */
class JournalledQueueTest {
  private static final long QUEUE_ID = 7;

  @TempDir Path dir;

  private final ExecutorService owner = Executors.newSingleThreadExecutor();
  private final ManualScheduler clock = new ManualScheduler();
  private final List<ByteBuf> bodies = new ArrayList<>();

  /** What the dead-letter sink was given to settle once the dead letter is safe elsewhere. */
  private final List<Confirmation> deadLetterStores =
      Collections.synchronizedList(new ArrayList<>());

  /** The bodies given to the dead-letter sink, in order. */
  private final List<String> deadLettered = Collections.synchronizedList(new ArrayList<>());

  /** Every queue built, to be stopped at the end. */
  private final List<MessageQueue> queues = new ArrayList<>();

  private volatile CountDownLatch deadLettersExpected = new CountDownLatch(0);
  private Thread ownerThread;
  private Journal journal;

  @BeforeEach
  void open() throws Exception {
    ownerThread = owner.submit(Thread::currentThread).get();
    journal = openJournal();
  }

  /**
   * Stops every queue built as the broker does, which releases the messages they hold (those a
   * recovered queue read back from the journal are the journal's buffers), then the journal.
   */
  @AfterEach
  void close() throws Exception {
    for (MessageQueue queue : queues) {
      owner.submit(queue::releaseMemory).get(10, TimeUnit.SECONDS);
    }
    journal.close();
    owner.shutdownNow();
  }

  @Test
  void aConfirmWaitsForTheStoreAndMessagesComeBackInOrderWithTheirFlags() throws Exception {
    MessageQueue queue = queue(QueueSettings.DEFAULT);
    List<Boolean> settled = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch confirmed = new CountDownLatch(10);
    for (int i = 0; i < 10; i++) {
      queue.publish(
          persistent("m" + i),
          accepted -> {
            settled.add(accepted);
            confirmed.countDown();
          });
    }
    assertTrue(confirmed.await(10, TimeUnit.SECONDS));
    assertEquals(Collections.nCopies(10, true), settled);

    Delivery acked = get(queue, false);
    Delivery unacked1 = get(queue, false);
    Delivery unacked2 = get(queue, false);
    assertEquals("m0", name(acked));
    queue.ack(new long[] {acked.id()}, 1);
    release(acked, unacked1, unacked2);

    MessageQueue recovered = restart(queue);
    assertEquals(9, counts(recovered).messageCount());
    List<String> names = new ArrayList<>();
    List<Boolean> flags = new ArrayList<>();
    for (Delivery d = get(recovered, true); d != null; d = get(recovered, true)) {
      names.add(name(d));
      flags.add(d.redelivered());
      d.message().release();
    }
    assertEquals(List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"), names);
    assertEquals(List.of(true, true, false, false, false, false, false, false, false), flags);
  }

  @Test
  void aConfirmIsNotSentBeforeTheJournalHasStoredTheMessage() throws Exception {
    ReadCounting held = new ReadCounting(journal.log(QUEUE_ID));
    held.storeGate = new CompletableFuture<>();
    MessageQueue queue = queue(QueueSettings.DEFAULT, held, journal.newSpill());
    CompletableFuture<Boolean> confirmed = new CompletableFuture<>();
    queue.publish(persistent("m"), confirmed::complete);
    assertEquals(1, counts(queue).messageCount(), "the queue took it");
    journal.sync().get(10, TimeUnit.SECONDS); // written and forced, but the store not yet reported
    assertFalse(confirmed.isDone(), "confirmed before the journal reported the store");
    held.storeGate.complete(null);
    assertTrue(confirmed.get(10, TimeUnit.SECONDS));
  }

  @Test
  void publishersArePausedWhileTheJournalIsBehindAndWokenOnceItCaughtUp() throws Exception {
    ReadCounting held = new ReadCounting(journal.log(QUEUE_ID));
    held.storeGate = new CompletableFuture<>();
    MessageQueue queue = queue(QueueSettings.DEFAULT, held, journal.newSpill());
    for (int i = 0; i < QueueStore.STORING_HIGH; i++) {
      queue.publish(persistent("m" + i), null);
    }
    counts(queue);
    assertFalse(queue.overloaded(), "as many stores waiting as allowed");
    queue.publish(persistent("one more"), null);
    counts(queue);
    assertTrue(queue.overloaded(), "the journal is behind");
    CountDownLatch resumed = new CountDownLatch(1);
    queue.whenDrained(resumed::countDown);
    counts(queue);
    assertEquals(1, resumed.getCount(), "still behind");

    held.storeGate.complete(null);
    assertTrue(resumed.await(10, TimeUnit.SECONDS), "woken once the journal caught up");
    assertFalse(queue.overloaded());
    assertEquals(QueueStore.STORING_HIGH + 1, counts(queue).messageCount());
  }

  @Test
  void transientMessagesOfADurableQueueDoNotComeBack() throws Exception {
    MessageQueue queue = queue(QueueSettings.DEFAULT);
    queue.publish(persistent("kept"), null);
    queue.publish(message("lost", false), null);
    assertEquals(2, counts(queue).messageCount());

    MessageQueue recovered = restart(queue);
    Delivery d = get(recovered, true);
    assertEquals("kept", name(d));
    d.message().release();
    assertNull(get(recovered, true));
  }

  @Test
  void aPurgeKeepsTheUnackedMessagesAndADeleteKeepsNothing() throws Exception {
    MessageQueue queue = queue(QueueSettings.DEFAULT);
    for (int i = 0; i < 4; i++) {
      queue.publish(persistent("m" + i), null);
    }
    Delivery out = get(queue, false);
    assertEquals(3, queue.purge().get(5, TimeUnit.SECONDS));
    out.message().release();

    MessageQueue recovered = restart(queue);
    Delivery back = get(recovered, true);
    assertEquals("m0", name(back));
    assertTrue(back.redelivered());
    back.message().release();
    assertNull(get(recovered, true));

    recovered.publish(persistent("m4"), null);
    assertEquals(1, recovered.purge().get(5, TimeUnit.SECONDS));
    recovered.publish(persistent("m5"), null);
    assertEquals(1, recovered.delete(false, false).get(5, TimeUnit.SECONDS));
    assertNull(get(restart(recovered), true), "nothing of a purged then deleted queue comes back");
  }

  @Test
  void aDeepBacklogIsPagedOutAndReadBackInOrder() throws Exception {
    MessageQueue queue = queue(QueueSettings.DEFAULT);
    int total = Pager.RESIDENT_COUNT * 3 + 17;
    publishConfirmed(queue, total, 30, "confirmed");
    assertEquals(total, counts(queue).messageCount());
    assertPagedOut();

    Delivery first = get(queue, true); // basic.get answers from the resident head
    assertEquals("m0", name(first));
    first.message().release();
    CollectingConsumer consumer = new CollectingConsumer(total - 1);
    queue.consume(consumer, false, new CompletableFuture<>());
    assertTrue(consumer.done.await(30, TimeUnit.SECONDS), consumer.names.size() + " received");
    for (int i = 1; i < total; i++) {
      assertEquals("m" + i, consumer.names.get(i - 1));
    }
    assertEquals(0, counts(queue).messageCount());
    assertNull(get(restart(queue), true), "no-ack deliveries are acked in the journal");
  }

  @Test
  void transientMessagesOfADeepBacklogSpillToDiskAndDoNotComeBack() throws Exception {
    MessageQueue queue = queue(QueueSettings.DEFAULT);
    int total = Pager.RESIDENT_COUNT * 2;
    for (int i = 0; i < total; i++) {
      queue.publish(message("t" + i, i % 2 == 0), null); // every other one persistent
    }
    assertEquals(total, counts(queue).messageCount());
    journal.sync().get(10, TimeUnit.SECONDS); // the journal lets go of each body once written
    assertPagedOut();
    for (int i = 0; i < Pager.RESIDENT_COUNT + 10; i++) { // through the spilled part
      Delivery d = get(queue, true);
      assertEquals("t" + i, name(d));
      assertEquals(i % 2 == 0, d.message().persistent());
      d.message().release();
    }

    MessageQueue recovered = restart(queue);
    int back = 0;
    for (Delivery d = get(recovered, true); d != null; d = get(recovered, true)) {
      assertTrue(d.message().persistent(), name(d) + " is transient and came back");
      d.message().release();
      back++;
    }
    assertEquals((total - Pager.RESIDENT_COUNT - 10) / 2, back);
  }

  @Test
  void aQueueThatOnlySpillsConfirmsAtOnceAndKeepsItsBacklogInOrder() throws Exception {
    long spillId = Long.MIN_VALUE + 1;
    MessageQueue queue = spilling(journal.spill(spillId));
    int total = Pager.RESIDENT_COUNT + 500;
    publishConfirmed(queue, total, 10, "confirms do not wait for a spill");
    counts(queue);
    // The journal holds each spilled body until it is written; count once it has let go.
    journal.sync().get(10, TimeUnit.SECONDS);
    assertPagedOut();
    for (int i = 0; i < total; i++) {
      Delivery d = get(queue, true);
      assertEquals("m" + i, name(d));
      d.message().release();
    }
    assertNull(get(queue, true));
    counts(queue);
    journal.close();
    journal = openJournal();
    assertTrue(
        !journal.recovery().queues().containsKey(spillId), "nothing spilled is ever recovered");
  }

  @Test
  void aConsumerWaitingForItsConnectionHoldsThePublishersBackInsteadOfPaging() throws Exception {
    MessageQueue queue = spilling(journal.spill(Long.MIN_VALUE + 1));
    int total = Pager.RESIDENT_COUNT + 1000;
    NetworkBoundConsumer consumer = new NetworkBoundConsumer(queue, 100, total);
    queue.consume(consumer, false, new CompletableFuture<>());
    for (int i = 0; i < total; i++) {
      queue.publish(message("m" + i, false), null);
    }
    counts(queue);
    assertTrue(queue.overloaded(), "publishers are held back");
    CountDownLatch resumed = new CountDownLatch(1);
    queue.whenDrained(resumed::countDown);
    journal.sync().get(10, TimeUnit.SECONDS);
    assertEquals(total - 100, bodiesInMemory(), "nothing was paged out");
    counts(queue);
    assertEquals(1, resumed.getCount(), "still held");

    consumer.take(total - 100);
    assertTrue(consumer.done.await(30, TimeUnit.SECONDS), consumer.names.size() + " received");
    for (int i = 0; i < total; i++) {
      assertEquals("m" + i, consumer.names.get(i));
    }
    assertTrue(resumed.await(10, TimeUnit.SECONDS), "publishers resumed");
    assertFalse(queue.overloaded());
  }

  @Test
  void pastTwiceTheBudgetMessagesPageOutEvenWhilePublishersAreHeld() throws Exception {
    MessageQueue queue = spilling(journal.spill(Long.MIN_VALUE + 1));
    int total = Pager.RESIDENT_COUNT * 2 + 1000;
    NetworkBoundConsumer consumer = new NetworkBoundConsumer(queue, 100, total);
    queue.consume(consumer, false, new CompletableFuture<>());
    for (int i = 0; i < total; i++) { // a publisher that ignores overloaded(), as dead letters do
      queue.publish(message("m" + i, false), null);
    }
    counts(queue);
    assertTrue(queue.overloaded());
    journal.sync().get(10, TimeUnit.SECONDS);
    long inMemory = bodiesInMemory();
    assertTrue(inMemory <= 2 * Pager.RESIDENT_COUNT + 1, inMemory + " bodies in memory");

    consumer.take(total - 100);
    assertTrue(consumer.done.await(30, TimeUnit.SECONDS), consumer.names.size() + " received");
    for (int i = 0; i < total; i++) {
      assertEquals("m" + i, consumer.names.get(i));
    }
  }

  @Test
  void aConsumerLimitedByItsPrefetchBesideOneWaitingForItsConnectionDoesNotHoldThePublishers()
      throws Exception {
    MessageQueue queue = spilling(journal.spill(Long.MIN_VALUE + 1));
    queue.consume(new NetworkBoundConsumer(queue, 100, 0), false, new CompletableFuture<>());
    queue.consume(prefetchLimited(), false, new CompletableFuture<>());
    assertPagesPastTheBudgetWithoutHoldingPublishers(queue);
  }

  @Test
  void aConsumerLimitedByItsPrefetchDoesNotHoldThePublishersBack() throws Exception {
    MessageQueue queue = spilling(journal.spill(Long.MIN_VALUE + 1));
    queue.consume(prefetchLimited(), false, new CompletableFuture<>());
    assertPagesPastTheBudgetWithoutHoldingPublishers(queue);
  }

  /** A no-ack consumer that takes 100 deliveries and then waits, as for its prefetch. */
  private static QueueConsumer prefetchLimited() {
    return new RecordingConsumer(
        "c", 0, true, 100, Collections.synchronizedList(new ArrayList<>()));
  }

  private void assertPagesPastTheBudgetWithoutHoldingPublishers(MessageQueue queue)
      throws Exception {
    for (int i = 0; i < Pager.RESIDENT_COUNT + 1000; i++) {
      queue.publish(message("m" + i, false), null);
    }
    counts(queue);
    assertFalse(queue.overloaded());
    journal.sync().get(10, TimeUnit.SECONDS);
    assertPagedOut();
  }

  @Test
  void publishersHeldForAConsumerThatTakesNothingMoreAreLetGoAndTheQueuePages() throws Exception {
    MessageQueue queue = spilling(journal.spill(Long.MIN_VALUE + 1));
    queue.consume(new NetworkBoundConsumer(queue, 100, 0), false, new CompletableFuture<>());
    int held = Pager.RESIDENT_COUNT + 1000;
    for (int i = 0; i < held; i++) {
      queue.publish(message("m" + i, false), null);
    }
    counts(queue);
    assertTrue(queue.overloaded());
    CountDownLatch resumed = new CountDownLatch(1);
    queue.whenDrained(resumed::countDown);

    clock.advanceAndFire(Pacing.PATIENCE_MILLIS);
    assertTrue(resumed.await(10, TimeUnit.SECONDS), "publishers let go");
    assertFalse(queue.overloaded());
    for (int i = 0; i < 1000; i++) {
      queue.publish(message("late" + i, false), null);
    }
    assertEquals(held + 1000 - 100, counts(queue).messageCount());
    journal.sync().get(10, TimeUnit.SECONDS);
    assertEquals(held - 100, bodiesInMemory(), "the later messages were paged out");
  }

  @Test
  void aBasicGetWaitsForItsPagedOutMessage() throws Exception {
    MessageQueue queue = queue(QueueSettings.DEFAULT);
    int total = Pager.RESIDENT_COUNT + 50;
    for (int i = 0; i < total; i++) {
      queue.publish(persistent("m" + i), null);
    }
    for (int i = 0; i < total; i++) {
      Delivery d = get(queue, true);
      assertEquals("m" + i, name(d));
      d.message().release();
    }
    assertNull(get(queue, true));
  }

  @Test
  void aRestartWithADeepBacklogKeepsMemoryBoundedAndOrder() throws Exception {
    MessageQueue queue = queue(QueueSettings.DEFAULT);
    int total = Pager.RESIDENT_COUNT * 2;
    for (int i = 0; i < total; i++) {
      queue.publish(persistent("m" + i), null);
    }
    assertEquals(total, counts(queue).messageCount());
    MessageQueue recovered = restart(queue);
    assertEquals(total, counts(recovered).messageCount());
    for (int i = 0; i < total; i++) {
      Delivery d = get(recovered, true);
      assertEquals("m" + i, name(d));
      d.message().release();
    }
  }

  @Test
  void aPagedOutMessageOfHigherPriorityIsReadBackFirstAlsoAfterARestart() throws Exception {
    QueueSettings priorities = Settings.settings().maxPriority(5).build();
    MessageQueue queue = queue(priorities);
    int low = Pager.RESIDENT_COUNT + 100;
    for (int i = 0; i < low; i++) {
      queue.publish(message("low" + i, true, 0), null);
    }
    for (int i = 0; i < 10; i++) {
      queue.publish(message("high" + i, true, 5), null); // over budget: paged out at once
    }
    assertEquals(low + 10, counts(queue).messageCount());
    for (int i = 0; i < 5; i++) {
      Delivery d = get(queue, true);
      assertEquals("high" + i, name(d));
      d.message().release();
    }
    MessageQueue recovered =
        restart(queue, priorities); // priorities come back from the journal too
    for (int i = 5; i < 10; i++) {
      Delivery d = get(recovered, true);
      assertEquals("high" + i, name(d));
      d.message().release();
    }
    for (int i = 0; i < low; i++) {
      Delivery d = get(recovered, true);
      assertEquals("low" + i, name(d));
      d.message().release();
    }
    assertNull(get(recovered, true));
  }

  @Test
  void aPagedOutBacklogExpiresByTheQueueTtlWithoutBeingReadBack() throws Exception {
    ReadCounting counting = new ReadCounting(journal.log(QUEUE_ID));
    MessageQueue queue =
        queue(Settings.settings().messageTtl(60_000).build(), counting, journal.newSpill());
    int total = Pager.RESIDENT_COUNT * 3;
    publishConfirmed(queue, total, 30, "confirmed");
    assertEquals(total, counts(queue).messageCount());
    assertPagedOut();

    owner.submit(() -> clock.advanceAndFire(60_001)).get(30, TimeUnit.SECONDS);
    assertEquals(0, counts(queue).messageCount(), "the whole backlog expired");
    assertEquals(0, counting.read.get(), "expired messages were read back from disk");
    assertNull(get(restart(queue), true), "expired messages are acked in the journal");
  }

  @Test
  void aTtlSetOnAPagedOutBacklogExpiresItWithoutReadingItBack() throws Exception {
    ReadCounting counting = new ReadCounting(journal.log(QUEUE_ID));
    MessageQueue queue = queue(QueueSettings.DEFAULT, counting, journal.newSpill());
    int total = Pager.RESIDENT_COUNT * 3;
    publishConfirmed(queue, total, 30, "confirmed");
    assertPagedOut();
    owner.submit(() -> clock.advance(10_000)).get(30, TimeUnit.SECONDS);
    queue.applySettings(Settings.settings().messageTtl(5_000).build());
    assertEquals(0, counts(queue).messageCount(), "every message was 10 s old");
    assertEquals(0, counting.read.get(), "expired messages were read back from disk");
    assertNull(get(restart(queue), true), "expired messages are acked in the journal");
  }

  @Test
  void aPagedOutMessagesOwnExpirationHiddenByAnOldTtlAppliesOnceTheTtlIsGone() throws Exception {
    MessageQueue queue = queue(Settings.settings().messageTtl(1_000).build());
    int resident = Pager.RESIDENT_COUNT + 1;
    for (int i = 0; i < resident; i++) {
      queue.publish(persistent("m" + i), null);
    }
    queue.publish(expiring("own", 5_000), null); // paged out, its deadline set by the TTL
    queue.publish(persistent("after"), null);
    queue.applySettings(QueueSettings.DEFAULT);
    assertEquals(resident + 2, counts(queue).messageCount()); // every command above has run
    owner.submit(() -> clock.advanceAndFire(6_000)).get(30, TimeUnit.SECONDS);
    assertEquals(resident + 2, counts(queue).messageCount(), "no TTL: nothing expired yet");
    for (int i = 0; i < resident; i++) {
      Delivery d = get(queue, true);
      assertEquals("m" + i, name(d));
      d.message().release();
    }
    Delivery last = get(queue, true);
    assertEquals("after", name(last), "'own' expired by its own 5 s once read back");
    last.message().release();
    assertNull(get(queue, true));
  }

  @Test
  void aPagedOutMessageExpiresByItsOwnExpirationWhenItReachesTheHead() throws Exception {
    MessageQueue queue = queue(QueueSettings.DEFAULT);
    int resident = Pager.RESIDENT_COUNT + 1;
    for (int i = 0; i < resident; i++) {
      queue.publish(persistent("m" + i), null);
    }
    queue.publish(expiring("short-lived", 1_000), null); // over budget: paged out
    queue.publish(persistent("after"), null);
    assertEquals(resident + 2, counts(queue).messageCount()); // every publish taken
    owner.submit(() -> clock.advanceAndFire(2_000)).get(30, TimeUnit.SECONDS);
    // As in RabbitMQ, a message that expires by its own expiration deep in the queue is counted
    // until it nears the head.
    assertEquals(resident + 2, counts(queue).messageCount());
    for (int i = 0; i < resident; i++) {
      Delivery d = get(queue, true);
      assertEquals("m" + i, name(d));
      d.message().release();
    }
    Delivery last = get(queue, true);
    assertEquals("after", name(last));
    last.message().release();
    assertNull(get(queue, true));
    assertEquals(0, counts(queue).messageCount());
  }

  @Test
  void aQueueThatDeadLettersPagesOutToo() throws Exception {
    QueueSettings dlx = Settings.settings().deadLettering().messageTtl(60_000).build();
    MessageQueue queue = queue(dlx);
    int total = Pager.RESIDENT_COUNT * 3;
    deadLettersExpected = new CountDownLatch(total);
    publishConfirmed(queue, total, 30, "confirmed");
    assertPagedOut();

    owner.submit(() -> clock.advanceAndFire(60_001)).get(30, TimeUnit.SECONDS);
    assertEquals(0, counts(queue).messageCount());
    assertTrue(
        deadLettersExpected.await(30, TimeUnit.SECONDS),
        deadLettered.size() + " dead-lettered; paged-out ones are read back first");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      expected.add("m" + i);
    }
    assertEquals(expected, deadLettered, "dead-lettered in queue order");

    for (int i = 0; i < total / 2; i++) {
      deadLetterStores.get(i).settle(true); // the first half is safe where it went
    }
    // Restarted without the TTL: the queue's clock has passed it, so they would expire again.
    MessageQueue recovered = restart(queue, Settings.settings().deadLettering().build());
    assertEquals(total - total / 2, counts(recovered).messageCount(), "the rest comes back");
  }

  @Test
  void aPurgeKeepsInTheJournalADeadLetterNotYetSafeWhereItWent() throws Exception {
    QueueSettings dlx = Settings.settings().deadLettering().build();
    MessageQueue queue = queue(dlx);
    queue.publish(persistent("rejected"), null);
    queue.publish(persistent("purged"), null);
    Delivery first = get(queue, false);
    queue.reject(new long[] {first.id()}, 1, false); // dead-lettered, not yet settled
    release(first);
    assertEquals(1, queue.purge().get(5, TimeUnit.SECONDS));
    assertEquals(1, deadLetterStores.size());

    MessageQueue recovered = restart(queue, dlx);
    Delivery back = get(recovered, true);
    assertEquals("rejected", name(back), "the purge did not take the unsettled dead letter");
    back.message().release();
    assertNull(get(recovered, true), "the purged message stays purged");
  }

  @Test
  void aDeadLetteredMessageLeavesTheJournalOnlyOnceItIsSafeWhereItWent() throws Exception {
    QueueSettings dlx = Settings.settings().deadLettering().build();
    MessageQueue queue = queue(dlx);
    queue.publish(persistent("kept"), null);
    queue.publish(persistent("gone"), null);
    Delivery first = get(queue, false);
    Delivery second = get(queue, false);
    queue.reject(new long[] {first.id(), second.id()}, 2, false);
    release(first, second);
    counts(queue);
    assertEquals(2, deadLetterStores.size(), "both were dead-lettered");
    deadLetterStores.get(1).settle(true); // only "gone" reached its dead-letter queue safely

    MessageQueue recovered = restart(queue, dlx);
    Delivery back = get(recovered, true);
    assertEquals("kept", name(back), "a dead letter not yet safe elsewhere comes back");
    back.message().release();
    assertNull(get(recovered, true));
  }

  @Test
  void aDeadLetterATargetRefusedIsTriedAgainFromTheJournalUntilItIsSafe() throws Exception {
    QueueSettings dlx = Settings.settings().deadLettering().build();
    MessageQueue queue = queue(dlx);
    queue.publish(persistent("bounced"), null);
    Delivery first = get(queue, false);
    queue.reject(new long[] {first.id()}, 1, false);
    release(first);
    counts(queue);
    assertEquals(List.of("bounced"), deadLettered);
    deadLetterStores.get(0).settle(false); // its target was full (reject-publish)
    counts(queue);

    deadLettersExpected = new CountDownLatch(1);
    owner
        .submit(() -> clock.advanceAndFire(DeadLetterRetries.RETRY_MILLIS))
        .get(5, TimeUnit.SECONDS);
    assertTrue(deadLettersExpected.await(10, TimeUnit.SECONDS), "tried again, read back");
    assertEquals(List.of("bounced", "bounced"), deadLettered);
    deadLetterStores.get(1).settle(true);
    counts(queue);

    MessageQueue recovered = restart(queue, dlx);
    assertNull(get(recovered, true), "gone from the journal once accepted");
  }

  @Test
  void aRefusedDeadLetterStaysInTheJournalAcrossARestart() throws Exception {
    QueueSettings dlx = Settings.settings().deadLettering().build();
    MessageQueue queue = queue(dlx);
    queue.publish(persistent("bounced"), null);
    Delivery first = get(queue, false);
    queue.reject(new long[] {first.id()}, 1, false);
    release(first);
    counts(queue);
    deadLetterStores.get(0).settle(false);
    counts(queue);

    MessageQueue recovered = restart(queue, dlx);
    Delivery back = get(recovered, true);
    assertEquals("bounced", name(back), "back in its source, never lost");
    back.message().release();
  }

  /**
   * Lets {@code old} finish its commands, stops it as the broker does (marking what it delivered),
   * closes the journal cleanly, opens it again and builds the queue anew from it.
   */
  private MessageQueue restart(MessageQueue old) throws Exception {
    return restart(old, QueueSettings.DEFAULT);
  }

  private MessageQueue restart(MessageQueue old, QueueSettings settings) throws Exception {
    counts(old);
    owner.submit(old::releaseMemory).get(10, TimeUnit.SECONDS); // as the broker does when it stops
    journal.close();
    journal = openJournal();
    return queue(settings);
  }

  private Journal openJournal() throws Exception {
    return Journal.open(JournalConfig.defaults(dir), UnpooledByteBufAllocator.DEFAULT);
  }

  private MessageQueue queue(QueueSettings settings) throws Exception {
    return queue(settings, journal.log(QUEUE_ID), journal.newSpill());
  }

  /** A transient queue: no log, and a spill store for its deep backlog. */
  private MessageQueue spilling(SpillStore spill) throws Exception {
    return queue(QueueSettings.DEFAULT, null, spill);
  }

  private MessageQueue queue(QueueSettings settings, MessageLog log, SpillStore spill)
      throws Exception {
    // Constructed on its own thread, as the broker builds queues where they run; started once its
    // log gave it back what it held.
    MessageQueue queue =
        owner
            .submit(
                () ->
                    new MessageQueue(
                        new QueueDefinition("q", true, false, false, Map.of()),
                        settings,
                        null,
                        new QueueServices(
                            owner,
                            () -> Thread.currentThread() == ownerThread,
                            clock,
                            (from, message, reason, stored) -> {
                              deadLettered.add(message.body().toString(StandardCharsets.US_ASCII));
                              message.release();
                              deadLetterStores.add(stored);
                              deadLettersExpected.countDown();
                            },
                            q -> {},
                            log,
                            spill,
                            MemoryLedger.unlimited())))
            .get(30, TimeUnit.SECONDS);
    queues.add(queue);
    queue.start().get(30, TimeUnit.SECONDS);
    return queue;
  }

  private Message persistent(String name) {
    return message(name, true);
  }

  /** Publishes persistent messages "m0", "m1", ... and waits for every confirm. */
  private void publishConfirmed(MessageQueue queue, int total, int seconds, String why)
      throws InterruptedException {
    CountDownLatch confirmed = new CountDownLatch(total);
    for (int i = 0; i < total; i++) {
      queue.publish(persistent("m" + i), accepted -> confirmed.countDown());
    }
    assertTrue(confirmed.await(seconds, TimeUnit.SECONDS), why);
  }

  /** No more bodies are still referenced than a queue keeps in memory (and the one in hand). */
  private void assertPagedOut() {
    long inMemory = bodiesInMemory();
    assertTrue(inMemory <= Pager.RESIDENT_COUNT + 1, inMemory + " bodies in memory: not paged out");
  }

  private long bodiesInMemory() {
    return bodies.stream().filter(b -> b.refCnt() > 0).count();
  }

  private Message message(String name, boolean persistent) {
    return message(name, persistent, 0);
  }

  private Message message(String name, boolean persistent, int priority) {
    ByteBuf properties = Unpooled.buffer(2).writeShort(0);
    ByteBuf body = Unpooled.copiedBuffer(name, StandardCharsets.US_ASCII);
    bodies.add(body);
    return new Message("ex", "rk", properties, body, persistent, priority, -1);
  }

  private Message expiring(String name, long expirationMillis) {
    ByteBuf properties = Unpooled.buffer(2).writeShort(0);
    ByteBuf body = Unpooled.copiedBuffer(name, StandardCharsets.US_ASCII);
    bodies.add(body);
    return new Message("ex", "rk", properties, body, true, 0, expirationMillis);
  }

  /**
   * A queue's log that counts the messages read back, and can hold back the completion of appends
   * until {@link #storeGate} completes.
   */
  private static final class ReadCounting implements MessageLog {
    final AtomicInteger read = new AtomicInteger();
    CompletableFuture<Void> storeGate = CompletableFuture.completedFuture(null);
    private final MessageLog log;

    ReadCounting(MessageLog log) {
      this.log = log;
    }

    @Override
    public void subscribe(Leadership leadership) {
      log.subscribe(leadership);
    }

    @Override
    public CompletableFuture<RecoveredLog> recover() {
      return log.recover();
    }

    @Override
    public CompletableFuture<Void> append(long messageId, ByteBuf metadata, ByteBuf body) {
      return storeGate.thenCombine(log.append(messageId, metadata, body), (g, l) -> l);
    }

    @Override
    public CompletableFuture<Void> delivered(long messageId) {
      return log.delivered(messageId);
    }

    @Override
    public CompletableFuture<Void> ack(long messageId) {
      return log.ack(messageId);
    }

    @Override
    public CompletableFuture<Void> purge() {
      return log.purge();
    }

    @Override
    public CompletableFuture<Void> delete() {
      return log.delete();
    }

    @Override
    public CompletableFuture<List<StoredMessage>> read(long[] messageIds) {
      read.addAndGet(messageIds.length);
      return log.read(messageIds);
    }
  }

  private static Delivery get(MessageQueue queue, boolean noAck) throws Exception {
    return queue.get(noAck).get(10, TimeUnit.SECONDS);
  }

  private static QueueCounts counts(MessageQueue queue) throws Exception {
    return queue.counts().get(10, TimeUnit.SECONDS);
  }

  private static String name(Delivery d) {
    assertNotNull(d, "no message");
    return d.message().body().toString(StandardCharsets.US_ASCII);
  }

  private static void release(Delivery... deliveries) {
    for (Delivery d : deliveries) {
      d.message().release();
    }
  }

  /**
   * A no-ack consumer on a connection that carries {@code window} deliveries, then waits to drain
   * (as a channel consumer does when its socket falls behind) until the test lets it {@link #take}
   * more; {@link #done} once {@code expected} arrived.
   */
  private static final class NetworkBoundConsumer extends CollectingConsumer {
    private final MessageQueue queue;
    private final AtomicInteger window;
    private volatile boolean waiting;

    NetworkBoundConsumer(MessageQueue queue, int window, int expected) {
      super(expected);
      this.queue = queue;
      this.window = new AtomicInteger(window);
    }

    /** The connection drained: {@code more} deliveries fit, and the queue is told. */
    void take(int more) {
      window.addAndGet(more);
      queue.resume();
    }

    @Override
    public boolean tryReserve() {
      waiting = window.get() == 0;
      if (waiting) {
        return false;
      }
      window.decrementAndGet();
      return true;
    }

    @Override
    public boolean waitsForConnection() {
      return waiting;
    }
  }

  /** A no-ack consumer without a prefetch limit that keeps the bodies it receives as text. */
  private static class CollectingConsumer implements QueueConsumer {
    final List<String> names = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch done;
    private final AtomicInteger left;

    CollectingConsumer(int expected) {
      done = new CountDownLatch(1);
      left = new AtomicInteger(expected);
    }

    @Override
    public String tag() {
      return "collector";
    }

    @Override
    public boolean noAck() {
      return true;
    }

    @Override
    public int priority() {
      return 0;
    }

    @Override
    public boolean tryReserve() {
      return true;
    }

    @Override
    public void deliver(Delivery delivery) {
      names.add(name(delivery));
      delivery.message().release();
      if (left.decrementAndGet() == 0) {
        done.countDown();
      }
    }

    @Override
    public void cancelledByQueue(MessageQueue queue) {}
  }
}
