package dev.warren.queue;

import static dev.warren.queue.QueueFixture.counts;
import static dev.warren.queue.QueueFixture.done;
import static dev.warren.queue.Settings.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warren.queue.QueueSettings.Overflow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** x-max-length, x-max-length-bytes and x-overflow; every body here is 2 bytes ("m1"). */
class LengthLimitTest {
  private final QueueFixture fx = new QueueFixture();
  private final List<MessageQueue> queues = new ArrayList<>();
  private final List<String> settled = new ArrayList<>();

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

  private void publishConfirmed(MessageQueue queue, int from, int to) {
    for (Message m : fx.messages.messages(from, to)) {
      String name = TrackedMessages.name(m);
      queue.publish(m, accepted -> settled.add(name + (accepted ? ":ack" : ":nack")));
    }
  }

  @Test
  void dropHeadDeadLettersTheOldestReadyMessages() {
    MessageQueue queue = queue(settings().maxLength(2).deadLettering());

    publishConfirmed(queue, 1, 4);

    assertEquals(List.of("m1:maxlen", "m2:maxlen"), fx.deadLetters);
    assertEquals(List.of("m1:ack", "m2:ack", "m3:ack", "m4:ack"), settled);
    assertEquals(new QueueCounts(2, 0), counts(queue));
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", RecordingConsumer.UNLIMITED));
    assertEquals(List.of("m3", "m4"), c.names());
  }

  @Test
  void dropHeadWithoutDeadLetterExchangeDrops() {
    MessageQueue queue = queue(settings().maxLength(1));
    List<Message> published = fx.publish(queue, 1, 3);

    assertEquals(List.of(), fx.deadLetters);
    assertEquals(0, published.get(0).refCnt());
    assertEquals(0, published.get(1).refCnt());
    assertEquals(1, queue.stats().ready());
  }

  @Test
  void maxLengthBytesCountsBodyBytes() {
    MessageQueue queue = queue(settings().maxLengthBytes(5).deadLettering());

    fx.publish(queue, 1, 4);

    assertEquals(List.of("m1:maxlen", "m2:maxlen"), fx.deadLetters);
    assertEquals(2, queue.stats().ready(), "4 bytes fit in 5, 6 do not");
  }

  @Test
  void unackedMessagesDoNotCountAgainstTheLimit() {
    MessageQueue queue = queue(settings().maxLength(1).deadLettering());
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 2));

    fx.publish(queue, 1, 5);

    assertEquals(List.of("m1", "m2"), c.names());
    assertEquals(List.of("m3:maxlen", "m4:maxlen"), fx.deadLetters);
    assertEquals(new QueueCounts(1, 1), counts(queue));
  }

  @Test
  void maxLengthZeroKeepsNothingButAConsumerWithRoomStillReceives() {
    MessageQueue queue = queue(settings().maxLength(0).deadLettering());
    fx.publish(queue, 1, 1);
    assertEquals(List.of("m1:maxlen"), fx.deadLetters);
    assertEquals(0, queue.stats().ready());

    RecordingConsumer c = fx.consume(queue, fx.consumer("c", 1));
    fx.publish(queue, 2, 3);

    assertEquals(List.of("m2"), c.names());
    assertEquals(List.of("m1:maxlen", "m3:maxlen"), fx.deadLetters);
  }

  @Test
  void rejectPublishRefusesAtTheLimitAndNacks() {
    MessageQueue queue =
        queue(settings().maxLength(2).overflow(Overflow.REJECT_PUBLISH).deadLettering());

    publishConfirmed(queue, 1, 3);

    assertEquals(List.of("m1:ack", "m2:ack", "m3:nack"), settled);
    assertEquals(List.of(), fx.deadLetters, "reject-publish does not dead-letter");
    assertEquals(2, queue.stats().ready());
    done(queue.get(true)).message().release();
    publishConfirmed(queue, 4, 4);
    assertEquals("m4:ack", settled.get(3));
  }

  @Test
  void rejectPublishDlxDeadLettersTheRefusedMessage() {
    MessageQueue queue =
        queue(settings().maxLength(1).overflow(Overflow.REJECT_PUBLISH_DLX).deadLettering());

    publishConfirmed(queue, 1, 3);

    assertEquals(List.of("m1:ack", "m2:nack", "m3:nack"), settled);
    assertEquals(List.of("m2:maxlen", "m3:maxlen"), fx.deadLetters);
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", RecordingConsumer.UNLIMITED));
    assertEquals(List.of("m1"), c.names());
  }

  @Test
  void rejectPublishCountsTheBytesOfTheNewMessage() {
    MessageQueue queue = queue(settings().maxLengthBytes(5).overflow(Overflow.REJECT_PUBLISH));

    publishConfirmed(queue, 1, 3);

    assertEquals(List.of("m1:ack", "m2:ack", "m3:nack"), settled);
  }

  @Test
  void rejectPublishLetsUnackedMessagesBe() {
    MessageQueue queue = queue(settings().maxLength(1).overflow(Overflow.REJECT_PUBLISH));
    fx.consume(queue, fx.consumer("c", 2));

    publishConfirmed(queue, 1, 4);

    assertEquals(List.of("m1:ack", "m2:ack", "m3:ack", "m4:nack"), settled);
  }

  @Test
  void expiredMessagesNoLongerCountAgainstTheLimit() {
    MessageQueue queue =
        queue(settings().maxLength(1).overflow(Overflow.REJECT_PUBLISH).messageTtl(10));
    publishConfirmed(queue, 1, 1);
    fx.clock.advance(10);

    publishConfirmed(queue, 2, 2);

    assertEquals(List.of("m1:ack", "m2:ack"), settled);
  }

  @Test
  void aTtlZeroMessageThatCannotBeDeliveredDropsNothingOlder() {
    MessageQueue queue = queue(settings().maxLength(1).deadLettering());
    fx.publish(queue, 1, 1);

    fx.publish(queue, "now", 0, 0);

    assertEquals(List.of("now:expired"), fx.deadLetters);
    RecordingConsumer c = fx.consume(queue, fx.consumer("c", RecordingConsumer.UNLIMITED));
    assertEquals(List.of("m1"), c.names());
  }
}
