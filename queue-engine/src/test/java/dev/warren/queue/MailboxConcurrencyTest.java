package dev.warren.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several threads offer numbered tasks to one mailbox at once. Each task counts its runs, checks
 * that it follows the previous task of its producer, and detects another task (or afterBatch)
 * running at the same time through an "inside" counter. On a single-thread executor, one producer
 * is the executor's own thread, which takes the inline path whenever the mailbox is idle, and each
 * of its tasks offers a task of a "nested" producer from inside the mailbox, which must wait for
 * the running batch instead of running inline inside it.
 */
class MailboxConcurrencyTest {
  private static final int PER_PRODUCER = 20_000;
  private static final int REMOTE = 3;
  private static final int OWNER = REMOTE;
  private static final int NESTED = REMOTE + 1;
  private static final int CHUNK = 50;
  private static final long DEADLINE_SECONDS = 60;

  private final AtomicInteger inside = new AtomicInteger();
  private final AtomicInteger overlaps = new AtomicInteger();
  private final AtomicInteger outOfOrder = new AtomicInteger();
  private final AtomicInteger ranInline = new AtomicInteger();
  private final AtomicInteger batches = new AtomicInteger();
  private final ThreadLocal<Boolean> offeringFromOwnerJob = ThreadLocal.withInitial(() -> false);
  private final List<ExecutorService> pools = new ArrayList<>();

  private int producers;
  private boolean nesting;
  private AtomicIntegerArray last;
  private AtomicIntegerArray runs;
  private CountDownLatch allRan;
  private Mailbox mailbox;

  @AfterEach
  void stopThreads() throws InterruptedException {
    for (ExecutorService pool : pools) {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(DEADLINE_SECONDS, TimeUnit.SECONDS));
    }
  }

  @Test
  void tasksFromManyThreadsRunOnceEachInOrderAndOneAtATime() throws Exception {
    AtomicReference<Thread> executorThread = new AtomicReference<>();
    ExecutorService executor =
        pool(
            Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, "mailbox-owner");
                  executorThread.set(t);
                  return t;
                }));
    start(REMOTE + 2, executor, () -> Thread.currentThread() == executorThread.get());
    nesting = true;

    executor.submit(() -> offerFromOwner(0)).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    assertTrue(ranInline.get() > 0, "an idle mailbox runs the owner's task inline");
    ExecutorService producerThreads = pool(Executors.newFixedThreadPool(REMOTE + 1));
    List<Future<?>> offering = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(REMOTE + 1);
    for (int p = 0; p < REMOTE; p++) {
      int producer = p;
      offering.add(producerThreads.submit(() -> offerFrom(producer, 0, go)));
    }
    offering.add(
        producerThreads.submit(
            () -> {
              go.countDown();
              awaitQuietly(go);
              for (int from = CHUNK; from < PER_PRODUCER; from += CHUNK) {
                int chunk = from;
                executor.execute(() -> offerFromOwner(chunk));
              }
            }));

    finish(offering);
  }

  @Test
  void drainsNeverOverlapOnAPoolOfThreads() throws Exception {
    ExecutorService executor = pool(Executors.newFixedThreadPool(2));
    start(REMOTE + 1, executor, () -> false);
    ExecutorService producerThreads = pool(Executors.newFixedThreadPool(REMOTE + 1));
    List<Future<?>> offering = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(REMOTE + 1);
    for (int p = 0; p < REMOTE + 1; p++) {
      int producer = p;
      offering.add(producerThreads.submit(() -> offerFrom(producer, 0, go)));
    }

    finish(offering);
    assertEquals(0, ranInline.get());
  }

  private ExecutorService pool(ExecutorService pool) {
    pools.add(pool);
    return pool;
  }

  private void start(int producers, ExecutorService executor, Mailbox.OwnerThread owner) {
    this.producers = producers;
    last = new AtomicIntegerArray(producers);
    for (int p = 0; p < producers; p++) {
      last.set(p, -1);
    }
    runs = new AtomicIntegerArray(producers * PER_PRODUCER);
    allRan = new CountDownLatch(producers * PER_PRODUCER);
    mailbox =
        new Mailbox(
            executor,
            owner,
            () -> {
              enter();
              batches.incrementAndGet();
              inside.decrementAndGet();
            });
  }

  private void finish(List<Future<?>> offering) throws Exception {
    for (Future<?> f : offering) {
      f.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }
    assertTrue(
        allRan.await(DEADLINE_SECONDS, TimeUnit.SECONDS), "tasks left: " + allRan.getCount());
    for (ExecutorService pool : pools) {
      pool.shutdown();
      assertTrue(pool.awaitTermination(DEADLINE_SECONDS, TimeUnit.SECONDS));
    }

    assertEquals(0, overlaps.get(), "two tasks ran at once");
    assertEquals(0, outOfOrder.get(), "a producer's tasks ran out of order");
    for (int i = 0; i < runs.length(); i++) {
      assertEquals(1, runs.get(i), "runs of task " + i % PER_PRODUCER + " of " + i / PER_PRODUCER);
    }
    for (int p = 0; p < producers; p++) {
      assertEquals(PER_PRODUCER - 1, last.get(p));
    }
    assertTrue(batches.get() > 0);
  }

  private void offerFrom(int producer, int from, CountDownLatch go) {
    go.countDown();
    awaitQuietly(go);
    for (int seq = from; seq < PER_PRODUCER; seq++) {
      mailbox.execute(task(producer, seq));
    }
  }

  /** Runs on the executor's thread, outside any batch, like a connection writing to its queue. */
  private void offerFromOwner(int from) {
    offeringFromOwnerJob.set(true);
    try {
      for (int seq = from; seq < from + CHUNK; seq++) {
        mailbox.execute(task(OWNER, seq));
      }
    } finally {
      offeringFromOwnerJob.set(false);
    }
  }

  private Runnable task(int producer, int seq) {
    return () -> {
      enter();
      if (offeringFromOwnerJob.get()) {
        ranInline.incrementAndGet();
      }
      if (last.getAndSet(producer, seq) != seq - 1) {
        outOfOrder.incrementAndGet();
      }
      runs.incrementAndGet(producer * PER_PRODUCER + seq);
      if (nesting && producer == OWNER) {
        mailbox.execute(task(NESTED, seq));
      }
      inside.decrementAndGet();
      allRan.countDown();
    };
  }

  private void enter() {
    if (inside.incrementAndGet() != 1) {
      overlaps.incrementAndGet();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      assertTrue(latch.await(DEADLINE_SECONDS, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
