package dev.warren.routing;

import static dev.warren.routing.Routes.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Routes from several threads while another thread changes bindings. The writer moves a binding
 * from queue {@code q<i-1>} to {@code q<i>} make-before-break (bind the new one, then unbind the
 * old one, in the same key / trie node / array), so at every instant one or two of them are bound,
 * and meanwhile adds and removes bindings that do not match (for topic: nodes created and pruned
 * below and beside the path being routed). A route that saw a change half applied, or lost a
 * binding while a neighbour changed, would report no {@code q}, more than two, two that are not
 * consecutive, miss the binding that never changes, or report a queue that does not match.
 */
class ConcurrentRoutingTest {

  private static final int MOVES = 20_000;
  private static final int READERS = 2;
  private static final String KEY = "a.b.c";
  private static final Map<String, Object> HEADERS = table("h", 1);

  /** The binding key and arguments that match {@link #KEY} and {@link #HEADERS} for each type. */
  private static Binding matching(ExchangeType type, String queue) {
    return switch (type) {
      case DIRECT -> new Binding("x", Destination.queue(queue), KEY);
      case FANOUT -> new Binding("x", Destination.queue(queue), "");
      case TOPIC -> new Binding("x", Destination.queue(queue), "a.*.c");
      case HEADERS -> new Binding("x", Destination.queue(queue), "", table("h", 1));
      case X_CONSISTENT_HASH ->
          throw new IllegalArgumentException("see ConsistentHashConcurrencyTest");
    };
  }

  /** Bindings that match nothing routed here (except on fanout, where everything matches). */
  private static List<Binding> noise(ExchangeType type, int i) {
    String queue = "noise" + i;
    return switch (type) {
      case DIRECT ->
          List.of(
              new Binding("x", Destination.queue(queue), "other" + i),
              new Binding("x", Destination.queue(queue), KEY + "." + i));
      case FANOUT -> List.of(new Binding("x", Destination.queue(queue), ""));
      case TOPIC ->
          List.of(
              new Binding("x", Destination.queue(queue), "a.*.c.n" + i),
              new Binding("x", Destination.queue(queue), "a.*"),
              new Binding("x", Destination.queue(queue), "a.b.c.d.e"),
              new Binding("x", Destination.queue(queue), "#.x" + i));
      case HEADERS ->
          List.of(
              new Binding("x", Destination.queue(queue), "", table("h", 2)),
              new Binding("x", Destination.queue(queue), "", table("x-match", "any", "g", i)));
      case X_CONSISTENT_HASH ->
          throw new IllegalArgumentException("see ConsistentHashConcurrencyTest");
    };
  }

  /** Consistent hash routes to one destination, not to every match: its own test checks it. */
  @ParameterizedTest
  @EnumSource(
      value = ExchangeType.class,
      mode = EnumSource.Mode.EXCLUDE,
      names = {"X_CONSISTENT_HASH"})
  void routesNeverSeeAHalfAppliedBindingChange(ExchangeType type) throws Exception {
    ExchangeRegistry registry = new ExchangeRegistry();
    Exchange x = registry.declare(new Exchange("x", type, false, false, false, null));
    x.bind(matching(type, "fixed"));
    x.bind(matching(type, "q0"));

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
                while (!writerDone.get() && failures.isEmpty()) {
                  routed.clear();
                  registry.route("x", KEY, () -> HEADERS, routed);
                  Set<String> queues = Routes.names(routed);
                  routes.incrementAndGet();
                  String problem = check(type, queues);
                  if (problem != null) {
                    failures.add(problem + " in " + queues);
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
                for (int i = 1; i <= MOVES && failures.isEmpty(); i++) {
                  x.bind(matching(type, "q" + i));
                  noise(type, i).forEach(x::bind);
                  x.unbind(matching(type, "q" + (i - 1)));
                  noise(type, i).forEach(x::unbind);
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
    Set<Destination> last = new HashSet<>();
    registry.route("x", KEY, () -> HEADERS, last);
    assertEquals(Set.of("fixed", "q" + MOVES), Routes.names(last));
    assertEquals(2, x.bindings().size());
  }

  /** What is wrong with one route's result, or null. */
  private static String check(ExchangeType type, Set<String> queues) {
    if (!queues.contains("fixed")) {
      return "lost the binding that never changes";
    }
    List<Integer> moving = new ArrayList<>();
    for (String q : queues) {
      if (q.startsWith("q")) {
        moving.add(Integer.parseInt(q.substring(1)));
      } else if (!q.equals("fixed") && !(type == ExchangeType.FANOUT && q.startsWith("noise"))) {
        return "routed to a queue whose binding does not match";
      }
    }
    if (moving.isEmpty()) {
      return "saw no moving binding";
    }
    if (moving.size() > 2) {
      return "saw more than two moving bindings";
    }
    if (moving.size() == 2 && Math.abs(moving.get(0) - moving.get(1)) != 1) {
      return "saw two moving bindings that were never bound together";
    }
    return null;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
