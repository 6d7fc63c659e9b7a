package dev.warren.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.storage.MessageRuns;
import java.util.ArrayList;
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
        RecoveredMessage.of(journal.recovery(), 1L).stream()
            .map(RecoveredMessage::redelivered)
            .toList(),
        "the journal reports the marks it has");
    assertEquals(
        List.of(true, true, true),
        redeliveredFlags(await(journal.log(1).recover()).messages()),
        "a queue gets every message flagged: a delivery may have left before its mark");

    journal = reopen(journal);
    assertTrue(journal.recovery().cleanShutdown());
    assertEquals(
        List.of(false, true, false),
        redeliveredFlags(await(journal.log(1).recover()).messages()),
        "after a clean close the marks are exact");
  }

  private static List<Boolean> redeliveredFlags(MessageRuns runs) {
    List<Boolean> flags = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      flags.add(runs.redelivered(i));
    }
    return flags;
  }
}
