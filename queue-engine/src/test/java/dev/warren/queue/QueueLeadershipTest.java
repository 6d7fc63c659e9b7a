package dev.warren.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.persistence.journal.Journal;
import dev.warren.persistence.journal.JournalConfig;
import dev.warren.storage.Leadership;
import dev.warren.storage.MessageLog;
import dev.warren.storage.RecoveredLog;
import dev.warren.storage.StoredMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queue follows the leadership of its log: it waits (holding its clients' commands, in order)
 * while it rebuilds itself or while its node does not lead the log, and refuses everything once the
 * log is lost. The log is the node journal's; the test decides when leadership changes, as a
 * replicated log's election would. Everything the queue does runs on its own thread.
 */
class QueueLeadershipTest {
  private static final long QUEUE_ID = 3;

  @TempDir Path dir;

  private final ExecutorService owner = Executors.newSingleThreadExecutor();
  private final ManualScheduler clock = new ManualScheduler();
  private final List<ByteBuf> bodies = Collections.synchronizedList(new ArrayList<>());
  private final List<Confirmation> deadLetterSettlements =
      Collections.synchronizedList(new ArrayList<>());
  private Thread ownerThread;
  private Journal journal;

  @BeforeEach
  void open() throws Exception {
    ownerThread = owner.submit(Thread::currentThread).get();
    journal = Journal.open(JournalConfig.defaults(dir), UnpooledByteBufAllocator.DEFAULT);
  }

  @AfterEach
  void close() {
    journal.close();
    owner.shutdownNow();
  }

  @Test
  void commandsWaitWhileTheQueueRebuildsItselfAndRunInOrderOnceItRuns() throws Exception {
    storeBeforeARestart("m1", "m2", "m3");
    TestLog log = new TestLog(journal.log(QUEUE_ID));
    MessageQueue queue = queue(log, QueueSettings.DEFAULT);
    queue.start();
    CompletableFuture<Boolean> confirmed = new CompletableFuture<>();
    queue.publish(persistent("m4"), confirmed::complete);
    CompletableFuture<Delivery> first = queue.get(true);
    CompletableFuture<QueueCounts> counts = queue.counts();
    assertFalse(first.isDone() || counts.isDone(), "held while the queue is not yet running");
    assertEquals(QueueStats.State.RECOVERING, queue.stats().state());

    log.leadership.becameLeader();
    assertEquals("m1", name(first.get(10, TimeUnit.SECONDS)));
    assertEquals(3, counts.get(10, TimeUnit.SECONDS).messageCount(), "m2, m3, then m4");
    assertTrue(confirmed.get(10, TimeUnit.SECONDS));
    assertEquals(List.of("m2", "m3", "m4"), drain(queue));
    assertEquals(QueueStats.State.RUNNING, queue.stats().state());
  }

  @Test
  void aQueueThatStepsDownLetsGoOfItsMessagesAndServesThemAgainWhenItLeadsAgain() throws Exception {
    TestLog log = new TestLog(journal.log(QUEUE_ID));
    MessageQueue queue = running(log, QueueSettings.DEFAULT);
    publishConfirmed(queue, "m1", "m2", "m3");

    log.leadership.steppedDown();
    ranQueued();
    CompletableFuture<Delivery> held = queue.get(true);
    CompletableFuture<QueueCounts> counts = queue.counts();
    assertFalse(held.isDone() || counts.isDone(), "another node serves meanwhile");
    assertEquals(QueueStats.State.STANDBY, queue.stats().state());
    assertEquals(0, bodies.stream().filter(b -> b.refCnt() > 0).count(), "memory let go");

    log.leadership.becameLeader();
    assertEquals("m1", name(held.get(10, TimeUnit.SECONDS)), "rebuilt from the log");
    assertEquals(2, counts.get(10, TimeUnit.SECONDS).messageCount());
    assertEquals(List.of("m2", "m3"), drain(queue));
  }

  @Test
  void aQueueWhoseLogAnotherNodeLeadsRefusesItsCommandsAtOnceNamingThatNode() throws Exception {
    TestLog log = new TestLog(journal.log(QUEUE_ID));
    MessageQueue queue = running(log, QueueSettings.DEFAULT);
    publishConfirmed(queue, "m1");
    RecordingConsumer consumer = new RecordingConsumer("c", 0, new ArrayList<>());
    CompletableFuture<Void> added = new CompletableFuture<>();
    queue.consume(consumer, false, added);
    added.get(10, TimeUnit.SECONDS);
    log.leadership.steppedDown();
    CompletableFuture<Delivery> heldGet = queue.get(false);
    ranQueued();
    assertFalse(heldGet.isDone(), "no leader known yet: it waits");

    log.leadership.follows("n2");
    assertNotLeader(heldGet, "n2");
    CompletableFuture<Boolean> confirmed = new CompletableFuture<>();
    queue.publish(persistent("m2"), confirmed::complete);
    assertFalse(confirmed.get(10, TimeUnit.SECONDS), "a publish is nacked, never acked");
    CompletableFuture<Void> consume = new CompletableFuture<>();
    queue.consume(new RecordingConsumer("d", 1, new ArrayList<>()), false, consume);
    assertNotLeader(consume, "n2");
    assertNotLeader(queue.counts(), "n2");
    assertNotLeader(queue.purge(), "n2");
    assertNotLeader(queue.delete(false, true), "n2");
    assertEquals(1, owner.submit(() -> consumer.cancelledByQueue()).get(), "told it is cancelled");
    assertEquals(QueueStats.State.STANDBY, queue.stats().state());

    log.leadership.becameLeader();
    assertEquals("m1", name(queue.get(true).get(10, TimeUnit.SECONDS)), "serves again");
  }

  @Test
  void commandsHeldWithoutALeaderAreRefusedOnceTheyWaitedTheLogsLimit() throws Exception {
    TestLog log = new TestLog(journal.log(QUEUE_ID));
    log.leaderWaitMillis = 500;
    MessageQueue queue = queue(log, QueueSettings.DEFAULT);
    queue.start();
    CompletableFuture<Boolean> confirmed = new CompletableFuture<>();
    queue.publish(persistent("m1"), confirmed::complete);
    CompletableFuture<Delivery> got = queue.get(true);
    owner.submit(() -> clock.advanceAndFire(499)).get(10, TimeUnit.SECONDS);
    CompletableFuture<QueueCounts> later = queue.counts();
    ranQueued();
    assertFalse(confirmed.isDone() || got.isDone(), "held within the limit");

    owner.submit(() -> clock.advanceAndFire(1)).get(10, TimeUnit.SECONDS);
    assertFalse(confirmed.get(10, TimeUnit.SECONDS), "nacked once it waited its limit");
    assertNotLeader(got, "no leader");
    assertFalse(later.isDone(), "a later command keeps its own wait");

    log.leadership.becameLeader();
    assertEquals(0, later.get(10, TimeUnit.SECONDS).messageCount(), "runs once the queue does");
  }

  @Test
  void aRecoverThatFailsOnALogThatAllowsItIsAskedAgainAndTheQueueRunsWithItsMessages()
      throws Exception {
    storeBeforeARestart("m1", "m2");
    TestLog log = new TestLog(journal.log(QUEUE_ID));
    log.failingRecovers.set(2);
    log.recoverRetryMillis = 10;
    MessageQueue queue = queue(log, QueueSettings.DEFAULT);
    queue.start();
    CompletableFuture<QueueCounts> counts = queue.counts();
    log.leadership.becameLeader();
    assertEquals(2, counts.get(10, TimeUnit.SECONDS).messageCount(), "held, then answered");
    assertEquals(3, log.recovers.get(), "two failures, then the log said");
    assertEquals(List.of("m1", "m2"), drain(queue));
  }

  @Test
  void aRecoverThatFailsForGoodLosesTheQueue() throws Exception {
    TestLog log = new TestLog(journal.log(QUEUE_ID));
    log.failingRecovers.set(1);
    MessageQueue queue = queue(log, QueueSettings.DEFAULT);
    queue.start();
    CompletableFuture<Delivery> refused = queue.get(true);
    log.leadership.becameLeader();
    assertUnavailable(refused);
    assertUnavailable(queue.get(true));
    assertEquals(1, log.recovers.get(), "asked once");
  }

  @Test
  void aQueueThatLostItsLogRefusesEveryCommandAndCancelsItsConsumers() throws Exception {
    TestLog log = new TestLog(journal.log(QUEUE_ID));
    MessageQueue queue = running(log, QueueSettings.DEFAULT);
    publishConfirmed(queue, "m1");
    RecordingConsumer consumer = new RecordingConsumer("c", 0, new ArrayList<>());
    CompletableFuture<Void> added = new CompletableFuture<>();
    queue.consume(consumer, false, added);
    added.get(10, TimeUnit.SECONDS);

    log.leadership.lost(new IOException("disk gone"));
    ranQueued();
    CompletableFuture<Boolean> confirmed = new CompletableFuture<>();
    queue.publish(persistent("m2"), confirmed::complete);
    assertFalse(confirmed.get(10, TimeUnit.SECONDS), "a publish is nacked, never acked");
    assertUnavailable(queue.get(false));
    CompletableFuture<Void> consume = new CompletableFuture<>();
    queue.consume(new RecordingConsumer("d", 1, new ArrayList<>()), false, consume);
    assertUnavailable(consume);
    assertUnavailable(queue.purge());
    assertEquals(1, owner.submit(() -> consumer.cancelledByQueue()).get(), "told it is cancelled");
    assertEquals(QueueStats.State.UNAVAILABLE, queue.stats().state());
  }

  @Test
  void theLogAckOfADeadLetteredMessageRunsOnTheQueuesThreadWhenTheDeadLetterIsSafe()
      throws Exception {
    TestLog log = new TestLog(journal.log(QUEUE_ID));
    MessageQueue queue = running(log, Settings.settings().deadLettering().build());
    publishConfirmed(queue, "m1");
    Delivery d = queue.get(false).get(10, TimeUnit.SECONDS);
    d.message().release();
    queue.reject(new long[] {d.id()}, 1, false);
    queue.counts().get(10, TimeUnit.SECONDS);
    assertEquals(1, deadLetterSettlements.size());
    assertTrue(log.ackThreads.isEmpty(), "kept in the log until the dead letter is safe");

    Thread elsewhere = new Thread(() -> deadLetterSettlements.get(0).settle(true));
    elsewhere.start();
    elsewhere.join();
    queue.counts().get(10, TimeUnit.SECONDS);
    assertEquals(List.of(ownerThread), log.ackThreads, "acked on the queue's own thread");
  }

  /** Waits until the queue's thread has run what was handed to it so far. */
  private void ranQueued() throws Exception {
    owner.submit(() -> {}).get(10, TimeUnit.SECONDS);
  }

  /** Publishes, confirms and stops a queue, and reopens the journal: its messages wait there. */
  private void storeBeforeARestart(String... names) throws Exception {
    MessageQueue before = running(new TestLog(journal.log(QUEUE_ID)), QueueSettings.DEFAULT);
    publishConfirmed(before, names);
    before.counts().get(10, TimeUnit.SECONDS);
    owner.submit(before::releaseMemory).get(10, TimeUnit.SECONDS);
    journal.close();
    journal = Journal.open(JournalConfig.defaults(dir), UnpooledByteBufAllocator.DEFAULT);
  }

  private MessageQueue running(TestLog log, QueueSettings settings) throws Exception {
    MessageQueue queue = queue(log, settings);
    CompletableFuture<Void> started = queue.start();
    log.leadership.becameLeader();
    started.get(10, TimeUnit.SECONDS);
    return queue;
  }

  private MessageQueue queue(MessageLog log, QueueSettings settings) throws Exception {
    return owner
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
                        (from, message, reason, accepted) -> {
                          message.release();
                          deadLetterSettlements.add(accepted);
                        },
                        q -> {},
                        log,
                        journal.newSpill(),
                        MemoryLedger.unlimited())))
        .get(10, TimeUnit.SECONDS);
  }

  private void publishConfirmed(MessageQueue queue, String... names) throws Exception {
    for (String name : names) {
      CompletableFuture<Boolean> confirmed = new CompletableFuture<>();
      queue.publish(persistent(name), confirmed::complete);
      assertTrue(confirmed.get(10, TimeUnit.SECONDS), name + " confirmed");
    }
  }

  private Message persistent(String name) {
    ByteBuf body = Unpooled.copiedBuffer(name, StandardCharsets.US_ASCII);
    bodies.add(body);
    return new Message("ex", "rk", Unpooled.buffer(2).writeShort(0), body, true, 0, -1);
  }

  private static List<String> drain(MessageQueue queue) throws Exception {
    List<String> names = new ArrayList<>();
    for (Delivery d = queue.get(true).get(10, TimeUnit.SECONDS);
        d != null;
        d = queue.get(true).get(10, TimeUnit.SECONDS)) {
      names.add(name(d));
    }
    return names;
  }

  private static String name(Delivery d) {
    String name = d.message().body().toString(StandardCharsets.US_ASCII);
    d.message().release();
    return name;
  }

  private static void assertUnavailable(CompletableFuture<?> refused) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
    QueueException why = assertInstanceOf(QueueException.class, e.getCause());
    assertSame(QueueException.Reason.UNAVAILABLE, why.reason());
  }

  private static void assertNotLeader(CompletableFuture<?> refused, String saying) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
    QueueException why = assertInstanceOf(QueueException.class, e.getCause());
    assertSame(QueueException.Reason.NOT_LEADER, why.reason());
    assertTrue(why.getMessage().contains(saying), why.getMessage());
  }

  /**
   * The journal's log of the queue, with the leadership in the test's hands (as a replicated log's
   * elections would decide it), and the threads its acks were issued on.
   */
  private static final class TestLog implements MessageLog {
    final List<Thread> ackThreads = Collections.synchronizedList(new ArrayList<>());
    private final MessageLog log;
    Leadership leadership;
    long leaderWaitMillis = Long.MAX_VALUE;
    long recoverRetryMillis = -1;

    /** How many recovers fail (as a barrier not committed in time would) before one succeeds. */
    final AtomicInteger failingRecovers = new AtomicInteger();

    final AtomicInteger recovers = new AtomicInteger();

    TestLog(MessageLog log) {
      this.log = log;
    }

    @Override
    public void subscribe(Leadership leadership) {
      this.leadership = leadership;
    }

    @Override
    public long leaderWaitMillis() {
      return leaderWaitMillis;
    }

    @Override
    public CompletableFuture<RecoveredLog> recover() {
      recovers.incrementAndGet();
      if (failingRecovers.getAndDecrement() > 0) {
        return CompletableFuture.failedFuture(new IOException("barrier not committed in time"));
      }
      return log.recover();
    }

    @Override
    public long recoverRetryMillis() {
      return recoverRetryMillis;
    }

    @Override
    public CompletableFuture<Void> append(long messageId, ByteBuf metadata, ByteBuf body) {
      return log.append(messageId, metadata, body);
    }

    @Override
    public CompletableFuture<Void> delivered(long messageId) {
      return log.delivered(messageId);
    }

    @Override
    public CompletableFuture<Void> ack(long messageId) {
      ackThreads.add(Thread.currentThread());
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
      return log.read(messageIds);
    }
  }
}
