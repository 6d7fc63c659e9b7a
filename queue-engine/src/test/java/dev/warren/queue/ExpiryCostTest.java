package dev.warren.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Message TTL at scale: a million ready messages, half expiring by the queue's TTL and half by
 * their own shorter, shuffled expirations. Only one timer is ever pending, and each expiry step
 * examines a number of entries proportional to the messages it expires (heap sifts, O(log n) each,
 * come on top); compactions of expired entries left in the middle are amortized over all expiries.
 * Work is counted, not timed.
 */
class ExpiryCostTest {
  private static final int MESSAGES = 1_000_000;
  private static final long QUEUE_TTL = 2_000_000;

  private final ManualScheduler clock = new ManualScheduler();
  private int deadLettered;

  private MessageQueue queue() {
    QueueSettings settings = Settings.settings().messageTtl(QUEUE_TTL).deadLettering().build();
    return new MessageQueue(
        new QueueDefinition("big", false, false, false, Map.of()),
        settings,
        null,
        new QueueServices(
            Runnable::run,
            () -> true,
            clock,
            (from, message, reason, stored) -> {
              assertEquals(DeadLetterSink.Reason.EXPIRED, reason);
              deadLettered++;
              message.release();
              stored.settle(true);
            },
            q -> {}));
  }

  /** Empty buffers cost nothing to allocate and their release is a no-op; the count is checked. */
  private static Message message(long expiration) {
    return new Message(
        "ex", "rk", Unpooled.EMPTY_BUFFER, Unpooled.EMPTY_BUFFER, false, 0, expiration);
  }

  @Test
  void aMillionMessagesExpireWithOneTimerAndWorkProportionalToWhatExpires() {
    MessageQueue queue = queue();
    Message[] messages = new Message[MESSAGES];
    for (int i = 0; i < MESSAGES; i++) {
      long own = i % 2 == 0 ? (i * 7919L) % 1_000_000 + 1 : -1;
      messages[i] = message(own);
      queue.publish(messages[i], null);
      if (i % 1_000 == 999) {
        clock.advance(1);
      }
    }
    assertEquals(MESSAGES, queue.stats().ready());
    assertEquals(1, clock.mostPendingAtOnce(), "never two timers");
    assertTrue(
        clock.scheduled() < 100, "re-armed only for a new earliest deadline: " + clock.scheduled());

    int steps = 0;
    long biggestStep = 0;
    while (queue.stats().ready() > 0) {
      long due = clock.nextDue();
      assertTrue(due >= 0, "a timer is armed while messages wait");
      clock.advance(due - clock.nowMillis());
      int before = queue.stats().ready();
      long work = queue.messages().expiryWork();

      clock.fireDue();

      int expired = before - queue.stats().ready();
      long examined = queue.messages().expiryWork() - work;
      assertTrue(expired > 0, "a timer fires only when something is due");
      assertTrue(
          examined <= 4L * expired + 8,
          "step " + steps + ": examined " + examined + " to expire " + expired);
      assertTrue(clock.pending() <= 1);
      biggestStep = Math.max(biggestStep, expired);
      steps++;
    }

    assertEquals(MESSAGES, deadLettered);
    assertEquals(1, clock.mostPendingAtOnce());
    assertTrue(
        queue.messages().expiryCompactionWork() <= 2L * MESSAGES,
        "compactions: " + queue.messages().expiryCompactionWork());
    assertTrue(steps > 1_000 && biggestStep < MESSAGES / 2, "expired in many small steps");
    assertEquals(0, clock.pending(), "nothing left to time");
    for (Message m : messages) {
      assertEquals(0, m.refCnt());
    }
  }
}
