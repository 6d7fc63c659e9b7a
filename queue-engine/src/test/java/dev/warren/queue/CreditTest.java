package dev.warren.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The prefetch window of basic.qos. */
class CreditTest {

  @Test
  void zeroMeansUnlimited() {
    Credit credit = new Credit(0);

    for (int i = 0; i < 100_000; i++) {
      assertTrue(credit.tryAcquire());
    }
    assertTrue(credit.hasRoom());
    assertFalse(credit.release(100_000), "an unlimited window is never full");
  }

  @Test
  void acquiresUpToTheLimit() {
    Credit credit = new Credit(3);

    assertTrue(credit.tryAcquire());
    assertTrue(credit.tryAcquire());
    assertTrue(credit.hasRoom());
    assertTrue(credit.tryAcquire());

    assertFalse(credit.hasRoom());
    assertFalse(credit.tryAcquire());
    assertFalse(credit.tryAcquire(), "a refusal takes nothing");
    credit.release(1);
    assertTrue(credit.tryAcquire());
  }

  @Test
  void releaseAsksForResumeExactlyWhenTheWindowHadBeenFull() {
    Credit credit = new Credit(2);
    credit.tryAcquire();
    assertFalse(credit.release(1), "1 of 2 out: was not full");

    credit.tryAcquire();
    credit.tryAcquire();
    assertTrue(credit.release(1), "2 of 2 out: was full");
    assertFalse(credit.release(1), "1 of 2 out: was not full");

    credit.tryAcquire();
    credit.tryAcquire();
    assertTrue(credit.release(2), "a multiple ack from a full window");
    assertTrue(credit.hasRoom());
  }

  @Test
  void growingTheWindowAsksForResumeAndLetsMoreOut() {
    Credit credit = new Credit(2);
    credit.tryAcquire();
    credit.tryAcquire();

    assertTrue(credit.resize(4));

    assertTrue(credit.tryAcquire());
    assertTrue(credit.tryAcquire());
    assertFalse(credit.tryAcquire(), "outstanding deliveries count against the new limit");
  }

  @Test
  void shrinkingTheWindowKeepsOutstandingDeliveriesAndRefusesUntilBelowTheNewLimit() {
    Credit credit = new Credit(4);
    for (int i = 0; i < 4; i++) {
      credit.tryAcquire();
    }

    assertFalse(credit.resize(2));
    assertFalse(credit.resize(2), "the same limit again is no growth");

    assertFalse(credit.tryAcquire());
    assertTrue(credit.release(1), "4 out of 2: was full");
    assertFalse(credit.hasRoom(), "3 out of 2");
    assertTrue(credit.release(1), "3 out of 2: was full");
    assertFalse(credit.hasRoom(), "2 out of 2");
    assertTrue(credit.release(1), "2 out of 2: was full");
    assertTrue(credit.hasRoom(), "1 out of 2");
    assertTrue(credit.tryAcquire());
    assertFalse(credit.tryAcquire());
  }

  @Test
  void removingTheLimitAsksForResume() {
    Credit credit = new Credit(1);
    credit.tryAcquire();

    assertTrue(credit.resize(0));

    assertTrue(credit.hasRoom());
    assertTrue(credit.tryAcquire());
    assertFalse(credit.release(2));
  }

  @Test
  void settingALimitOnAnUnlimitedWindowIsNoGrowth() {
    Credit credit = new Credit(0);
    for (int i = 0; i < 5; i++) {
      credit.tryAcquire();
    }

    assertFalse(credit.resize(3));
    assertFalse(credit.tryAcquire());
  }

  @Test
  void concurrentAcquirersNeverExceedTheLimit() throws Exception {
    int limit = 10_000;
    Credit credit = new Credit(limit);
    int threads = 2;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(threads);
    try {
      List<Future<Integer>> acquired = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        acquired.add(
            pool.submit(
                () -> {
                  start.countDown();
                  start.await();
                  int n = 0;
                  for (int i = 0; i < limit; i++) {
                    if (credit.tryAcquire()) {
                      n++;
                    }
                  }
                  return n;
                }));
      }
      int total = 0;
      for (Future<Integer> f : acquired) {
        total += f.get(30, TimeUnit.SECONDS);
      }
      assertEquals(limit, total);
      assertFalse(credit.hasRoom());
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }
  }
}
