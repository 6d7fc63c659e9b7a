package dev.warren.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A live queue takes new settings (what a policy change does), and publishes its figures for
 * readers elsewhere without a round trip through its mailbox.
 */
class QueueLiveSettingsTest {
  private final QueueFixture fixture = new QueueFixture();

  @Test
  void aLowerMaxLengthDropsTheOldestReadyMessagesAtOnce() {
    MessageQueue queue = fixture.queue("q");
    fixture.publish(queue, 1, 10);
    queue.applySettings(Settings.settings().maxLength(3).build());
    assertEquals(3, queue.stats().ready());
    RecordingConsumer consumer = fixture.consume(queue, fixture.consumer("c", 10));
    assertEquals(List.of("m8", "m9", "m10"), consumer.names());
  }

  @Test
  void aNewMessageTtlAppliesToMessagesPublishedFromNowOn() {
    MessageQueue queue = fixture.queue("q");
    fixture.publish(queue, 1, 2);
    queue.applySettings(Settings.settings().messageTtl(1_000).build());
    fixture.publish(queue, 3, 4);
    fixture.clock.advanceAndFire(1_001);
    assertEquals(2, queue.stats().ready(), "m3 and m4 expired; m1 and m2 had no TTL");
    RecordingConsumer consumer = fixture.consume(queue, fixture.consumer("c", 10));
    assertEquals(List.of("m1", "m2"), consumer.names());
  }

  @Test
  void anExpiresSetOnAnIdleQueueDeletesItOnceTheLeaseRunsOut() {
    MessageQueue queue = fixture.queue("q");
    queue.applySettings(Settings.settings().expires(5_000).build());
    fixture.clock.advanceAndFire(4_999);
    assertTrue(fixture.deleted.isEmpty());
    fixture.clock.advanceAndFire(2);
    assertEquals(List.of(queue), fixture.deleted);
    assertTrue(queue.isDeleted());
  }

  @Test
  void aDeadLetterExchangeSetLiveReceivesWhatIsRejectedFromNowOn() {
    MessageQueue queue = fixture.queue("q");
    fixture.publish(queue, 1, 2);
    RecordingConsumer consumer = fixture.consume(queue, fixture.consumer("c", 10));
    queue.reject(new long[] {consumer.idOf("m1")}, 1, false);
    queue.applySettings(Settings.settings().deadLettering().build());
    queue.reject(new long[] {consumer.idOf("m2")}, 1, false);
    assertEquals(List.of("m2:rejected"), fixture.deadLetters);
  }

  @Test
  void prioritiesCannotChangeOnALiveQueue() {
    MessageQueue queue = fixture.queue("q");
    queue.applySettings(Settings.settings().maxPriority(5).messageTtl(7).build());
    assertEquals(0, queue.settings().maxPriority(), "kept");
    assertEquals(7, queue.settings().messageTtlMillis(), "the rest applied");
  }

  @Test
  void statsFollowEveryChangeWithoutAskingTheQueue() {
    MessageQueue queue = fixture.queue("q");
    QueueStats empty = queue.stats();
    assertEquals(0, empty.messages());
    fixture.publish(queue, 1, 5);
    RecordingConsumer consumer = fixture.consume(queue, fixture.consumer("c", 2));
    QueueStats stats = queue.stats();
    assertEquals(3, stats.ready());
    assertEquals(2, stats.unacked());
    assertEquals(1, stats.consumers());
    assertEquals(5, stats.published());
    assertEquals(2, stats.delivered());
    assertEquals(QueueStats.State.RUNNING, stats.state());
    assertTrue(stats.readyBytes() > 0 && stats.unackedBytes() > 0);

    queue.ack(new long[] {consumer.idOf("m1")}, 1);
    queue.reject(new long[] {consumer.idOf("m2")}, 1, true);
    consumer.grant(1);
    queue.resume();
    stats = queue.stats();
    assertEquals(1, stats.acked());
    assertEquals(1, stats.redelivered(), "m2 went back out, redelivered");
    assertEquals(4, stats.messages(), "m2 to m5 are still held");
    assertEquals(1, stats.unacked());
    assertSame(stats, queue.stats(), "nothing changed: the same snapshot");
  }

  @Test
  void aQueueCountsWhatItHoldsInTheMemoryLedgerAndGivesItAllBackWhenDeleted() {
    MessageQueue queue = fixture.queue("q");
    assertEquals(MemoryLedger.QUEUE, fixture.ledger.bytes(), "an empty queue");
    fixture.publish(queue, 1, 10);
    RecordingConsumer consumer = fixture.consume(queue, fixture.consumer("c", 4));
    assertEquals(
        MemoryLedger.QUEUE + 6 * MemoryLedger.READY_ENTRY + 4 * MemoryLedger.UNACKED_ENTRY,
        fixture.ledger.bytes());
    queue.ack(new long[] {consumer.idOf("m1"), consumer.idOf("m2")}, 2);
    assertEquals(
        MemoryLedger.QUEUE + 6 * MemoryLedger.READY_ENTRY + 2 * MemoryLedger.UNACKED_ENTRY,
        fixture.ledger.bytes());
    queue.delete(false, false);
    assertEquals(0, fixture.ledger.bytes(), "nothing left once deleted");
  }
}
