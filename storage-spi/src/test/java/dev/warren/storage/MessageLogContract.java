package dev.warren.storage;

import static dev.warren.storage.Payloads.append;
import static dev.warren.storage.Payloads.appendAsync;
import static dev.warren.storage.Payloads.assertMessage;
import static dev.warren.storage.Payloads.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessageLog} promises a queue, whatever backs it (the node journal, a replicated
 * log). An implementation's test extends this class and says how to start its backend.
 */
public abstract class MessageLogContract {
  private StorageBackend backend;

  /** Starts the backend under test on fresh, empty storage. */
  protected abstract StorageBackend start() throws Exception;

  @BeforeEach
  void startBackend() throws Exception {
    backend = start();
  }

  @AfterEach
  void closeBackend() throws Exception {
    backend.close();
  }

  /** The log of {@code queue}, once it leads it. */
  private MessageLog led(long queue) throws Exception {
    MessageLog log = backend.log(queue);
    CountDownLatch leading = new CountDownLatch(1);
    log.subscribe(
        new Leadership() {
          @Override
          public void becameLeader() {
            leading.countDown();
          }

          @Override
          public void steppedDown() {}

          @Override
          public void lost(Throwable cause) {}
        });
    assertTrue(
        leading.await(Payloads.WAIT.toMillis(), TimeUnit.MILLISECONDS),
        "the node leads the log of queue " + queue);
    return log;
  }

  @Test
  void aLogIsLedOnceSubscribedAndANewOneHoldsNothing() throws Exception {
    RecoveredLog empty = await(led(1).recover());
    assertTrue(empty.messages().isEmpty());
  }

  @Test
  void appendedMessagesReadBackByIdInTheOrderAskedWithTheirBytes() throws Exception {
    MessageLog log = led(1);
    for (long id = 1; id <= 3; id++) {
      append(log, 1, id);
    }
    List<StoredMessage> read = await(log.read(new long[] {3, 1, 2}));
    assertEquals(3, read.size());
    assertMessage(1, 3, read.get(0));
    assertMessage(1, 1, read.get(1));
    assertMessage(1, 2, read.get(2));
  }

  @Test
  void aReadSeesAppendsIssuedBeforeItEvenBeforeTheyAreSafe() throws Exception {
    MessageLog log = led(1);
    CompletableFuture<Void> appended = appendAsync(log, 1, 1);
    List<StoredMessage> read = await(log.read(new long[] {1}));
    assertMessage(1, 1, read.get(0));
    await(appended);
  }

  @Test
  void anAckedOrUnknownMessageReadsAsNull() throws Exception {
    MessageLog log = led(1);
    append(log, 1, 1);
    append(log, 1, 2);
    await(log.ack(1));
    List<StoredMessage> read = await(log.read(new long[] {1, 2, 7}));
    assertNull(read.get(0), "acked");
    assertMessage(1, 2, read.get(1));
    assertNull(read.get(2), "never appended");
  }

  @Test
  void anAppendWhoseIdDoesNotIncreaseFailsWithoutThrowing() throws Exception {
    MessageLog log = led(1);
    append(log, 1, 5);
    CompletableFuture<Void> same = appendAsync(log, 1, 5);
    CompletableFuture<Void> lower = appendAsync(log, 1, 4);
    assertThrows(ExecutionException.class, () -> same.get(10, TimeUnit.SECONDS));
    assertThrows(ExecutionException.class, () -> lower.get(10, TimeUnit.SECONDS));
    append(log, 1, 6);
  }

  @Test
  void theLogKeepsReferencesOfItsOwnAndReleasesThemOnceWritten() throws Exception {
    MessageLog log = led(1);
    ByteBuf metadata = Payloads.metadata(1, 1);
    ByteBuf body = Payloads.body(1, 1);
    CompletableFuture<Void> appended = log.append(1, metadata, body);
    await(appended);
    await(log.read(new long[] {1})).forEach(StoredMessage::release);
    assertEquals(1, metadata.refCnt(), "the caller's reference to the metadata is its own");
    assertEquals(1, body.refCnt(), "the caller's reference to the body is its own");
    metadata.release();
    body.release();
  }

  @Test
  void afterARestartTheLiveMessagesComeBackInOrderWithTheirDeliveredMarks() throws Exception {
    MessageLog log = led(1);
    for (long id = 1; id <= 5; id++) {
      append(log, 1, id);
    }
    await(log.ack(2));
    await(log.delivered(4));
    backend.restart();

    log = led(1);
    RecoveredLog recovered = await(log.recover());
    assertEquals(List.of(1L, 3L, 4L, 5L), ids(recovered.messages()));
    assertEquals(List.of(false, false, true, false), flags(recovered.messages()));
    assertTrue(recovered.nextId() > 5, "ids are never reused");
    List<StoredMessage> read = await(log.read(new long[] {1, 3, 4, 5}));
    assertMessage(1, 1, read.get(0));
    assertMessage(1, 3, read.get(1));
    assertMessage(1, 4, read.get(2));
    assertMessage(1, 5, read.get(3));
  }

  @Test
  void nextIdStaysAboveEveryIdEverAppendedEvenWhenAllWereAcked() throws Exception {
    MessageLog log = led(1);
    append(log, 1, 41);
    await(log.ack(41));
    backend.restart();
    RecoveredLog recovered = await(led(1).recover());
    assertTrue(recovered.messages().isEmpty());
    assertTrue(recovered.nextId() > 41, "next id " + recovered.nextId() + " is above 41");
  }

  @Test
  void aPurgeRemovesWhatWasAppendedBeforeItOnly() throws Exception {
    MessageLog log = led(1);
    append(log, 1, 1);
    append(log, 1, 2);
    await(log.purge());
    append(log, 1, 3);
    assertNull(await(log.read(new long[] {1})).get(0));
    backend.restart();
    assertEquals(List.of(3L), ids(await(led(1).recover()).messages()));
  }

  @Test
  void aDeleteRemovesEveryMessageOfTheQueueAndOthersKeepTheirs() throws Exception {
    MessageLog one = led(1);
    MessageLog two = led(2);
    append(one, 1, 1);
    append(two, 2, 2);
    append(one, 1, 3);
    await(one.delete());
    backend.restart();
    assertTrue(await(led(1).recover()).messages().isEmpty());
    MessageLog again = led(2);
    assertEquals(List.of(2L), ids(await(again.recover()).messages()));
    assertMessage(2, 2, await(again.read(new long[] {2})).get(0));
  }

  @Test
  void concurrentQueuesEachKeepTheirOwnOrder() throws Exception {
    int queues = 4;
    int perQueue = 300;
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    List<MessageLog> logs = new ArrayList<>();
    for (int q = 1; q <= queues; q++) {
      logs.add(led(q));
    }
    for (int q = 1; q <= queues; q++) {
      MessageLog log = logs.get(q - 1);
      long queue = q;
      threads.add(
          new Thread(
              () -> {
                List<CompletableFuture<Void>> appended = new ArrayList<>();
                for (long id = 1; id <= perQueue; id++) {
                  appended.add(appendAsync(log, queue, id));
                  if (id % 3 == 0) {
                    log.ack(id - 1);
                  }
                }
                try {
                  CompletableFuture.allOf(appended.toArray(CompletableFuture[]::new))
                      .get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(List.of(), failures);
    backend.restart();
    for (int q = 1; q <= queues; q++) {
      List<Long> expected = new ArrayList<>();
      for (long id = 1; id <= perQueue; id++) {
        if (id % 3 != 2) {
          expected.add(id);
        }
      }
      assertEquals(expected, ids(await(led(q).recover()).messages()), "queue " + q);
    }
  }

  @Test
  void everyAppendThatCompletedSurvivesACrashAndComesBackRedelivered() throws Exception {
    MessageLog log = led(1);
    Set<Long> safe = new TreeSet<>();
    for (long id = 1; id <= 200; id++) {
      append(log, 1, id);
      safe.add(id);
    }
    List<CompletableFuture<Void>> unknown = new ArrayList<>();
    for (long id = 201; id <= 260; id++) {
      unknown.add(appendAsync(log, 1, id)); // may or may not be safe when the node dies
    }
    backend.crash();

    RecoveredLog recovered = await(led(1).recover());
    List<Long> found = ids(recovered.messages());
    assertTrue(found.containsAll(safe), "every appended message that completed is back");
    assertTrue(
        found.stream().allMatch(id -> id >= 1 && id <= 260), "nothing never appended: " + found);
    assertTrue(
        flags(recovered.messages()).stream().allMatch(f -> f),
        "after a crash every message may have been delivered: all are flagged");
    assertTrue(recovered.nextId() > found.get(found.size() - 1));
  }

  @Test
  void everyRequestToAStoppedLogFailsItsFutureAndNothingThrows() throws Exception {
    MessageLog log = led(1);
    append(log, 1, 1);
    backend.close();
    ByteBuf metadata = Payloads.metadata(1, 2);
    ByteBuf body = Payloads.body(1, 2);
    List<Supplier<CompletableFuture<?>>> requests =
        List.of(
            () -> log.append(2, metadata, body),
            () -> log.ack(1),
            () -> log.delivered(1),
            () -> log.purge(),
            () -> log.delete(),
            () -> log.read(new long[] {1}));
    for (Supplier<CompletableFuture<?>> request : requests) {
      CompletableFuture<?> future = request.get();
      assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    }
    assertEquals(1, metadata.refCnt(), "a refused append leaves the caller's buffers alone");
    assertEquals(1, body.refCnt());
    metadata.release();
    body.release();
  }

  static List<Long> ids(MessageRuns runs) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      ids.add(runs.id(i));
    }
    return ids;
  }

  static List<Boolean> flags(MessageRuns runs) {
    List<Boolean> flags = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      flags.add(runs.redelivered(i));
    }
    return flags;
  }
}
