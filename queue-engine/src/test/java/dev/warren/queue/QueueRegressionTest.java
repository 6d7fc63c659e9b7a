package dev.warren.queue;

import static dev.warren.queue.QueueFixture.done;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bugs found by these tests once, kept so they stay fixed. */
class QueueRegressionTest {
  private final QueueFixture fx = new QueueFixture();

  @Test
  void readyCountIsUpToDateAfterBasicGet() {
    MessageQueue queue = fx.queue("q");
    fx.publish(queue, 1, 3);

    done(queue.get(true)).message().release();

    assertEquals(2, done(queue.counts()).messageCount());
    assertEquals(2, queue.stats().ready(), "the count management and passive declare read");
    done(queue.delete(false, false));
    fx.messages.assertAllReleased();
  }

  @Test
  void cancellingAConsumerBeforeTheCursorDoesNotSkipTheNextInTurn() {
    MessageQueue queue = fx.queue("q");
    RecordingConsumer a = fx.consume(queue, fx.consumer("a", RecordingConsumer.UNLIMITED));
    fx.consume(queue, fx.consumer("b", RecordingConsumer.UNLIMITED));
    fx.consume(queue, fx.consumer("c", RecordingConsumer.UNLIMITED));
    fx.consume(queue, fx.consumer("d", RecordingConsumer.UNLIMITED));
    fx.publish(queue, 1, 2);

    queue.cancel(a);
    fx.publish(queue, 3, 5);

    assertEquals(List.of("a:m1", "b:m2", "c:m3", "d:m4", "b:m5"), fx.events);
    done(queue.delete(false, false));
  }

  @Test
  void cancellingAConsumerBeforeTheCursorDoesNotSkipTheLastInTurn() {
    MessageQueue queue = fx.queue("q");
    RecordingConsumer a = fx.consume(queue, fx.consumer("a", RecordingConsumer.UNLIMITED));
    fx.consume(queue, fx.consumer("b", RecordingConsumer.UNLIMITED));
    fx.consume(queue, fx.consumer("c", RecordingConsumer.UNLIMITED));
    fx.publish(queue, 1, 2);

    queue.cancel(a);
    fx.publish(queue, 3, 4);

    assertEquals(List.of("a:m1", "b:m2", "c:m3", "b:m4"), fx.events);
    done(queue.delete(false, false));
  }
}
