package dev.warren.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** An exchange's publish_in / publish_out counts, kept from any thread. */
class ExchangeStatsTest {

  private static Exchange exchange() {
    return new Exchange("x", ExchangeType.FANOUT, false, false, false, Map.of());
  }

  @Test
  void unroutablePublishesCountInButNotOut() {
    Exchange x = exchange();
    x.published(0);
    x.published(3);
    x.published(0);
    assertEquals(new ExchangeStats(3, 3), x.stats());
  }

  @Test
  void publishesCountedFromManyThreadsAtOnceAreAllCounted() throws Exception {
    Exchange x = exchange();
    int threads = 4;
    int each = 50_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> publishers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread publisher =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int i = 0; i < each; i++) {
                  x.published(2);
                }
              });
      publisher.start();
      publishers.add(publisher);
    }
    start.countDown();
    for (Thread publisher : publishers) {
      publisher.join();
    }
    assertEquals(new ExchangeStats(threads * each, 2L * threads * each), x.stats());
  }
}
