package dev.warren.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Routes from several threads while another thread binds and unbinds one destination over and over
 * (next to three that never change). The ring only ever holds two states, with and without it, so
 * every route must report exactly one destination, and for each key the one it reaches in one of
 * those two states; a route that saw a ring half rebuilt would report another, or none.
 */
class ConsistentHashConcurrencyTest {

  private static final int TOGGLES = 2_000;
  private static final int READERS = 2;
  private static final Binding MOVING = new Binding("c", Destination.queue("moving"), "2");

  @Test
  void routesNeverSeeAHalfRebuiltRing() throws Exception {
    ExchangeRegistry registry = new ExchangeRegistry();
    Exchange x =
        registry.declare(
            new Exchange("c", ExchangeType.X_CONSISTENT_HASH, false, false, false, null));
    for (String q : List.of("f1", "f2", "f3")) {
      x.bind(new Binding("c", Destination.queue(q), "1"));
    }
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      keys.add("key-" + i);
    }
    Map<String, Set<String>> allowed = new HashMap<>();
    keys.forEach(k -> allowed.put(k, new HashSet<>(routeOnce(registry, k))));
    x.bind(MOVING);
    keys.forEach(k -> allowed.get(k).addAll(routeOnce(registry, k)));
    x.unbind(MOVING);

    AtomicBoolean writerDone = new AtomicBoolean();
    AtomicLong routes = new AtomicLong();
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(READERS + 1);
    CountDownLatch finished = new CountDownLatch(READERS + 1);
    List<Thread> threads = new ArrayList<>();
    for (int r = 0; r < READERS; r++) {
      threads.add(
          new Thread(
              () -> {
                start.countDown();
                awaitQuietly(start);
                Set<Destination> routed = new HashSet<>();
                for (int i = 0; !writerDone.get() && failures.isEmpty(); i++) {
                  String key = keys.get(i % keys.size());
                  routed.clear();
                  registry.route("c", key, null, routed);
                  Set<String> queues = Routes.names(routed);
                  routes.incrementAndGet();
                  if (queues.size() != 1 || !allowed.get(key).containsAll(queues)) {
                    failures.add(key + " reached " + queues + ", allowed " + allowed.get(key));
                  }
                }
                finished.countDown();
              },
              "reader-" + r));
    }
    threads.add(
        new Thread(
            () -> {
              start.countDown();
              awaitQuietly(start);
              try {
                for (int i = 0; i < TOGGLES && failures.isEmpty(); i++) {
                  x.bind(MOVING);
                  x.unbind(MOVING);
                }
              } catch (RuntimeException e) {
                failures.add("writer failed: " + e);
              } finally {
                writerDone.set(true);
                finished.countDown();
              }
            },
            "writer"));
    threads.forEach(Thread::start);

    assertTrue(finished.await(60, TimeUnit.SECONDS), "threads did not finish in time");
    assertEquals(List.of(), List.copyOf(failures));
    assertTrue(routes.get() > 0, "no route ran while bindings changed");
    assertEquals(3, x.bindings().size());
  }

  private static Set<String> routeOnce(ExchangeRegistry registry, String key) {
    Set<Destination> routed = new HashSet<>();
    registry.route("c", key, null, routed);
    return Routes.names(routed);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
