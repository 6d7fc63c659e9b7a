package dev.warren.queue;

import static dev.warren.queue.QueueFixture.counts;
import static dev.warren.queue.QueueFixture.done;
import static dev.warren.queue.Settings.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** x-single-active-consumer: one consumer receives; the others wait their turn. */
class SingleActiveConsumerTest {
  private final QueueFixture fx = new QueueFixture();
  private final MessageQueue queue = fx.queue("q", settings().singleActiveConsumer().build());

  @AfterEach
  void everyBufferIsReleased() {
    done(queue.delete(false, false));
    fx.messages.assertAllReleased();
  }

  private RecordingConsumer consume(String tag, int priority, int credit) {
    return fx.consume(queue, new RecordingConsumer(tag, priority, false, credit, fx.events));
  }

  @Test
  void theFirstRegisteredReceivesEverythingAndCountsIncludeAll() {
    RecordingConsumer a = consume("a", 0, RecordingConsumer.UNLIMITED);
    RecordingConsumer b = consume("b", 5, RecordingConsumer.UNLIMITED);

    fx.publish(queue, 1, 3);

    assertEquals(List.of("m1", "m2", "m3"), a.names());
    assertEquals(List.of(), b.names());
    assertEquals(new QueueCounts(0, 2), counts(queue));
  }

  @Test
  void othersWaitEvenWhenTheActiveConsumerHasNoRoom() {
    RecordingConsumer a = consume("a", 0, 1);
    RecordingConsumer b = consume("b", 0, RecordingConsumer.UNLIMITED);

    fx.publish(queue, 1, 3);

    assertEquals(List.of("m1"), a.names());
    assertEquals(List.of(), b.names());
    assertEquals(2, queue.stats().ready());
  }

  @Test
  void whenTheActiveOneLeavesTheHighestPriorityThenEarliestTakesOver() {
    RecordingConsumer a = consume("a", 0, 1);
    RecordingConsumer b = consume("b", 1, RecordingConsumer.UNLIMITED);
    RecordingConsumer c = consume("c", 7, 1);
    RecordingConsumer d = consume("d", 7, RecordingConsumer.UNLIMITED);
    fx.publish(queue, 1, 4);

    queue.cancel(a);
    assertEquals(List.of("m2"), c.names(), "c: priority 7, registered before d");

    queue.cancel(c);
    assertEquals(List.of("m3", "m4"), d.names());

    queue.cancel(d);
    fx.publish(queue, 5, 5);
    assertEquals(List.of("m5"), b.names());
    assertEquals(List.of("a:m1", "c:m2", "d:m3", "d:m4", "b:m5"), fx.events);
  }

  @Test
  void cancellingAWaitingConsumerLeavesTheActiveOneInPlace() {
    RecordingConsumer a = consume("a", 0, RecordingConsumer.UNLIMITED);
    RecordingConsumer b = consume("b", 9, RecordingConsumer.UNLIMITED);

    queue.cancel(b);
    fx.publish(queue, 1, 1);

    assertEquals(List.of("m1"), a.names());
    assertEquals(new QueueCounts(0, 1), counts(queue));
  }

  @Test
  void theNewActiveConsumerGetsTheRequeuedMessagesOfTheOldOne() {
    RecordingConsumer a = consume("a", 0, RecordingConsumer.UNLIMITED);
    RecordingConsumer b = consume("b", 0, RecordingConsumer.UNLIMITED);
    fx.publish(queue, 1, 2);

    queue.cancel(a);
    queue.reject(new long[] {a.idOf("m1"), a.idOf("m2")}, 2, true);

    assertEquals(List.of("m1", "m2"), b.names());
  }

  // --- In a cluster: other nodes put their first consumer forward to the node that leads ---------

  /** What a GET of node {@code node} for its consumer {@code id} takes: a name, or null. */
  private String getFor(String node, long id) {
    return QueueFixture.pulled(queue, false, node, id, 0);
  }

  private void contend(String node, long id) {
    done(contended(node, id));
  }

  private CompletableFuture<Void> contended(String node, long id) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.contend(node, id, 0, done);
    return done;
  }

  @Test
  void anotherNodesConsumerFirstInLineIsActiveAndOnlyItsGetsTakeMessages() {
    contend("n2", 5);
    RecordingConsumer a = consume("a", 0, RecordingConsumer.UNLIMITED);
    fx.publish(queue, 1, 3);

    assertEquals(List.of(), a.names(), "the consumer here waits");
    assertNull(getFor("n2", 6), "another consumer of n2");
    assertNull(getFor("n3", 5), "the same number on another node");
    assertEquals("m1", getFor("n2", 5));
    assertEquals("m2", getFor("n2", 0), "a basic.get is served whoever is active");
    assertEquals(new QueueCounts(1, 1), counts(queue), "consumers here only");
  }

  @Test
  void whenTheOtherNodesConsumerWithdrawsTheOneHereTakesOver() {
    contend("n2", 5);
    RecordingConsumer a = consume("a", 0, RecordingConsumer.UNLIMITED);
    fx.publish(queue, 1, 2);

    contend("n2", 0);

    assertEquals(List.of("m1", "m2"), a.names());
    assertNull(getFor("n2", 5));
  }

  @Test
  void aNodeGoneIsForgottenAndTheConsumerHereTakesOver() {
    contend("n2", 5);
    RecordingConsumer a = consume("a", 0, RecordingConsumer.UNLIMITED);
    new ServedCommands(queue, fx.clock, fx.ledger).nodeGone("n2");
    fx.publish(queue, 1, 1);
    assertEquals(List.of("m1"), a.names());
  }

  @Test
  void anotherNodesConsumerWaitsBehindTheActiveOneHereAndTakesOverWhenItLeaves() {
    RecordingConsumer a = consume("a", 0, RecordingConsumer.UNLIMITED);
    contend("n2", 5);
    contend("n3", 8);
    fx.publish(queue, 1, 2);
    assertEquals(List.of("m1", "m2"), a.names());

    contend("n2", 6);
    queue.cancel(a);
    fx.publish(queue, 3, 3);
    assertEquals("m3", getFor("n3", 8), "n3's came before n2's new one");
    assertNull(getFor("n2", 6));
  }

  @Test
  void aNodePutsForwardItsFirstConsumerAndTheNextWhenItLeaves() {
    SingleActiveConsumer here = new SingleActiveConsumer();
    RecordingConsumer a = new RecordingConsumer("a", 0, false, 1, fx.events);
    RecordingConsumer b = new RecordingConsumer("b", 3, false, 1, fx.events);
    assertEquals(ConsumerSelection.Candidate.NONE, here.candidate());
    here.add(a);
    here.add(b);
    assertEquals(new ConsumerSelection.Candidate(here.serial(a), 0), here.candidate());
    here.remove(a);
    assertEquals(new ConsumerSelection.Candidate(here.serial(b), 3), here.candidate());
    assertTrue(here.serial(a) == 0 && here.serial(b) > 0, "a is gone, b is numbered");
  }
}
