package dev.warren.queue;

import static dev.warren.queue.QueueFixture.counts;
import static dev.warren.queue.QueueFixture.done;
import static dev.warren.queue.Settings.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** x-message-ttl and the expiration property: what expires, when, and where it goes. */
class MessageTtlTest {
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

  @Test
  void queueTtlExpiresReadyMessagesAndDeadLettersThemOldestFirst() {
    MessageQueue queue = queue(settings().messageTtl(100).deadLettering());
    fx.publish(queue, 1, 2);
    fx.clock.advance(10);
    fx.publish(queue, 3, 3);

    fx.clock.advanceAndFire(89);
    assertEquals(List.of(), fx.deadLetters);
    assertEquals(3, queue.stats().ready());

    fx.clock.advanceAndFire(1);
    assertEquals(List.of("m1:expired", "m2:expired"), fx.deadLetters);
    assertEquals(1, queue.stats().ready());

    fx.clock.advanceAndFire(10);
    assertEquals(List.of("m1:expired", "m2:expired", "m3:expired"), fx.deadLetters);
    assertEquals(new QueueCounts(0, 0), counts(queue));
  }

  @Test
  void withoutADeadLetterExchangeExpiredMessagesAreDropped() {
    MessageQueue queue = queue(settings().messageTtl(100));
    List<Message> published = fx.publish(queue, 1, 2);

    fx.clock.advanceAndFire(100);

    assertEquals(List.of(), fx.deadLetters);
    assertEquals(0, published.get(0).refCnt());
    assertEquals(0, published.get(1).refCnt());
    assertEquals(new QueueCounts(0, 0), counts(queue));
  }

  @Test
  void aMessageExpiringInTheMiddleLeavesTheCountsWhenItsDeadlinePasses() {
    MessageQueue queue = queue(settings().deadLettering());
    fx.publish(queue, "m1", 0, -1);
    fx.publish(queue, "m2", 0, 50);
    fx.publish(queue, "m3", 0, -1);
    fx.publish(queue, "m4", 0, 80);
    assertEquals(4, queue.stats().ready());

    fx.clock.advanceAndFire(50);
    assertEquals(3, queue.stats().ready(), "no delivery needed to see it go");
    assertEquals(List.of("m2:expired"), fx.deadLetters);

    fx.clock.advanceAndFire(30);
    assertEquals(new QueueCounts(2, 0), counts(queue));
    assertEquals(List.of("m2:expired", "m4:expired"), fx.deadLetters);
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", RecordingConsumer.UNLIMITED));
    assertEquals(List.of("m1", "m3"), c.names());
  }

  @Test
  void theShorterOfQueueTtlAndExpirationApplies() {
    MessageQueue queue = queue(settings().messageTtl(100).deadLettering());
    fx.publish(queue, "long", 0, 500);
    fx.publish(queue, "short", 0, 20);
    fx.publish(queue, "none", 0, -1);

    fx.clock.advanceAndFire(20);
    assertEquals(List.of("short:expired"), fx.deadLetters);

    fx.clock.advanceAndFire(80);
    assertEquals(List.of("short:expired", "long:expired", "none:expired"), fx.deadLetters);
    assertEquals(0, queue.stats().ready());
  }

  @Test
  void expiryOrderFollowsDeadlinesNotQueueOrder() {
    MessageQueue queue = queue(settings().messageTtl(100).deadLettering());
    fx.publish(queue, "a", 0, -1);
    fx.clock.advance(10);
    fx.publish(queue, "b", 0, 30);
    fx.publish(queue, "c", 0, 10);

    fx.clock.advance(100);
    fx.clock.fireDue();

    assertEquals(List.of("c:expired", "b:expired", "a:expired"), fx.deadLetters);
  }

  @Test
  void anExpiredMessageIsNeverDeliveredEvenBeforeItsTimerFires() {
    MessageQueue queue = queue(settings().messageTtl(100).deadLettering());
    fx.publish(queue, 1, 1);
    fx.publish(queue, "short", 0, 10);
    fx.clock.advance(50);
    fx.publish(queue, 3, 3);
    fx.clock.advance(60);

    Delivery got = done(queue.get(true));
    assertEquals("m3", TrackedMessages.name(got.message()));
    got.message().release();
    assertEquals(List.of("m1:expired", "short:expired"), fx.deadLetters);
    assertNull(done(queue.get(true)));
  }

  @Test
  void countsLeaveOutMessagesPastTheirDeadlineEvenIfTheTimerIsLate() {
    MessageQueue queue = queue(settings().messageTtl(100));
    fx.publish(queue, 1, 3);

    fx.clock.advance(100);

    assertEquals(new QueueCounts(0, 0), counts(queue));
    assertEquals(0, queue.stats().ready());
  }

  @Test
  void consumersNeverReceiveExpiredMessages() {
    MessageQueue queue = queue(settings().deadLettering());
    fx.publish(queue, "a", 0, 10);
    fx.publish(queue, "b", 0, -1);
    fx.publish(queue, "c", 0, 10);
    fx.clock.advance(10);

    RecordingConsumer c = fx.consume(queue, fx.consumer("c", RecordingConsumer.UNLIMITED));

    assertEquals(List.of("b"), c.names());
    assertEquals(List.of("a:expired", "c:expired"), fx.deadLetters);
  }

  @Test
  void ttlZeroIsDeliveredWhenAConsumerHasRoomAndExpiresOtherwise() {
    MessageQueue queue = queue(settings().deadLettering());
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 1));

    fx.publish(queue, "now1", 0, 0);
    fx.publish(queue, "now2", 0, 0);

    assertEquals(List.of("now1"), c.names());
    assertEquals(List.of("now2:expired"), fx.deadLetters);
    assertEquals(new QueueCounts(0, 1), counts(queue));
  }

  @Test
  void queueTtlZeroDeliversOrExpiresAtOnce() {
    MessageQueue queue = queue(settings().messageTtl(0).deadLettering());
    fx.publish(queue, 1, 1);
    assertEquals(List.of("m1:expired"), fx.deadLetters);
    assertEquals(0, queue.stats().ready());

    RecordingConsumer c = fx.consume(queue, fx.consumer("c", RecordingConsumer.UNLIMITED));
    fx.publish(queue, 2, 3);

    assertEquals(List.of("m2", "m3"), c.names());
    assertEquals(List.of("m1:expired"), fx.deadLetters);
  }

  @Test
  void unackedMessagesDoNotExpire() {
    MessageQueue queue = queue(settings().messageTtl(100).deadLettering());
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 1));
    fx.publish(queue, 1, 2);

    fx.clock.advanceAndFire(1_000);

    assertEquals(List.of("m2:expired"), fx.deadLetters);
    queue.ack(new long[] {c.idOf("m1")}, 1);
    assertEquals(List.of("m2:expired"), fx.deadLetters);
  }

  @Test
  void aRequeuedMessageKeepsItsDeadline() {
    MessageQueue queue = queue(settings().messageTtl(100).deadLettering());
    fx.publish(queue, 1, 1);
    Delivery d = done(queue.get(false));
    d.message().release();
    fx.clock.advanceAndFire(60);

    queue.reject(new long[] {d.id()}, 1, true);
    assertEquals(1, queue.stats().ready());
    fx.clock.advanceAndFire(39);
    assertEquals(List.of(), fx.deadLetters);

    fx.clock.advanceAndFire(1);
    assertEquals(List.of("m1:expired"), fx.deadLetters);
    assertEquals(0, queue.stats().ready());
  }

  @Test
  void aMessageRequeuedPastItsDeadlineExpiresAtOnce() {
    MessageQueue queue = queue(settings().deadLettering());
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 1));
    fx.publish(queue, "m1", 0, 100);
    fx.clock.advanceAndFire(150);
    c.grant(1);

    queue.reject(new long[] {c.idOf("m1")}, 1, true);

    assertEquals(List.of("m1"), c.names(), "not delivered again");
    assertEquals(List.of("m1:expired"), fx.deadLetters);
    assertEquals(new QueueCounts(0, 1), counts(queue));
  }

  @Test
  void onlyOneTimerIsPendingWhateverTheOrderOfDeadlines() {
    MessageQueue queue = queue(settings().messageTtl(1_000).deadLettering());
    for (int i = 0; i < 50; i++) {
      fx.publish(queue, "m" + i, 0, 500 - 10 * i);
    }
    fx.publish(queue, "none", 0, -1);

    assertEquals(1, fx.clock.pending());
    assertEquals(1, fx.clock.mostPendingAtOnce());
    assertEquals(fx.clock.nowMillis() + 10, fx.clock.nextDue(), "armed for the earliest");

    fx.clock.advanceAndFire(1_000);
    assertEquals(51, fx.deadLetters.size());
    assertEquals("m49:expired", fx.deadLetters.get(0));
    assertEquals("none:expired", fx.deadLetters.get(50));
    assertEquals(1, fx.clock.mostPendingAtOnce());
  }

  @Test
  void aQueueWithoutTtlArmsNoTimer() {
    MessageQueue queue = queue(settings());
    fx.publish(queue, 1, 100);

    assertEquals(0, fx.clock.scheduled());
    assertEquals(100, queue.stats().ready());
  }

  @Test
  void purgeAndDeleteLeaveNoTimerThatDoesAnything() {
    MessageQueue queue = queue(settings().messageTtl(100).deadLettering());
    fx.publish(queue, 1, 2);

    assertEquals(2, done(queue.purge()));
    fx.publish(queue, 3, 3);
    done(queue.delete(false, false));
    fx.clock.advanceAndFire(1_000);

    assertEquals(List.of(), fx.deadLetters);
    assertEquals(0, fx.clock.pending());
  }

  @Test
  void prioritiesAndTtlTogether() {
    MessageQueue queue = queue(settings().maxPriority(3).messageTtl(100).deadLettering());
    fx.publish(queue, "low", 0, -1);
    fx.clock.advance(10);
    fx.publish(queue, "high", 3, -1);
    fx.publish(queue, "mid", 2, 5);

    fx.clock.advanceAndFire(5);
    assertEquals(List.of("mid:expired"), fx.deadLetters);
    fx.clock.advanceAndFire(85);
    assertEquals(List.of("mid:expired", "low:expired"), fx.deadLetters);
    assertEquals(1, queue.stats().ready());
    fx.clock.advanceAndFire(10);
    assertEquals(List.of("mid:expired", "low:expired", "high:expired"), fx.deadLetters);
    assertTrue(queue.stats().ready() == 0);
  }
}
