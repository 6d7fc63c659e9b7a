package dev.warren.queue;

import static dev.warren.queue.QueueFixture.counts;
import static dev.warren.queue.QueueFixture.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** basic.get. */
class QueueGetTest {
  private final QueueFixture fx = new QueueFixture();
  private final MessageQueue queue = fx.queue("q");

  @AfterEach
  void everyBufferIsReleased() {
    done(queue.delete(false, false));
    fx.messages.assertAllReleased();
  }

  @Test
  void getReturnsMessagesInOrderWithTheCountLeft() {
    fx.publish(queue, 1, 3);

    for (int i = 1; i <= 3; i++) {
      Delivery d = done(queue.get(true));
      assertEquals("m" + i, TrackedMessages.name(d.message()));
      assertEquals(3 - i, d.messageCount());
      assertFalse(d.redelivered());
      assertSame(queue, d.queue());
      d.message().release();
    }
    assertNull(done(queue.get(true)));
  }

  @Test
  void getOnAnEmptyQueueCompletesWithNull() {
    assertNull(done(queue.get(false)));
    assertNull(done(queue.get(true)));
  }

  @Test
  void noAckGetHandsOverTheQueuesReference() {
    Message m1 = fx.publish(queue, 1, 1).get(0);

    Delivery d = done(queue.get(true));

    assertSame(m1, d.message());
    assertEquals(1, m1.refCnt(), "only the receiver's");
    d.message().release();
    assertEquals(0, m1.refCnt());
    assertEquals(new QueueCounts(0, 0), counts(queue));
  }

  @Test
  void getWithAckKeepsTheMessageUntilSettled() {
    Message m1 = fx.publish(queue, 1, 1).get(0);
    fx.publish(queue, 2, 2);

    Delivery d = done(queue.get(false));
    assertEquals(2, m1.refCnt(), "the receiver's and the queue's");
    d.message().release();
    assertEquals(new QueueCounts(1, 0), counts(queue), "unacked is not ready");

    queue.reject(new long[] {d.id()}, 1, true);
    Delivery again = done(queue.get(false));
    assertEquals("m1", TrackedMessages.name(again.message()));
    assertTrue(again.redelivered());
    assertEquals(d.id(), again.id());
    assertEquals(1, again.messageCount());
    again.message().release();

    queue.ack(new long[] {again.id()}, 1);
    assertEquals(0, m1.refCnt());
  }

  @Test
  void getAndConsumersShareOneQueueOrder() {
    fx.publish(queue, 1, 2);
    Delivery d = done(queue.get(true));
    d.message().release();
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", RecordingConsumer.UNLIMITED));
    fx.publish(queue, 3, 3);

    assertEquals(List.of("m2", "m3"), c.names());
  }

  @Test
  void getOnADeletedQueueCompletesWithNull() {
    fx.publish(queue, 1, 1);
    done(queue.delete(false, false));

    assertNull(done(queue.get(true)));
  }
}
