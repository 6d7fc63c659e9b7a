package dev.warren.queue;

import static dev.warren.queue.QueueFixture.counts;
import static dev.warren.queue.QueueFixture.done;
import static dev.warren.queue.QueueFixture.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.queue.QueueException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Counts, purge, delete, exclusive consumers, auto-delete and publisher confirms. */
class QueueLifecycleTest {
  private final QueueFixture fx = new QueueFixture();
  private final List<MessageQueue> queues = new ArrayList<>();

  @AfterEach
  void everyBufferIsReleased() {
    for (MessageQueue q : queues) {
      done(q.delete(false, false));
    }
    fx.messages.assertAllReleased();
  }

  private MessageQueue queue(boolean autoDelete) {
    MessageQueue q = fx.queue("q" + queues.size(), autoDelete);
    queues.add(q);
    return q;
  }

  @Test
  void countsAreReadyMessagesAndConsumersNotUnacked() {
    MessageQueue queue = queue(false);
    assertEquals(new QueueCounts(0, 0), counts(queue));
    fx.consume(queue, fx.consumer("a", 2));
    fx.consume(queue, fx.consumer("b", 0));
    fx.publish(queue, 1, 5);

    assertEquals(new QueueCounts(3, 2), counts(queue));
    assertEquals(3, queue.stats().ready());
    assertEquals(2, queue.stats().consumers());
  }

  @Test
  void purgeDropsReadyMessagesAndKeepsUnacked() {
    MessageQueue queue = queue(false);
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 2));
    List<Message> published = fx.publish(queue, 1, 5);

    assertEquals(3, done(queue.purge()));

    for (Message m : published.subList(2, 5)) {
      assertEquals(0, m.refCnt(), "purged and released");
    }
    assertEquals(new QueueCounts(0, 1), counts(queue));
    assertEquals(0, queue.stats().ready());
    c.grant(2);
    queue.reject(new long[] {c.idOf("m1"), c.idOf("m2")}, 2, true);
    assertEquals(List.of("m1", "m2", "m1", "m2"), c.names());
  }

  @Test
  void deleteIfUnusedFailsWhileAConsumerIsAttached() {
    MessageQueue queue = queue(false);
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 0));
    fx.publish(queue, 1, 1);

    assertEquals(Reason.IN_USE, failure(queue.delete(true, false)));
    assertFalse(queue.isDeleted());
    assertEquals(new QueueCounts(1, 1), counts(queue));
    assertEquals(0, c.cancelledByQueue());

    queue.cancel(c);
    assertEquals(1, done(queue.delete(true, false)));
    assertTrue(queue.isDeleted());
  }

  @Test
  void deleteIfEmptyFailsWhileMessagesAreReady() {
    MessageQueue queue = queue(false);
    fx.publish(queue, 1, 1);

    assertEquals(Reason.NOT_EMPTY, failure(queue.delete(false, true)));
    assertFalse(queue.isDeleted());
    assertEquals(new QueueCounts(1, 0), counts(queue));

    done(queue.get(true)).message().release();
    assertEquals(0, done(queue.delete(false, true)));
    assertTrue(queue.isDeleted());
  }

  @Test
  void deleteCancelsConsumersAndReleasesReadyAndUnackedMessages() {
    MessageQueue queue = queue(false);
    RecordingConsumer a = fx.consume(queue, fx.consumer("a", 1));
    RecordingConsumer b = fx.consume(queue, fx.consumer("b", 1));
    List<Message> published = fx.publish(queue, 1, 5);

    assertEquals(3, done(queue.delete(false, false)));

    assertTrue(queue.isDeleted());
    assertEquals(1, a.cancelledByQueue());
    assertEquals(1, b.cancelledByQueue());
    assertEquals(0, queue.stats().consumers());
    assertEquals(0, queue.stats().ready());
    for (Message m : published) {
      assertEquals(0, m.refCnt());
    }
    queue.ack(new long[] {a.idOf("m1")}, 1);
    queue.reject(new long[] {b.idOf("m2")}, 1, true);
    fx.messages.assertAllReleased();
  }

  @Test
  void deleteReleasesAMessageRequeuedBeforeIt() {
    MessageQueue queue = queue(false);
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 1));
    fx.publish(queue, 1, 1);
    queue.cancel(c);
    queue.reject(new long[] {c.idOf("m1")}, 1, true);

    assertEquals(1, done(queue.delete(false, false)));
  }

  @Test
  void publishToADeletedQueueIsReleasedAndStillSettled() {
    MessageQueue queue = queue(false);
    done(queue.delete(false, false));
    List<Boolean> settled = new ArrayList<>();
    Message m = fx.messages.message("late");

    queue.publish(m, settled::add);

    assertEquals(List.of(true), settled);
    assertEquals(0, m.refCnt());
    assertEquals(new QueueCounts(0, 0), counts(queue));
  }

  @Test
  void consumeOnADeletedQueueFails() {
    MessageQueue queue = queue(false);
    done(queue.delete(false, false));
    CompletableFuture<Void> done = new CompletableFuture<>();

    queue.consume(fx.consumer("c", 1), false, done);

    assertEquals(Reason.DELETED, failure(done));
    assertEquals(0, queue.stats().consumers());
  }

  @Test
  void everyPublishIsSettledOnceAndAccepted() {
    MessageQueue queue = queue(false);
    fx.consume(queue, fx.consumer("c", 2));
    List<String> settled = new ArrayList<>();
    for (Message m : fx.messages.messages(1, 4)) {
      String name = TrackedMessages.name(m);
      queue.publish(m, accepted -> settled.add(name + "=" + accepted));
    }
    queue.publish(fx.messages.message("m5"), null);

    assertEquals(List.of("m1=true", "m2=true", "m3=true", "m4=true"), settled);
  }

  @Test
  void exclusiveConsumeFailsWhenTheQueueHasAConsumer() {
    MessageQueue queue = queue(false);
    fx.consume(queue, fx.consumer("a", RecordingConsumer.UNLIMITED));
    RecordingConsumer b = fx.consumer("b", RecordingConsumer.UNLIMITED);
    CompletableFuture<Void> done = new CompletableFuture<>();

    queue.consume(b, true, done);
    fx.publish(queue, 1, 1);

    assertEquals(Reason.EXCLUSIVE_CONSUMER, failure(done));
    assertEquals(List.of(), b.names());
    assertEquals(1, queue.stats().consumers());
  }

  @Test
  void noOneElseCanConsumeWhileAnExclusiveConsumerHoldsTheQueue() {
    MessageQueue queue = queue(false);
    RecordingConsumer owner = fx.consumer("owner", RecordingConsumer.UNLIMITED);
    CompletableFuture<Void> exclusive = new CompletableFuture<>();
    queue.consume(owner, true, exclusive);
    done(exclusive);
    RecordingConsumer other = fx.consumer("other", RecordingConsumer.UNLIMITED);

    CompletableFuture<Void> shared = new CompletableFuture<>();
    queue.consume(other, false, shared);
    CompletableFuture<Void> alsoExclusive = new CompletableFuture<>();
    queue.consume(other, true, alsoExclusive);
    fx.publish(queue, 1, 2);

    assertEquals(Reason.EXCLUSIVE_CONSUMER, failure(shared));
    assertEquals(Reason.EXCLUSIVE_CONSUMER, failure(alsoExclusive));
    assertEquals(List.of("m1", "m2"), owner.names());
    assertEquals(List.of(), other.names());

    queue.cancel(owner);
    fx.consume(queue, other);
    fx.publish(queue, 3, 3);
    assertEquals(List.of("m3"), other.names());
  }

  @Test
  void autoDeleteQueueDeletesItselfWhenItsLastConsumerCancels() {
    MessageQueue queue = queue(true);
    RecordingConsumer a = fx.consume(queue, fx.consumer("a", 0));
    RecordingConsumer b = fx.consume(queue, fx.consumer("b", 0));
    List<Message> published = fx.publish(queue, 1, 2);

    queue.cancel(a);
    assertFalse(queue.isDeleted());
    assertEquals(List.of(), fx.deleted);

    queue.cancel(b);
    assertTrue(queue.isDeleted());
    assertEquals(List.of(queue), fx.deleted);
    assertEquals(0, a.cancelledByQueue() + b.cancelledByQueue());
    for (Message m : published) {
      assertEquals(0, m.refCnt());
    }
  }

  @Test
  void explicitDeleteOfAnAutoDeleteQueueIsNotReportedAsAutoDeletion() {
    MessageQueue queue = queue(true);
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 0));

    done(queue.delete(false, false));
    queue.cancel(c);

    assertTrue(queue.isDeleted());
    assertEquals(1, c.cancelledByQueue());
    assertEquals(List.of(), fx.deleted);
  }

  @Test
  void autoDeleteQueueWithoutConsumersIsNotDeletedByAStrayCancel() {
    MessageQueue queue = queue(true);
    fx.publish(queue, 1, 1);

    queue.cancel(fx.consumer("stranger", 0));

    assertFalse(queue.isDeleted());
    assertEquals(List.of(), fx.deleted);
    assertEquals(new QueueCounts(1, 0), counts(queue));
  }

  @Test
  void ordinaryQueueOutlivesItsLastConsumer() {
    MessageQueue queue = queue(false);
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 0));

    queue.cancel(c);

    assertFalse(queue.isDeleted());
    assertEquals(List.of(), fx.deleted);
  }

  @Test
  void drainWaiterIsWokenOnceTheBacklogIsWorkedOff() {
    MessageQueue queue = queue(false);
    List<String> woken = new ArrayList<>();

    assertFalse(queue.overloaded());
    queue.whenDrained(() -> woken.add("woken"));

    assertEquals(List.of("woken"), woken);
  }
}
