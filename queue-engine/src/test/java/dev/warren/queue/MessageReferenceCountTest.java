package dev.warren.queue;

import static dev.warren.queue.QueueFixture.done;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.util.IllegalReferenceCountException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One message routed to several queues shares one body; the last owner frees it, once. */
class MessageReferenceCountTest {
  private final QueueFixture fx = new QueueFixture();
  private final List<MessageQueue> queues = new ArrayList<>();

  @AfterEach
  void everyBufferIsReleased() {
    for (MessageQueue q : queues) {
      done(q.delete(false, false));
    }
    fx.messages.assertAllReleased();
  }

  @Test
  void fanOutToThreeQueuesIsFreedOnceTheLastQueueIsDone() {
    List<RecordingConsumer> consumers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      MessageQueue q = fx.queue("q" + i);
      queues.add(q);
      consumers.add(fx.consume(q, fx.consumer("c" + i, RecordingConsumer.UNLIMITED)));
    }
    Message m = fx.messages.message("m1");

    for (MessageQueue q : queues) {
      q.publish(m.retain(), null);
    }
    m.release();

    assertEquals(3, m.refCnt(), "one per queue, the consumers released theirs");
    for (int i = 0; i < 3; i++) {
      queues.get(i).ack(new long[] {consumers.get(i).idOf("m1")}, 1);
      assertEquals(2 - i, m.refCnt());
      assertEquals(i < 2 ? 1 : 0, m.body().refCnt(), "the body is freed with the last reference");
    }
    fx.messages.assertAllReleased();
    assertEquals(IllegalReferenceCountException.class, releaseOnceMore(m).getClass());
  }

  @Test
  void fanOutSurvivesEveryWayOfLeavingAQueue() {
    MessageQueue acked = fx.queue("acked");
    MessageQueue noAck = fx.queue("noAck");
    MessageQueue got = fx.queue("got");
    MessageQueue requeued = fx.queue("requeued");
    MessageQueue purged = fx.queue("purged");
    MessageQueue deleted = fx.queue("deleted");
    queues.addAll(List.of(acked, noAck, got, requeued, purged, deleted));
    RecordingConsumer ackConsumer = fx.consume(acked, fx.consumer("a", 1));
    fx.consume(noAck, new RecordingConsumer("n", 0, true, 1, fx.events));
    RecordingConsumer requeueConsumer = fx.consume(requeued, fx.consumer("r", 2));
    fx.consume(deleted, fx.consumer("d", 1));
    Message m = fx.messages.message("m1");

    for (MessageQueue q : queues) {
      q.publish(m.retain(), null);
    }
    m.release();
    assertEquals(5, m.refCnt(), "noAck gave its reference to its consumer, who released it");

    acked.ack(new long[] {ackConsumer.idOf("m1")}, 1);
    done(got.get(true)).message().release();
    requeued.reject(new long[] {requeueConsumer.idOf("m1")}, 1, true);
    requeued.ack(new long[] {requeueConsumer.idOf("m1")}, 1);
    done(purged.purge());
    assertEquals(1, m.refCnt(), "only the queue about to be deleted still holds it");

    done(deleted.delete(false, false));
    assertEquals(0, m.refCnt());
  }

  private static RuntimeException releaseOnceMore(Message m) {
    try {
      m.release();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("a freed message could be released again");
  }
}
