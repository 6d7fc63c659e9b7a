package dev.warren.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Media errors and a process that dies in the middle of a compaction. */
class JournalCorruptionTest extends JournalTestSupport {

  private final FaultyFileLayer disk = new FaultyFileLayer();

  @Override
  FileLayer files() {
    return disk;
  }

  /** Two queues over several segments; returns the location of queue 1's first message. */
  private Location fill(Journal journal) throws Exception {
    Location first = store(journal, 1, 1);
    store(journal, 2, 1);
    for (long m = 2; m <= 80; m++) {
      store(journal, 1, m);
      store(journal, 2, m);
    }
    return first;
  }

  private void flipInBody(Location l) throws IOException {
    disk.flipBit(SegmentFormat.segmentName(l.segment()), l.offset() + 40, 3);
  }

  @Test
  void aFlippedBitInASealedSegmentFailsItsQueueLoudlyAndNamesFileAndOffset() throws Exception {
    Journal journal = open(config());
    Location damaged = fill(journal);
    journal.close();
    flipInBody(damaged);
    journal = open(config().withVerifyOnRecovery(true));
    JournalCorruptionException e = journal.recovery().failedQueues().get(1L);
    assertEquals(SegmentFormat.segmentName(damaged.segment()), e.file());
    assertEquals(damaged.offset(), e.offset());
    assertTrue(e.getMessage().contains(e.file()) && e.getMessage().contains("" + e.offset()));
    assertFalse(journal.recovery().queues().containsKey(1L));
    assertEquals(80, ids(journal.recovery(), 2).size());
  }

  @Test
  void aFlippedBitInASealedSegmentIsReportedOnReadWhenSummariesAreTrusted() throws Exception {
    Journal journal = open(config());
    Location damaged = fill(journal);
    journal.close();
    flipInBody(damaged);
    journal = open(config());
    RecoveredMessage first = RecoveredMessage.of(journal.recovery(), 1L).get(0);
    assertEquals(1, first.location().messageId());
    Journal reopened = journal;
    JournalCorruptionException e =
        assertThrows(JournalCorruptionException.class, () -> reopened.read(first.location()));
    assertEquals(SegmentFormat.segmentName(damaged.segment()), e.file());
    assertEquals(damaged.offset(), e.offset());
    assertEquals(80, ids(journal.recovery(), 1).size());
  }

  @Test
  void aFlippedBitInASealedSegmentWithoutSummaryStopsRecoveryNamingFileAndOffset()
      throws Exception {
    Journal journal = open(config());
    Location damaged = fill(journal);
    journal.close();
    flipInBody(damaged);
    disk.delete(SegmentFormat.summaryName(damaged.segment()));
    JournalCorruptionException e =
        assertThrows(JournalCorruptionException.class, () -> open(config()));
    assertEquals(SegmentFormat.segmentName(damaged.segment()), e.file());
    assertEquals(damaged.offset(), e.offset());
  }

  @Test
  void aFlippedBitInTheTailIsTruncatedAsATornWrite() throws Exception {
    Journal journal = open(config());
    fill(journal);
    Location last = store(journal, 3, 1);
    journal.close();
    long size = disk.size(SegmentFormat.segmentName(last.segment()));
    flipInBody(last);
    journal = open(config());
    assertFalse(journal.recovery().queues().containsKey(3L));
    assertEquals(size - last.offset(), journal.recovery().truncatedBytes());
    assertEquals(80, ids(journal.recovery(), 1).size());
    store(journal, 3, 2);
    journal = reopen(journal);
    assertEquals(List.of(2L), ids(journal.recovery(), 3));
  }

  @Test
  void aCompactionInterruptedBeforeDeletingTheOldSegmentIsFinishedAtOpen() throws Exception {
    DyingFileLayer dying = new DyingFileLayer(disk);
    Journal journal = open(config(), dying);
    for (long m = 1; m <= 400; m++) {
      store(journal, m % 4, m);
    }
    for (long m = 8; m <= 400; m += 8) {
      journal.delivered(0, m);
    }
    for (long m = 1; m <= 400; m++) {
      if (m % 4 != 0) {
        journal.ack(m % 4, m);
      }
    }
    // Every mark and ack is written and forced before the death is armed, so what recovery must
    // show does not depend on timing; compaction goes one segment per batch, so some is left.
    journal.sync().get(10, TimeUnit.SECONDS);
    dying.dieOnSegmentDelete = true;
    Journal failing = journal;
    assertThrows(Exception.class, () -> settle(failing));
    assertTrue(dying.died, "no compaction was attempted");
    journal.close();
    journal = open(config());
    List<RecoveredMessage> recovered = RecoveredMessage.of(journal.recovery(), 0L);
    Set<Long> seen = new HashSet<>();
    for (RecoveredMessage m : recovered) {
      assertTrue(seen.add(m.location().messageId()), "twice: " + m);
      assertEquals(m.location().messageId() % 8 == 0, m.redelivered());
      assertReadable(journal, m.location());
    }
    assertEquals(100, recovered.size());
    assertEquals(List.of(0L), new ArrayList<>(journal.recovery().queues().keySet()));
    for (long m = 4; m <= 400; m += 4) {
      journal.ack(0, m);
    }
    settle(journal);
    journal = reopen(journal);
    assertTrue(journal.recovery().queues().isEmpty(), "an older copy came back");
  }

  /** Fails the first deletion of a segment file once armed: the process dies there. */
  private static final class DyingFileLayer implements FileLayer {
    private final FileLayer inner;
    volatile boolean dieOnSegmentDelete;
    volatile boolean died;

    DyingFileLayer(FileLayer inner) {
      this.inner = inner;
    }

    @Override
    public List<String> list() throws IOException {
      return inner.list();
    }

    @Override
    public SegmentFile create(String name) throws IOException {
      if (died) {
        throw new IOException("dead");
      }
      return inner.create(name);
    }

    @Override
    public SegmentFile open(String name) throws IOException {
      return inner.open(name);
    }

    @Override
    public void delete(String name) throws IOException {
      if (died || (dieOnSegmentDelete && name.endsWith(SegmentFormat.SEGMENT_SUFFIX))) {
        died = true;
        throw new IOException("the process died before deleting " + name);
      }
      inner.delete(name);
    }
  }
}
