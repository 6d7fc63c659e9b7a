package dev.warren.queue;

import static dev.warren.queue.QueueFixture.counts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a queue hands its messages to consumers: order, round-robin, priorities, prefetch. */
class QueueDeliveryTest {
  private final QueueFixture fx = new QueueFixture();
  private final MessageQueue queue = fx.queue("q");

  @AfterEach
  void everyBufferIsReleased() {
    QueueFixture.done(queue.delete(false, false));
    fx.messages.assertAllReleased();
  }

  @Test
  void deliversInPublishOrder() {
    fx.publish(queue, 1, 3);
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", RecordingConsumer.UNLIMITED));
    fx.publish(queue, 4, 6);

    assertEquals(List.of("m1", "m2", "m3", "m4", "m5", "m6"), c.names());
    assertTrue(c.received().stream().noneMatch(RecordingConsumer.Received::redelivered));
  }

  @Test
  void deliveriesTellHowManyMessagesAreStillReady() {
    fx.publish(queue, 1, 3);
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", RecordingConsumer.UNLIMITED));

    assertEquals(
        List.of(2, 1, 0),
        c.received().stream().map(RecordingConsumer.Received::messageCount).toList());
  }

  @Test
  void consumersOfEqualPriorityTakeTurns() {
    fx.consume(queue, fx.consumer("a", RecordingConsumer.UNLIMITED));
    fx.consume(queue, fx.consumer("b", RecordingConsumer.UNLIMITED));
    fx.consume(queue, fx.consumer("c", RecordingConsumer.UNLIMITED));

    fx.publish(queue, 1, 7);

    assertEquals(List.of("a:m1", "b:m2", "c:m3", "a:m4", "b:m5", "c:m6", "a:m7"), fx.events);
  }

  @Test
  void aConsumerWithoutCreditIsSkippedAndTheOthersKeepTheirTurns() {
    RecordingConsumer a = fx.consume(queue, fx.consumer("a", RecordingConsumer.UNLIMITED));
    fx.consume(queue, fx.consumer("b", 1));
    fx.consume(queue, fx.consumer("c", RecordingConsumer.UNLIMITED));

    fx.publish(queue, 1, 6);

    assertEquals(List.of("a:m1", "b:m2", "c:m3", "a:m4", "c:m5", "a:m6"), fx.events);
    assertEquals(List.of("m1", "m4", "m6"), a.names());
  }

  @Test
  void higherPriorityConsumerTakesEverythingWhileItHasRoom() {
    RecordingConsumer low = fx.consume(queue, prioritized("low", 0, RecordingConsumer.UNLIMITED));
    RecordingConsumer high = fx.consume(queue, prioritized("high", 5, 3));
    RecordingConsumer mid = prioritized("mid", 2, 0);
    fx.consume(queue, mid);

    fx.publish(queue, 1, 3);
    assertEquals(List.of("m1", "m2", "m3"), high.names());
    assertEquals(List.of(), low.names());

    fx.publish(queue, 4, 4);
    assertEquals(List.of("m4"), low.names(), "high and mid refused, so low takes it");

    high.grant(1);
    queue.resume();
    fx.publish(queue, 5, 5);
    assertEquals(List.of("m1", "m2", "m3", "m5"), high.names());
    assertEquals(List.of("m4"), low.names());
    assertEquals(List.of(), mid.names());
  }

  @Test
  void negativePrioritiesRankBelowTheDefault() {
    RecordingConsumer below =
        fx.consume(queue, prioritized("below", -1, RecordingConsumer.UNLIMITED));
    RecordingConsumer normal = fx.consume(queue, prioritized("normal", 0, 1));

    fx.publish(queue, 1, 2);

    assertEquals(List.of("m1"), normal.names());
    assertEquals(List.of("m2"), below.names());
  }

  @Test
  void resumeRestartsDeliveryToAConsumerThatRefused() {
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 2));
    fx.publish(queue, 1, 5);
    assertEquals(List.of("m1", "m2"), c.names());
    assertEquals(new QueueCounts(3, 1), counts(queue));

    c.grant(2);
    queue.resume();

    assertEquals(List.of("m1", "m2", "m3", "m4"), c.names());
    assertEquals(new QueueCounts(1, 1), counts(queue));
  }

  @Test
  void consumeOkIsCompletedBeforeTheFirstDelivery() {
    fx.publish(queue, 1, 2);
    RecordingConsumer c = fx.consumer("c", RecordingConsumer.UNLIMITED);
    CompletableFuture<Void> done = new CompletableFuture<>();
    done.thenRun(() -> fx.events.add("consume-ok"));

    queue.consume(c, false, done);

    assertEquals(List.of("consume-ok", "c:m1", "c:m2"), fx.events);
  }

  @Test
  void aCancelledConsumerGetsNoMoreDeliveries() {
    RecordingConsumer a = fx.consume(queue, fx.consumer("a", RecordingConsumer.UNLIMITED));
    RecordingConsumer b = fx.consume(queue, fx.consumer("b", RecordingConsumer.UNLIMITED));
    fx.publish(queue, 1, 2);

    queue.cancel(a);
    fx.publish(queue, 3, 4);

    assertEquals(List.of("m1"), a.names());
    assertEquals(List.of("m2", "m3", "m4"), b.names());
    assertEquals(0, a.cancelledByQueue(), "a consumer that cancelled is not told it was cancelled");
    assertEquals(new QueueCounts(0, 1), counts(queue));
  }

  @Test
  void noAckConsumerTakesTheQueuesOnlyReference() {
    RecordingConsumer c =
        fx.consume(
            queue, new RecordingConsumer("c", 0, true, RecordingConsumer.UNLIMITED, fx.events));
    List<Message> published = fx.publish(queue, 1, 2);

    assertEquals(
        List.of(1, 1), c.received().stream().map(RecordingConsumer.Received::refCnt).toList());
    assertEquals(
        0, published.get(0).refCnt(), "released by the consumer, nothing left in the queue");

    queue.reject(new long[] {c.idOf("m1")}, 1, true);
    assertEquals(List.of("m1", "m2"), c.names(), "the queue forgot no-ack deliveries");
    assertFalse(c.received().get(1).redelivered());
    assertEquals(new QueueCounts(0, 1), counts(queue));
  }

  private RecordingConsumer prioritized(String tag, int priority, int credit) {
    return new RecordingConsumer(tag, priority, false, credit, fx.events);
  }
}
