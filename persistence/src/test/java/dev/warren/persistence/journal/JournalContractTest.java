package dev.warren.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.storage.StoredMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The journal's contract, run over every {@link FileLayer}: subclasses say which one. */
abstract class JournalContractTest extends JournalTestSupport {

  @Test
  void storedMessagesComeBackAfterReopenWithTheirContent() throws Exception {
    Journal journal = open(config());
    assertTrue(journal.recovery().queues().isEmpty());
    store(journal, 1, 1);
    store(journal, 2, 1);
    store(journal, 1, 2);
    journal = reopen(journal);
    assertEquals(List.of(1L, 2L), ids(journal.recovery(), 1));
    assertEquals(List.of(1L), ids(journal.recovery(), 2));
    for (RecoveredMessage m : RecoveredMessage.of(journal.recovery(), 1L)) {
      assertFalse(m.redelivered());
      assertReadable(journal, m.location());
    }
    assertEquals(2, journal.recovery().highestMessageId());
  }

  @Test
  void ackedMessagesDoNotComeBack() throws Exception {
    Journal journal = open(config());
    for (long m = 1; m <= 5; m++) {
      store(journal, 7, m);
    }
    journal.ack(7, 2);
    journal.ack(7, 4);
    journal = reopen(journal);
    assertEquals(List.of(1L, 3L, 5L), ids(journal.recovery(), 7));
  }

  @Test
  void aBatchReadGivesNullForAnAckedMessageAndReadsTheOthers() throws Exception {
    Journal journal = open(config());
    for (long m = 1; m <= 3; m++) {
      store(journal, 7, m);
    }
    journal.ack(7, 2);
    List<StoredMessage> read = journal.read(7, new long[] {3, 2, 1, 9}).get();
    try {
      assertEquals(4, read.size());
      assertEquals("body of 7/3 " + "x".repeat(60), Buffers.text(read.get(0).body()));
      assertNull(read.get(1), "acked before the read");
      assertEquals("body of 7/1 " + "x".repeat(60), Buffers.text(read.get(2).body()));
      assertNull(read.get(3), "never stored");
    } finally {
      read.stream().filter(m -> m != null).forEach(StoredMessage::release);
    }
  }

  @Test
  void orderIsPreservedPerQueueAcrossInterleavedQueues() throws Exception {
    Journal journal = open(config());
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (long m = 1; m <= 300; m++) {
      futures.add(enqueue(journal, m % 3, m));
    }
    for (CompletableFuture<Void> f : futures) {
      await(f);
    }
    for (long m = 1; m <= 300; m += 7) {
      journal.ack(m % 3, m);
    }
    journal = reopen(journal);
    for (long q = 0; q < 3; q++) {
      List<Long> expected = new ArrayList<>();
      for (long m = 1; m <= 300; m++) {
        if (m % 3 == q && (m - 1) % 7 != 0) {
          expected.add(m);
        }
      }
      assertEquals(expected, ids(journal.recovery(), q));
    }
  }

  @Test
  void deliveredMessagesComeBackRedelivered() throws Exception {
    Journal journal = open(config());
    for (long m = 1; m <= 3; m++) {
      store(journal, 1, m);
    }
    journal.delivered(1, 2);
    journal = reopen(journal);
    List<RecoveredMessage> recovered = RecoveredMessage.of(journal.recovery(), 1L);
    assertEquals(
        List.of(false, true, false), recovered.stream().map(m -> m.redelivered()).toList());
  }

  @Test
  void purgeRemovesTheMessagesStoredBeforeItOnly() throws Exception {
    Journal journal = open(config());
    store(journal, 1, 1);
    store(journal, 1, 2);
    store(journal, 2, 1);
    journal.purge(1);
    store(journal, 1, 3);
    journal = reopen(journal);
    assertEquals(List.of(3L), ids(journal.recovery(), 1));
    assertEquals(List.of(1L), ids(journal.recovery(), 2));
  }

  @Test
  void deletedQueueLosesEveryMessageAndOthersKeepTheirs() throws Exception {
    Journal journal = open(config());
    for (long m = 1; m <= 10; m++) {
      store(journal, 1, m);
      store(journal, 2, m);
    }
    journal.deleteQueue(1);
    journal = reopen(journal);
    assertFalse(journal.recovery().queues().containsKey(1L));
    assertEquals(10, ids(journal.recovery(), 2).size());
  }

  @Test
  void segmentsRollAtTheConfiguredSizeAndEveryMessageSurvives() throws Exception {
    Journal journal = open(config());
    for (long m = 1; m <= 200; m++) {
      store(journal, 1, m);
    }
    assertTrue(segmentFiles() >= 4, "segments: " + segmentFiles());
    journal = reopen(journal);
    assertEquals(200, ids(journal.recovery(), 1).size());
    for (RecoveredMessage m : RecoveredMessage.of(journal.recovery(), 1L)) {
      assertReadable(journal, m.location());
    }
  }

  @Test
  void aSegmentOfTinyRecordsIsSealedAtTheRecordLimitAndEveryMessageSurvives() throws Exception {
    Journal journal = open(config().withSegmentSize(64L << 20));
    int total = SegmentLog.MAX_RECORDS + 5;
    CompletableFuture<Void> last = null;
    for (long m = 1; m <= total; m++) {
      last = enqueue(journal, 1, m);
    }
    await(last);
    assertEquals(2, segmentFiles(), "sealed at the record limit, far below the size limit");
    journal.close();
    journal = open(config().withSegmentSize(64L << 20));
    assertEquals(total, ids(journal.recovery(), 1).size());
    assertReadable(journal, RecoveredMessage.of(journal.recovery(), 1L).get(total - 1).location());
  }

  @Test
  void segmentsWithNothingLiveAreDeleted() throws Exception {
    Journal journal = open(config());
    for (long m = 1; m <= 200; m++) {
      store(journal, 1, m);
    }
    long before = segmentFiles();
    for (long m = 1; m <= 200; m++) {
      journal.ack(1, m);
    }
    settle(journal);
    assertTrue(before >= 4);
    assertTrue(segmentFiles() <= 2, "segments left: " + segmentFiles());
    journal = reopen(journal);
    assertTrue(journal.recovery().queues().isEmpty());
  }

  @Test
  void anAckStaysDoneWhileTheSegmentOfItsMessageIsStillOnDisk() throws Exception {
    Journal journal = open(config());
    long first = store(journal, 1, 1).segment();
    long m = 1;
    while (store(journal, 1, ++m).segment() == first) {
      // fill the first segment with queue 1; message m opens the second one
    }
    long last = m;
    for (long i = 1; i <= 10; i++) {
      store(journal, 2, i);
    }
    for (long i = 1; i <= 5; i++) {
      journal.ack(1, i);
    }
    journal.ack(1, last);
    for (long i = 1; i <= 10; i++) {
      journal.ack(2, i);
    }
    for (long i = 1; i <= 80; i++) {
      store(journal, 3, i);
    }
    for (long i = 1; i <= 80; i++) {
      journal.ack(3, i);
    }
    for (long i = 1; i <= 80; i++) {
      store(journal, 4, i);
    }
    settle(journal);
    journal = reopen(journal);
    List<Long> expected = new ArrayList<>();
    for (long i = 6; i < last; i++) {
      expected.add(i);
    }
    assertEquals(expected, ids(journal.recovery(), 1));
    assertFalse(journal.recovery().queues().containsKey(2L));
  }

  @Test
  void compactionKeepsEveryLiveMessageReadableAndRecoveryUnchanged() throws Exception {
    Journal journal = open(config());
    Map<Long, Location> kept = new HashMap<>();
    for (long m = 1; m <= 400; m++) {
      Location l = store(journal, m % 4, m);
      if (m % 4 == 0) {
        kept.put(m, l);
      }
    }
    for (long m = 1; m <= 400; m++) {
      if (m % 4 != 0) {
        journal.ack(m % 4, m);
      } else if (m % 8 == 0) {
        journal.delivered(0, m);
      }
    }
    long before = segmentFiles();
    settle(journal);
    assertTrue(segmentFiles() < before / 2, before + " segments before, " + segmentFiles());
    List<String> files = files().list();
    long moved =
        kept.values().stream()
            .filter(l -> !files.contains(SegmentFormat.segmentName(l.segment())))
            .count();
    assertTrue(moved > 0, "compaction moved nothing: every kept message's segment is still there");
    for (Location l : kept.values()) {
      assertReadable(journal, l);
    }
    journal = reopen(journal);
    List<RecoveredMessage> recovered = RecoveredMessage.of(journal.recovery(), 0L);
    assertEquals(100, recovered.size());
    for (RecoveredMessage m : recovered) {
      assertEquals(m.location().messageId() % 8 == 0, m.redelivered());
      assertReadable(journal, m.location());
    }
    assertEquals(List.of(0L), List.copyOf(journal.recovery().queues().keySet()));
  }

  @Test
  void deletingOrPurgingAQueueFreesItsSegmentsWithoutRewritingOthers() throws Exception {
    Journal journal = open(config());
    java.util.Set<Long> sharedSegments = new java.util.HashSet<>();
    for (long m = 1; m <= 120; m++) {
      sharedSegments.add(store(journal, 1, m).segment());
    }
    List<Location> other = new ArrayList<>();
    for (long m = 1; m <= 120; m++) {
      other.add(store(journal, 2, m));
    }
    for (long m = 1; m <= 120; m++) {
      sharedSegments.add(store(journal, 3, m).segment());
    }
    long before = segmentFiles();
    journal.deleteQueue(1);
    journal.purge(3);
    settle(journal);
    assertTrue(segmentFiles() < before * 2 / 3, before + " segments before, " + segmentFiles());
    int untouched = 0;
    List<String> files = files().list();
    for (Location l : other) {
      if (!sharedSegments.contains(l.segment())) {
        assertTrue(
            files.contains(SegmentFormat.segmentName(l.segment())),
            "a message of another queue was moved: its segment is gone");
        untouched++;
      }
    }
    assertTrue(untouched > 60, "only " + untouched + " messages in segments of their own");
    journal = reopen(journal);
    assertEquals(List.of(2L), List.copyOf(journal.recovery().queues().keySet()));
    assertEquals(120, ids(journal.recovery(), 2).size());
  }

  @Test
  void groupCommitForcesFarLessOftenThanItAppends() throws Exception {
    CountingFileLayer counting = new CountingFileLayer(files());
    Journal journal = open(config().withSegmentSize(1 << 20), counting);
    int threads = 8;
    int perThread = 200;
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> producers = new ArrayList<>();
    List<CompletableFuture<Void>> futures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int t = 0; t < threads; t++) {
      long queue = t;
      Thread producer =
          new Thread(
              () -> {
                try {
                  start.await();
                  for (long m = 1; m <= perThread; m++) {
                    futures.add(enqueue(journal, queue, m));
                  }
                } catch (Throwable e) {
                  failure.set(e);
                }
              });
      producer.start();
      producers.add(producer);
    }
    long forcesBefore = counting.forces.get();
    start.countDown();
    for (Thread p : producers) {
      p.join(30_000);
    }
    assertEquals(null, failure.get());
    for (CompletableFuture<Void> f : futures) {
      await(f);
    }
    long forces = counting.forces.get() - forcesBefore;
    assertEquals(threads * perThread, futures.size());
    assertTrue(forces * 10 < futures.size(), forces + " forces for " + futures.size() + " appends");
  }

  @Test
  void everySyncModeCompletesEnqueuesAndRecoversAfterClose() throws Exception {
    for (SyncMode mode : SyncMode.values()) {
      Journal journal = open(config().withSync(mode, Duration.ofMillis(5)));
      long base = journal.recovery().highestMessageId();
      for (long m = base + 1; m <= base + 20; m++) {
        store(journal, 1, m);
      }
      journal.close();
      journal = open(config());
      assertEquals(20 * (mode.ordinal() + 1), ids(journal.recovery(), 1).size(), mode.name());
      journal.close();
    }
  }

  @Test
  void aRecordLargerThanASegmentTakesASegmentOfItsOwnAndSurvivesAReopen() throws Exception {
    Journal journal = open(config());
    store(journal, 1, 1);
    ByteBuf props = buffers.of("big props");
    ByteBuf body = Unpooled.wrappedBuffer(new byte[(int) SEGMENT * 3]);
    body.setByte(0, 42);
    CompletableFuture<Void> stored = journal.enqueue(1, 2, props, body);
    props.release();
    body.release();
    await(stored);
    store(journal, 1, 3);
    journal = reopen(journal);
    assertEquals(List.of(1L, 2L, 3L), ids(journal.recovery(), 1));
    StoredMessage big = journal.read(Location.of(1, 2));
    try {
      assertEquals(SEGMENT * 3, big.body().readableBytes());
      assertEquals(42, big.body().getByte(0));
    } finally {
      big.release();
    }
    assertReadable(journal, Location.of(1, 3));
  }

  @Test
  void aMessageIdThatDoesNotIncreaseIsRefused() throws Exception {
    Journal journal = open(config());
    store(journal, 1, 5);
    CompletableFuture<Void> again = enqueue(journal, 1, 5);
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> await(again));
    assertTrue(e.getCause() instanceof IllegalArgumentException, e.toString());
    store(journal, 1, 6);
  }

  @Test
  void operationsAfterCloseFailAndCloseIsIdempotent() throws Exception {
    Journal journal = open(config());
    store(journal, 1, 1);
    journal.close();
    journal.close();
    CompletableFuture<Void> late = enqueue(journal, 1, 2);
    org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> await(late));
    CompletableFuture<Void> ack = journal.ack(1, 1);
    org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> await(ack));
  }
}
