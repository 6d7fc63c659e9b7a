package dev.warren.queue;

import static dev.warren.queue.QueueFixture.counts;
import static dev.warren.queue.QueueFixture.done;
import static dev.warren.queue.Settings.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rejected messages and x-delivery-limit: what is dead-lettered, and the delivery counts. */
class DeadLetteringTest {
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

  private static List<Integer> deliveryCounts(RecordingConsumer c) {
    return c.received().stream().map(RecordingConsumer.Received::deliveryCount).toList();
  }

  @Test
  void rejectWithoutRequeueDeadLettersInTheOrderRejected() {
    MessageQueue queue = queue(settings().deadLettering());
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 3));
    fx.publish(queue, 1, 3);

    queue.reject(new long[] {c.idOf("m3"), c.idOf("m1")}, 2, false);
    queue.ack(new long[] {c.idOf("m2")}, 1);

    assertEquals(List.of("m3:rejected", "m1:rejected"), fx.deadLetters);
    assertEquals(new QueueCounts(0, 1), counts(queue));
  }

  @Test
  void rejectWithoutDeadLetterExchangeDrops() {
    MessageQueue queue = queue(settings());
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 1));
    Message m1 = fx.publish(queue, 1, 1).get(0);

    queue.reject(new long[] {c.idOf("m1")}, 1, false);

    assertEquals(List.of(), fx.deadLetters);
    assertEquals(0, m1.refCnt());
  }

  @Test
  void requeueIsNotDeadLettering() {
    MessageQueue queue = queue(settings().deadLettering());
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 1));
    fx.publish(queue, 1, 1);

    c.grant(1);
    queue.reject(new long[] {c.idOf("m1")}, 1, true);

    assertEquals(List.of(), fx.deadLetters);
    assertEquals(List.of("m1", "m1"), c.names());
  }

  @Test
  void deliveryCountTellsPriorDeliveries() {
    MessageQueue queue = queue(settings());
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 1));
    fx.publish(queue, 1, 1);
    for (int i = 0; i < 3; i++) {
      c.grant(1);
      queue.reject(new long[] {c.idOf("m1")}, 1, true);
    }

    assertEquals(List.of(0, 1, 2, 3), deliveryCounts(c));
  }

  @Test
  void aMessageReturnedMoreThanTheDeliveryLimitIsDeadLettered() {
    MessageQueue queue = queue(settings().deliveryLimit(2).deadLettering());
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 1));
    fx.publish(queue, 1, 2);

    for (int i = 0; i < 3; i++) {
      c.grant(1);
      queue.reject(new long[] {c.idOf("m1")}, 1, true);
    }
    queue.resume();

    assertEquals(List.of("m1", "m1", "m1", "m2"), c.names(), "delivered limit + 1 times");
    assertEquals(List.of(0, 1, 2, 0), deliveryCounts(c));
    assertEquals(List.of("m1:delivery_limit"), fx.deadLetters);
    assertEquals(new QueueCounts(0, 1), counts(queue));
  }

  @Test
  void deliveryLimitZeroDeadLettersOnTheFirstReturn() {
    MessageQueue queue = queue(settings().deliveryLimit(0).deadLettering());
    fx.publish(queue, 1, 1);
    Delivery d = done(queue.get(false));
    d.message().release();

    queue.reject(new long[] {d.id()}, 1, true);

    assertEquals(List.of("m1:delivery_limit"), fx.deadLetters);
    assertEquals(0, queue.stats().ready());
  }

  @Test
  void deliveryLimitWithoutDeadLetterExchangeDrops() {
    MessageQueue queue = queue(settings().deliveryLimit(0));
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 1));
    Message m1 = fx.publish(queue, 1, 1).get(0);
    c.grant(1);

    queue.reject(new long[] {c.idOf("m1")}, 1, true);

    assertEquals(List.of("m1"), c.names());
    assertEquals(0, m1.refCnt());
    assertEquals(List.of(), fx.deadLetters);
  }

  @Test
  void basicGetAndConsumersShareTheDeliveryCount() {
    MessageQueue queue = queue(settings().deliveryLimit(1).deadLettering());
    fx.publish(queue, 1, 1);
    Delivery first = done(queue.get(false));
    first.message().release();
    queue.reject(new long[] {first.id()}, 1, true);
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 1));

    queue.reject(new long[] {c.idOf("m1")}, 1, true);

    assertEquals(0, first.deliveryCount());
    assertEquals(List.of(1), deliveryCounts(c));
    assertEquals(List.of("m1:delivery_limit"), fx.deadLetters);
  }

  @Test
  void unackedMessagesOfADeletedQueueAreNotDeadLettered() {
    MessageQueue queue = fx.queue("gone", settings().deadLettering().build());
    fx.consume(queue, fx.consumer("c", 1));
    fx.publish(queue, 1, 2);

    done(queue.delete(false, false));

    assertEquals(List.of(), fx.deadLetters);
  }
}
