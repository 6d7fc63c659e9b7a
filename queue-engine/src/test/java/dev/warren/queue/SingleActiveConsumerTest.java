package dev.warren.queue;

import static dev.warren.queue.QueueFixture.counts;
import static dev.warren.queue.QueueFixture.done;
import static dev.warren.queue.Settings.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
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
}
