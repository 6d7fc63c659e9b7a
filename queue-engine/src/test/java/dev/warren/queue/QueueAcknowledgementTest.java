package dev.warren.queue;

import static dev.warren.queue.QueueFixture.counts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** basic.ack, basic.reject and basic.nack as a queue applies them. */
class QueueAcknowledgementTest {
  private final QueueFixture fx = new QueueFixture();
  private final MessageQueue queue = fx.queue("q");

  @AfterEach
  void everyBufferIsReleased() {
    QueueFixture.done(queue.delete(false, false));
    fx.messages.assertAllReleased();
  }

  @Test
  void deliveryHoldsAReferenceUntilAcked() {
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", RecordingConsumer.UNLIMITED));
    Message m1 = fx.publish(queue, 1, 1).get(0);

    assertEquals(2, c.received().get(0).refCnt(), "the consumer's and the queue's");
    assertEquals(1, m1.refCnt(), "the queue keeps it after the consumer released its own");

    queue.ack(new long[] {c.idOf("m1")}, 1);

    assertEquals(0, m1.refCnt());
  }

  @Test
  void ackedMessageIsGoneForGood() {
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", RecordingConsumer.UNLIMITED));
    fx.publish(queue, 1, 2);
    long[] first = {c.idOf("m1")};

    queue.ack(first, 1);
    queue.ack(first, 1);
    queue.reject(first, 1, true);

    assertEquals(List.of("m1", "m2"), c.names());
    assertEquals(new QueueCounts(0, 1), counts(queue));
  }

  @Test
  void ackSettlesOnlyTheFirstCountIds() {
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 3));
    List<Message> published = fx.publish(queue, 1, 3);
    long[] ids = {c.idOf("m1"), c.idOf("m2"), c.idOf("m3")};

    queue.ack(ids, 2);

    assertEquals(0, published.get(0).refCnt());
    assertEquals(0, published.get(1).refCnt());
    assertEquals(1, published.get(2).refCnt(), "m3 is still unacked");
    c.grant(1);
    queue.reject(new long[] {ids[2]}, 1, true);
    assertEquals(List.of("m1", "m2", "m3", "m3"), c.names());
  }

  @Test
  void requeuedMessagesGoBackToTheirOriginalPlace() {
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 5));
    fx.publish(queue, 1, 5);
    assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), c.names());

    queue.reject(new long[] {c.idOf("m4"), c.idOf("m2")}, 2, true);
    fx.publish(queue, 6, 7);
    assertEquals(new QueueCounts(4, 1), counts(queue));
    c.grant(RecordingConsumer.UNLIMITED);
    queue.resume();

    List<RecordingConsumer.Received> after = c.received().subList(5, c.received().size());
    assertEquals(List.of("m2", "m4", "m6", "m7"), after.stream().map(r -> r.name()).toList());
    assertEquals(
        List.of(true, true, false, false), after.stream().map(r -> r.redelivered()).toList());
  }

  @Test
  void requeuedMessageKeepsItsId() {
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 1));
    fx.publish(queue, 1, 1);
    long id = c.idOf("m1");

    c.grant(1);
    queue.reject(new long[] {id}, 1, true);

    assertEquals(List.of("m1", "m1"), c.names());
    assertEquals(id, c.received().get(1).id());
    queue.ack(new long[] {id}, 1);
    assertEquals(new QueueCounts(0, 1), counts(queue));
  }

  @Test
  void requeueRedeliversAtOnceToAConsumerWithRoom() {
    RecordingConsumer a = fx.consume(queue, fx.consumer("a", 1));
    RecordingConsumer b = fx.consumer("b", RecordingConsumer.UNLIMITED);
    fx.publish(queue, 1, 1);
    fx.consume(queue, b);

    queue.reject(new long[] {a.idOf("m1")}, 1, true);

    assertEquals(List.of("m1"), b.names());
    assertTrue(b.received().get(0).redelivered());
  }

  @Test
  void rejectWithoutRequeueDropsTheMessage() {
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 2));
    List<Message> published = fx.publish(queue, 1, 2);

    queue.reject(new long[] {c.idOf("m1"), c.idOf("m2")}, 2, false);
    c.grant(RecordingConsumer.UNLIMITED);
    queue.resume();

    assertEquals(List.of("m1", "m2"), c.names());
    assertEquals(0, published.get(0).refCnt());
    assertEquals(0, published.get(1).refCnt());
    assertEquals(new QueueCounts(0, 1), counts(queue));
  }

  @Test
  void unackedDeliveriesOutliveTheirConsumer() {
    RecordingConsumer a = fx.consume(queue, fx.consumer("a", 2));
    fx.publish(queue, 1, 2);
    queue.cancel(a);
    RecordingConsumer b = fx.consume(queue, fx.consumer("b", RecordingConsumer.UNLIMITED));
    assertEquals(List.of(), b.names());

    queue.reject(new long[] {a.idOf("m1"), a.idOf("m2")}, 2, true);

    assertEquals(List.of("m1", "m2"), b.names());
    assertTrue(b.received().stream().allMatch(RecordingConsumer.Received::redelivered));
  }
}
