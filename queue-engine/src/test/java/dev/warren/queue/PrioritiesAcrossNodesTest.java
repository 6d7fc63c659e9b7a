package dev.warren.queue;

import static dev.warren.queue.QueueFixture.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Consumer priorities on the node that leads a mirrored queue, with consumers on other nodes that
 * pull ({@link RemoteAppetite}): a node that pulls for a higher priority is served before the
 * consumers here and the other nodes' of lower priority, until it stops pulling.
 */
class PrioritiesAcrossNodesTest {
  private static final long ANY = ConsumerSelection.ANY;

  private final QueueFixture fx = new QueueFixture();
  private final MessageQueue queue = fx.queue("q");

  @AfterEach
  void everyBufferIsReleased() {
    done(queue.delete(false, false));
    fx.messages.assertAllReleased();
  }

  private RecordingConsumer consume(String tag, int priority, int credit) {
    return fx.consume(queue, new RecordingConsumer(tag, priority, false, credit, fx.events));
  }

  /** What a pull of node {@code node} for a consumer of {@code priority} takes, or null. */
  private String pull(String node, long consumer, int priority) {
    return QueueFixture.pulled(queue, true, node, consumer, priority);
  }

  @Test
  void aHigherPriorityPullHoldsBackTheConsumersHereUntilItsNodeStopsPulling() {
    RecordingConsumer here = consume("here", 0, RecordingConsumer.UNLIMITED);
    assertNull(pull("n2", ANY, 5), "nothing ready yet; n2 wants messages at 5");
    fx.publish(queue, 1, 3);
    assertEquals(List.of(), here.names());
    assertEquals("m1", pull("n2", ANY, 5));

    fx.clock.advanceAndFire(RemoteAppetite.HUNGRY_MILLIS);
    assertEquals(List.of("m2", "m3"), here.names(), "n2 stopped pulling: the rest come here");
  }

  @Test
  void aNodeWhoseConsumersAreFullLetsTheOthersHaveMessagesAtOnce() {
    RecordingConsumer here = consume("here", 0, RecordingConsumer.UNLIMITED);
    assertNull(pull("n2", ANY, 5));
    fx.publish(queue, 1, 2);
    assertEquals(List.of(), here.names());

    assertNull(pull("n2", ConsumerSelection.SATED, 0), "it takes nothing");
    assertEquals(List.of("m1", "m2"), here.names(), "without waiting for n2's pulls to age");
  }

  @Test
  void aLowerPriorityPullTakesNothingWhileAnotherNodeWantsMessagesHigher() {
    assertNull(pull("n2", ANY, 5));
    fx.publish(queue, 1, 2);
    assertNull(pull("n3", ANY, 1));
    assertEquals("m1", pull("n2", ANY, 5));
    fx.clock.advance(RemoteAppetite.HUNGRY_MILLIS);
    assertEquals("m2", pull("n3", ANY, 1));
  }

  @Test
  void equalPrioritiesShareAndAHigherOneHereGoesFirst() {
    RecordingConsumer here = consume("here", 0, 1);
    assertNull(pull("n2", ANY, 0));
    fx.publish(queue, 1, 2);
    assertEquals(List.of("m1"), here.names(), "the same priority as n2's: not held back");
    assertEquals("m2", pull("n2", ANY, 0));

    RecordingConsumer first = consume("first", 9, RecordingConsumer.UNLIMITED);
    assertNull(pull("n2", ANY, 5));
    fx.publish(queue, 3, 3);
    assertEquals(List.of("m3"), first.names(), "priority 9 here before n2's 5");
  }

  @Test
  void aBasicGetIsServedWhateverOtherNodesWant() {
    assertNull(pull("n2", ANY, 5));
    fx.publish(queue, 1, 1);
    assertEquals("m1", pull("n3", 0, 0));
  }
}
