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
  void aNewMessageTtlExpiresTheMessagesAlreadyQueuedByTheirAge() {
    MessageQueue queue = fixture.queue("q");
    fixture.publish(queue, 1, 2);
    fixture.clock.advance(600);
    fixture.publish(queue, 3, 4);
    queue.applySettings(Settings.settings().messageTtl(1_000).deadLettering().build());
    assertEquals(4, queue.stats().ready(), "none is 1,000 ms old yet");
    fixture.clock.advanceAndFire(400);
    assertEquals(List.of("m1:expired", "m2:expired"), fixture.deadLetters);
    assertEquals(2, queue.stats().ready());
    fixture.clock.advanceAndFire(600);
    assertEquals(
        List.of("m1:expired", "m2:expired", "m3:expired", "m4:expired"), fixture.deadLetters);
    assertEquals(0, queue.stats().ready());
  }

  @Test
  void aShorterTtlExpiresMessagesOlderThanItAtOnce() {
    MessageQueue queue = fixture.queue("q", Settings.settings().messageTtl(60_000).build());
    fixture.publish(queue, 1, 3);
    fixture.clock.advance(5_000);
    fixture.publish(queue, 4, 4);
    queue.applySettings(Settings.settings().messageTtl(1_000).build());
    assertEquals(1, queue.stats().ready(), "m1 to m3 are 5 s old: gone before anything else runs");
    RecordingConsumer consumer = fixture.consume(queue, fixture.consumer("c", 10));
    assertEquals(List.of("m4"), consumer.names());
  }

  @Test
  void aLongerTtlOrNoneKeepsMessagesTheOldOneWouldHaveExpired() {
    MessageQueue longer = fixture.queue("longer", Settings.settings().messageTtl(1_000).build());
    MessageQueue none = fixture.queue("none", Settings.settings().messageTtl(1_000).build());
    fixture.publish(longer, 1, 2);
    fixture.publish(none, 1, 2);
    longer.applySettings(Settings.settings().messageTtl(5_000).build());
    none.applySettings(Settings.settings().build());
    fixture.clock.advanceAndFire(4_999);
    assertEquals(2, longer.stats().ready());
    assertEquals(2, none.stats().ready());
    fixture.clock.advanceAndFire(1);
    assertEquals(0, longer.stats().ready(), "5 s after they were published");
    fixture.clock.advanceAndFire(60_000);
    assertEquals(2, none.stats().ready(), "no TTL any more");
  }

  @Test
  void aMessagesOwnExpirationStillAppliesAfterTheTtlChanges() {
    MessageQueue queue = fixture.queue("q", Settings.settings().messageTtl(1_000).build());
    fixture.publish(queue, "own", 0, 3_000);
    fixture.publish(queue, "plain", 0, -1);
    queue.applySettings(Settings.settings().build());
    fixture.clock.advanceAndFire(3_000);
    RecordingConsumer consumer = fixture.consume(queue, fixture.consumer("c", 10));
    assertEquals(List.of("plain"), consumer.names(), "'own' expired by its own 3 s expiration");
  }

  @Test
  void anUnackedMessageRequeuedAfterAShorterTtlExpiresIfOlderThanIt() {
    MessageQueue queue =
        fixture.queue("q", Settings.settings().messageTtl(60_000).deadLettering().build());
    fixture.publish(queue, 1, 2);
    RecordingConsumer consumer = fixture.consume(queue, fixture.consumer("c", 1));
    fixture.clock.advance(5_000);
    queue.applySettings(Settings.settings().messageTtl(1_000).deadLettering().build());
    assertEquals(List.of("m2:expired"), fixture.deadLetters, "m2 was ready and 5 s old");
    queue.reject(new long[] {consumer.idOf("m1")}, 1, true);
    assertEquals(List.of("m2:expired", "m1:expired"), fixture.deadLetters);
    assertEquals(0, queue.stats().messages());
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
