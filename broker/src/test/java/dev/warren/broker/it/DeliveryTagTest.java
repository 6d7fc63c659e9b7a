package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which delivery tags basic.ack, nack and reject may name, as RabbitMQ decides: the tag itself must
 * be unacknowledged on the channel (with multiple too, which then also settles every unacknowledged
 * tag below it), except tag 0 with multiple, which settles everything outstanding, if anything.
 * Anything else closes the channel with 406 "unknown delivery tag".
 */
class DeliveryTagTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  /** A queue with {@code n} messages, fetched unacked on {@code ch} as tags 1..n. */
  private String fetched(Channel ch, int n) throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, n);
    for (int i = 1; i <= n; i++) {
      assertEquals(i, Messages.get(ch, q, false).getEnvelope().getDeliveryTag());
    }
    return q;
  }

  private static void assertUnknownTag(Channel ch, long tag, AmqpErrors.BrokerAction action) {
    AMQP.Channel.Close close = AmqpErrors.channelClose(ch, action);
    assertEquals(AMQP.PRECONDITION_FAILED, close.getReplyCode());
    assertEquals("PRECONDITION_FAILED - unknown delivery tag " + tag, close.getReplyText());
  }

  @Test
  void multipleOverAGapOfAckedTagsSettlesTheUnackedOnesBelowAnUnackedTag() throws Exception {
    Channel ch = session.channel();
    String q = fetched(ch, 3);
    ch.basicAck(2, false);
    ch.basicNack(3, true, true);
    ch.close();
    assertEquals(List.of("1", "3"), Messages.drain(session.publisher(), q));
  }

  @Test
  void multipleNamingAnAlreadyAckedTagIsPreconditionFailed() throws Exception {
    Channel ackCh = session.connection().createChannel();
    fetched(ackCh, 3);
    ackCh.basicAck(2, false);
    assertUnknownTag(ackCh, 2, () -> ackCh.basicAck(2, true));

    Channel nackCh = session.connection().createChannel();
    fetched(nackCh, 3);
    nackCh.basicAck(1, false);
    nackCh.basicAck(2, false);
    assertUnknownTag(nackCh, 2, () -> nackCh.basicNack(2, true, true));
  }

  @Test
  void tagZeroWithMultipleSettlesEverythingOutstandingEvenIfNothingIs() throws Exception {
    Channel fresh = session.connection().createChannel();
    fresh.basicAck(0, true);
    fresh.basicNack(0, true, true);
    Channel ch = session.channel();
    String q = fetched(ch, 2);
    ch.basicAck(0, true);
    ch.basicAck(0, true);
    ch.close();
    assertEquals(0, Messages.readyCount(session.publisher(), q));
    assertTrue(fresh.isOpen());
  }

  @Test
  void tagZeroWithoutMultipleIsPreconditionFailed() throws Exception {
    Channel ch = session.channel();
    fetched(ch, 1);
    assertUnknownTag(ch, 0, () -> ch.basicAck(0, false));
  }

  @Test
  void aTagAboveTheLastDeliveredIsPreconditionFailedWithMultipleToo() throws Exception {
    Channel ackCh = session.connection().createChannel();
    fetched(ackCh, 1);
    assertUnknownTag(ackCh, 5, () -> ackCh.basicAck(5, true));
    Channel nackCh = session.connection().createChannel();
    fetched(nackCh, 1);
    assertUnknownTag(nackCh, 5, () -> nackCh.basicNack(5, true, false));
  }

  @Test
  void multipleNamingAnAutoAckedTagIsPreconditionFailedButMayCoverOne() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 5);
    Channel ch = session.channel();
    assertEquals(1, Messages.get(ch, q, true).getEnvelope().getDeliveryTag());
    assertEquals(2, Messages.get(ch, q, false).getEnvelope().getDeliveryTag());
    assertEquals(3, Messages.get(ch, q, true).getEnvelope().getDeliveryTag());
    assertEquals(4, Messages.get(ch, q, false).getEnvelope().getDeliveryTag());
    ch.basicAck(4, true);
    assertUnknownTag(ch, 3, () -> ch.basicAck(3, true));
  }

  @Test
  void rejectingAnAckedTagIsPreconditionFailed() throws Exception {
    Channel ch = session.channel();
    fetched(ch, 2);
    ch.basicAck(1, false);
    assertUnknownTag(ch, 1, () -> ch.basicReject(1, true));
  }
}
