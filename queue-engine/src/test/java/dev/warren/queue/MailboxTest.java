package dev.warren.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** The mailbox on one thread, with an executor the test drives by hand. */
class MailboxTest {
  /** Holds what the mailbox submits until the test runs it. */
  private static final class ManualExecutor implements Executor {
    final ArrayDeque<Runnable> submitted = new ArrayDeque<>();

    @Override
    public void execute(Runnable command) {
      submitted.add(command);
    }

    void runNext() {
      submitted.remove().run();
    }
  }

  private final ManualExecutor executor = new ManualExecutor();
  private final List<String> log = new ArrayList<>();
  private boolean onOwnerThread;
  private final Mailbox mailbox =
      new Mailbox(executor, () -> onOwnerThread, () -> log.add("afterBatch"));

  @Test
  void ownerThreadRunsATaskAtOnceWhenTheMailboxIsIdle() {
    onOwnerThread = true;

    mailbox.execute(() -> log.add("task"));

    assertEquals(List.of("task", "afterBatch"), log);
    assertTrue(executor.submitted.isEmpty(), "no hop through the executor");
  }

  @Test
  void anotherThreadsTaskWaitsForTheExecutor() {
    mailbox.execute(() -> log.add("t1"));
    mailbox.execute(() -> log.add("t2"));

    assertEquals(List.of(), log);
    assertEquals(1, executor.submitted.size(), "one drain for both");
    executor.runNext();
    assertEquals(List.of("t1", "t2", "afterBatch"), log);
    assertTrue(executor.submitted.isEmpty());
  }

  @Test
  void ownerThreadQueuesBehindTasksAlreadyWaiting() {
    mailbox.execute(() -> log.add("t1"));
    onOwnerThread = true;

    mailbox.execute(() -> log.add("t2"));

    assertEquals(List.of(), log, "t2 may not overtake t1");
    executor.runNext();
    assertEquals(List.of("t1", "t2", "afterBatch"), log);
  }

  @Test
  void aTaskOfferedByARunningTaskRunsAfterItNotInsideIt() {
    onOwnerThread = true;

    mailbox.execute(
        () -> {
          log.add("outer start");
          mailbox.execute(() -> log.add("inner"));
          log.add("outer end");
        });

    assertEquals(List.of("outer start", "outer end", "afterBatch"), log);
    executor.runNext();
    assertEquals(List.of("outer start", "outer end", "afterBatch", "inner", "afterBatch"), log);
  }

  @Test
  void aLongBacklogRunsInBatchesAndYieldsTheThreadBetweenThem() {
    int total = 5000;
    List<Integer> ran = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      int n = i;
      mailbox.execute(() -> ran.add(n));
    }
    assertTrue(mailbox.hasBacklog(total - 1));
    assertFalse(mailbox.hasBacklog(total));

    executor.runNext();
    assertTrue(ran.size() > 0 && ran.size() < total, "one drain ran " + ran.size());
    assertEquals(List.of("afterBatch"), log);
    assertEquals(1, executor.submitted.size(), "the rest is left for another turn");

    int drains = 1;
    while (!executor.submitted.isEmpty()) {
      executor.runNext();
      drains++;
    }
    assertEquals(total, ran.size());
    for (int i = 0; i < total; i++) {
      assertEquals(i, ran.get(i));
    }
    assertEquals(drains, log.size(), "afterBatch once per batch");
    assertFalse(mailbox.hasBacklog(0));
  }

  @Test
  void aTaskThatThrowsDoesNotStopTheTasksBehindIt() {
    mailbox.execute(
        () -> {
          throw new IllegalStateException("boom");
        });
    mailbox.execute(() -> log.add("next"));

    assertThrows(IllegalStateException.class, executor::runNext);
    while (!executor.submitted.isEmpty()) {
      executor.runNext();
    }

    assertTrue(log.contains("next"));
    onOwnerThread = true;
    mailbox.execute(() -> log.add("inline"));
    assertEquals("inline", log.get(log.size() - 2), "the mailbox is idle again");
  }

  @Test
  void anInlineTaskThatThrowsLeavesTheMailboxUsable() {
    onOwnerThread = true;

    assertThrows(
        IllegalStateException.class,
        () ->
            mailbox.execute(
                () -> {
                  throw new IllegalStateException("boom");
                }));
    mailbox.execute(() -> log.add("after"));

    assertEquals(List.of("after", "afterBatch"), log);
    assertTrue(executor.submitted.isEmpty());
  }
}
