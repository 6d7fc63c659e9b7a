package dev.warren.queue;

import static dev.warren.queue.QueueFixture.done;
import static dev.warren.queue.Settings.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** x-expires: a queue unused for its lease deletes itself. */
class QueueExpiresTest {
  private final QueueFixture fx = new QueueFixture();
  private final MessageQueue queue = fx.queue("q", settings().expires(1_000).build());

  @AfterEach
  void everyBufferIsReleased() {
    if (!queue.isDeleted()) {
      done(queue.delete(false, false));
    }
    fx.messages.assertAllReleased();
  }

  @Test
  void anUnusedQueueDeletesItselfWhenTheLeaseRunsOut() {
    List<Message> published = fx.publish(queue, 1, 2);

    fx.clock.advanceAndFire(999);
    assertFalse(queue.isDeleted());

    fx.clock.advanceAndFire(1);
    assertTrue(queue.isDeleted());
    assertEquals(List.of(queue), fx.deleted);
    assertEquals(0, published.get(0).refCnt());
    assertEquals(0, fx.clock.pending());
  }

  @Test
  void publishingIsNoUse() {
    fx.clock.advanceAndFire(500);
    fx.publish(queue, 1, 1);
    fx.clock.advanceAndFire(500);

    assertTrue(queue.isDeleted());
  }

  @Test
  void basicGetRenewsTheLease() {
    fx.clock.advanceAndFire(600);
    assertEquals(null, done(queue.get(true)));

    fx.clock.advanceAndFire(999);
    assertFalse(queue.isDeleted());
    fx.clock.advanceAndFire(1);
    assertTrue(queue.isDeleted());
  }

  @Test
  void aRedeclareRenewsTheLease() {
    fx.clock.advanceAndFire(900);
    queue.touch();
    fx.clock.advanceAndFire(900);
    queue.touch();

    fx.clock.advanceAndFire(999);
    assertFalse(queue.isDeleted());
    fx.clock.advanceAndFire(1);
    assertTrue(queue.isDeleted());
    assertEquals(1, fx.clock.mostPendingAtOnce(), "one lease timer, re-armed, never two");
  }

  @Test
  void aQueueWithAConsumerNeverExpiresAndTheLeaseRestartsWhenTheLastOneLeaves() {
    RecordingConsumer a = fx.consume(queue, fx.consumer("a", 0));
    RecordingConsumer b = fx.consume(queue, fx.consumer("b", 0));
    assertEquals(0, fx.clock.pending(), "no timer while consumers exist");

    fx.clock.advanceAndFire(10_000);
    queue.cancel(a);
    fx.clock.advanceAndFire(10_000);
    assertFalse(queue.isDeleted());
    assertEquals(0, fx.clock.pending());

    queue.cancel(b);
    fx.clock.advanceAndFire(999);
    assertFalse(queue.isDeleted());
    fx.clock.advanceAndFire(1);
    assertTrue(queue.isDeleted());
    assertEquals(List.of(queue), fx.deleted);
  }

  @Test
  void anExplicitlyDeletedQueueDoesNotExpireLater() {
    done(queue.delete(false, false));

    fx.clock.advanceAndFire(5_000);

    assertEquals(List.of(), fx.deleted);
    assertEquals(0, fx.clock.pending());
  }

  @Test
  void aQueueWithoutExpiresArmsNoLease() {
    MessageQueue plain = fx.queue("plain");
    fx.clock.advanceAndFire(1_000_000);

    assertFalse(plain.isDeleted());
    assertEquals(1, fx.clock.scheduled(), "only the lease of the queue under test");
    done(plain.delete(false, false));
  }
}
