package dev.warren.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The journal contract over the in-memory, fault-injecting file layer (no fault injected). */
class FaultyJournalTest extends JournalContractTest {

  private FaultyFileLayer files = new FaultyFileLayer();

  @Override
  FileLayer files() {
    return files;
  }

  @Test
  void afterACrashEveryRecoveredMessageOfAQueueComesBackRedelivered() throws Exception {
    Journal journal = open(config());
    for (long m = 1; m <= 3; m++) {
      store(journal, 1, m);
    }
    journal.delivered(1, 2);
    await(journal.sync());
    FaultyFileLayer crashed = files.crash(false);
    journal.close();
    files = crashed;

    journal = open(config());
    assertFalse(journal.recovery().cleanShutdown());
    assertEquals(
        List.of(false, true, false),
        journal.recovery().queues().get(1L).stream().map(RecoveredMessage::redelivered).toList(),
        "the journal reports the marks it has");
    assertEquals(
        List.of(true, true, true),
        journal.forQueue(1).recovered().stream().map(RecoveredMessage::redelivered).toList(),
        "a queue gets every message flagged: a delivery may have left before its mark");

    journal = reopen(journal);
    assertTrue(journal.recovery().cleanShutdown());
    assertEquals(
        List.of(false, true, false),
        journal.forQueue(1).recovered().stream().map(RecoveredMessage::redelivered).toList(),
        "after a clean close the marks are exact");
  }
}
