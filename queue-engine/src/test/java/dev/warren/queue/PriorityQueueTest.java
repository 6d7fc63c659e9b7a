package dev.warren.queue;

import static dev.warren.queue.QueueFixture.done;
import static dev.warren.queue.Settings.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** x-max-priority: higher priorities first, FIFO within one. */
class PriorityQueueTest {
  private final QueueFixture fx = new QueueFixture();
  private final List<MessageQueue> queues = new ArrayList<>();

  @AfterEach
  void everyBufferIsReleased() {
    for (MessageQueue q : queues) {
      done(q.delete(false, false));
    }
    fx.messages.assertAllReleased();
  }

  private MessageQueue queue(Settings settings) {
    MessageQueue q = fx.queue("q" + queues.size(), settings.build());
    queues.add(q);
    return q;
  }

  private RecordingConsumer drain(MessageQueue queue) {
    return fx.consume(queue, fx.consumer("c", RecordingConsumer.UNLIMITED));
  }

  @Test
  void higherPriorityFirstAndFifoWithinAPriority() {
    MessageQueue queue = queue(settings().maxPriority(5));
    fx.publish(queue, "a0", 0, -1);
    fx.publish(queue, "b3", 3, -1);
    fx.publish(queue, "c5", 5, -1);
    fx.publish(queue, "d3", 3, -1);
    fx.publish(queue, "e0", 0, -1);
    fx.publish(queue, "f5", 5, -1);

    assertEquals(List.of("c5", "f5", "b3", "d3", "a0", "e0"), drain(queue).names());
  }

  @Test
  void priorityAboveTheMaximumCountsAsTheMaximum() {
    MessageQueue queue = queue(settings().maxPriority(2));
    fx.publish(queue, "two", 2, -1);
    fx.publish(queue, "nine", 9, -1);
    fx.publish(queue, "one", 1, -1);

    assertEquals(List.of("two", "nine", "one"), drain(queue).names());
  }

  @Test
  void aQueueWithoutMaxPriorityIgnoresPriorities() {
    MessageQueue queue = queue(settings());
    fx.publish(queue, "low", 0, -1);
    fx.publish(queue, "high", 9, -1);

    assertEquals(List.of("low", "high"), drain(queue).names());
  }

  @Test
  void requeuedMessagesReturnToTheirPlaceWithinTheirPriority() {
    MessageQueue queue = queue(settings().maxPriority(255));
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 4));
    fx.publish(queue, "h1", 200, -1);
    fx.publish(queue, "h2", 200, -1);
    fx.publish(queue, "l1", 1, -1);
    fx.publish(queue, "l2", 1, -1);
    fx.publish(queue, "h3", 200, -1);
    fx.publish(queue, "l3", 1, -1);
    assertEquals(List.of("h1", "h2", "l1", "l2"), c.names());

    queue.reject(new long[] {c.idOf("l2"), c.idOf("h2")}, 2, true);
    c.grant(RecordingConsumer.UNLIMITED);
    queue.resume();

    assertEquals(List.of("h2", "h3", "l2", "l3"), c.names().subList(4, c.names().size()));
    assertEquals(
        List.of(true, false, true, false),
        c.received().subList(4, 8).stream().map(RecordingConsumer.Received::redelivered).toList());
  }

  @Test
  void basicGetTakesTheHighestPriority() {
    MessageQueue queue = queue(settings().maxPriority(10));
    fx.publish(queue, "low", 1, -1);
    fx.publish(queue, "high", 10, -1);

    Delivery d = done(queue.get(true));

    assertEquals("high", TrackedMessages.name(d.message()));
    assertEquals(1, d.messageCount());
    d.message().release();
  }

  @Test
  void dropHeadDropsTheNextToBeDelivered() {
    MessageQueue queue = queue(settings().maxPriority(3).maxLength(2).deadLettering());
    fx.publish(queue, "low", 0, -1);
    fx.publish(queue, "high", 3, -1);
    fx.publish(queue, "mid", 2, -1);

    assertEquals(List.of("high:maxlen"), fx.deadLetters);
    assertEquals(List.of("mid", "low"), drain(queue).names());
  }
}
