package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** basic.get / ack / nack / reject / recover, and where requeued messages go. */
class AcknowledgementTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void getReturnsMessagesInOrderWithTheRemainingCountThenGetEmpty() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 3);
    Channel ch = session.channel();
    for (int i = 1; i <= 3; i++) {
      GetResponse r = Messages.get(ch, q, true);
      assertEquals(Integer.toString(i), Messages.text(r.getBody()));
      assertEquals(3 - i, r.getMessageCount());
      assertFalse(r.getEnvelope().isRedeliver());
      assertEquals("", r.getEnvelope().getExchange());
      assertEquals(q, r.getEnvelope().getRoutingKey());
    }
    assertNull(ch.basicGet(q, true));
  }

  @Test
  void getAndPassiveDeclareCountReadyMessagesOnlyNotUnackedOnes() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 4);
    Channel ch = session.channel();
    assertEquals(3, Messages.get(ch, q, false).getMessageCount());
    assertEquals(2, Messages.get(ch, q, false).getMessageCount());
    assertEquals(2, Messages.readyCount(ch, q));
    ch.basicRecover(true);
    assertEquals(4, Messages.readyCount(ch, q));
  }

  @Test
  void ackedMessagesAreNotRedeliveredWhenTheChannelCloses() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 2);
    Channel ch = session.connection().createChannel();
    GetResponse first = Messages.get(ch, q, false);
    Messages.get(ch, q, false);
    ch.basicAck(first.getEnvelope().getDeliveryTag(), false);
    ch.close();
    assertEquals(List.of("2"), Messages.drain(session.channel(), q));
  }

  @Test
  void closingAChannelRequeuesUnackedMessagesInOrderAsRedelivered() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 3);
    Channel ch = session.connection().createChannel();
    for (int i = 0; i < 3; i++) {
      Messages.get(ch, q, false);
    }
    ch.close();
    Channel reader = session.channel();
    for (String expected : List.of("1", "2", "3")) {
      GetResponse r = Messages.get(reader, q, true);
      assertEquals(expected, Messages.text(r.getBody()));
      assertTrue(r.getEnvelope().isRedeliver());
    }
  }

  @Test
  void closingTheConnectionRequeuesUnackedMessages() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 2);
    var c = session.newConnection();
    Channel ch = c.createChannel();
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, false, consumer);
    consumer.next(2);
    c.close();
    assertEquals(List.of("1", "2"), Messages.drain(session.channel(), q));
  }

  @Test
  void ackWithMultipleAcknowledgesEverythingUpToTheTag() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 5);
    Channel ch = session.connection().createChannel();
    List<Long> tags = getAll(ch, q, 5);
    ch.basicAck(tags.get(2), true);
    ch.close();
    assertEquals(List.of("4", "5"), Messages.drain(session.channel(), q));
  }

  @Test
  void ackOfTagZeroWithMultipleAcknowledgesAllOutstanding() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 3);
    Channel ch = session.connection().createChannel();
    getAll(ch, q, 3);
    ch.basicAck(0, true);
    ch.close();
    assertEquals(List.of(), Messages.drain(session.channel(), q));
  }

  @Test
  void nackWithRequeuePutsMessagesBackAtTheirOriginalPositionAsRedelivered() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 5);
    Channel ch = session.channel();
    List<Long> tags = getAll(ch, q, 5);
    ch.basicNack(tags.get(1), false, true);
    ch.basicNack(tags.get(3), false, true);
    GetResponse two = Messages.get(ch, q, false);
    GetResponse four = Messages.get(ch, q, false);
    assertEquals("2", Messages.text(two.getBody()));
    assertTrue(two.getEnvelope().isRedeliver());
    assertEquals("4", Messages.text(four.getBody()));
    assertTrue(four.getEnvelope().isRedeliver());
    assertNull(ch.basicGet(q, false));
  }

  @Test
  void requeuedMessageGoesAheadOfMessagesNeverDelivered() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 5);
    Channel ch = session.channel();
    List<Long> tags = getAll(ch, q, 3);
    ch.basicReject(tags.get(1), true);
    List<String> order = new ArrayList<>();
    List<Boolean> redelivered = new ArrayList<>();
    for (GetResponse r = ch.basicGet(q, true); r != null; r = ch.basicGet(q, true)) {
      order.add(Messages.text(r.getBody()));
      redelivered.add(r.getEnvelope().isRedeliver());
    }
    assertEquals(List.of("2", "4", "5"), order);
    assertEquals(List.of(true, false, false), redelivered);
  }

  @Test
  void nackWithMultipleAndRequeueRestoresTheWholeRunInOrder() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 4);
    Channel ch = session.channel();
    List<Long> tags = getAll(ch, q, 4);
    ch.basicNack(tags.get(3), true, true);
    assertEquals(List.of("1", "2", "3", "4"), Messages.drain(ch, q));
  }

  @Test
  void rejectAndNackWithoutRequeueDiscard() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 3);
    Channel ch = session.channel();
    List<Long> tags = getAll(ch, q, 3);
    ch.basicReject(tags.get(0), false);
    ch.basicNack(tags.get(2), true, false);
    ch.close();
    assertEquals(List.of(), Messages.drain(session.connection().createChannel(), q));
  }

  @Test
  void rejectWithRequeueRedeliversToTheConsumerWithRedeliveredFlag() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.connection().createChannel();
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, false, consumer);
    session.publish(q, "again");
    Delivery first = consumer.next();
    assertFalse(first.getEnvelope().isRedeliver());
    ch.basicReject(first.getEnvelope().getDeliveryTag(), true);
    Delivery second = consumer.next();
    assertEquals("again", Messages.text(second.getBody()));
    assertTrue(second.getEnvelope().isRedeliver());
  }

  @Test
  void ackOfUnknownDeliveryTagIsPreconditionFailed() {
    Channel ch = session.channel();
    assertEquals(
        AMQP.PRECONDITION_FAILED, AmqpErrors.channelErrorCode(ch, () -> ch.basicAck(42, false)));
  }

  @Test
  void doubleAckIsPreconditionFailed() throws Exception {
    String q = session.declareQueue();
    session.publish(q, "m");
    Channel ch = session.channel();
    long tag = Messages.get(ch, q, false).getEnvelope().getDeliveryTag();
    ch.basicAck(tag, false);
    assertEquals(
        AMQP.PRECONDITION_FAILED, AmqpErrors.channelErrorCode(ch, () -> ch.basicAck(tag, false)));
  }

  @Test
  void ackOnAnotherChannelIsPreconditionFailed() throws Exception {
    String q = session.declareQueue();
    session.publish(q, "m");
    long tag = Messages.get(session.channel(), q, false).getEnvelope().getDeliveryTag();
    Channel other = session.connection().createChannel();
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(other, () -> other.basicAck(tag, false)));
  }

  @Test
  void nackAndRejectOfUnknownDeliveryTagArePreconditionFailed() throws Exception {
    Channel a = session.connection().createChannel();
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(a, () -> a.basicNack(7, false, true)));
    Channel b = session.connection().createChannel();
    assertEquals(
        AMQP.PRECONDITION_FAILED, AmqpErrors.channelErrorCode(b, () -> b.basicReject(7, false)));
  }

  @Test
  void ackOfAutoAckedDeliveryIsPreconditionFailed() throws Exception {
    String q = session.declareQueue();
    session.publish(q, "m");
    Channel ch = session.channel();
    long tag = Messages.get(ch, q, true).getEnvelope().getDeliveryTag();
    assertEquals(
        AMQP.PRECONDITION_FAILED, AmqpErrors.channelErrorCode(ch, () -> ch.basicAck(tag, false)));
  }

  @Test
  void recoverWithRequeueRedeliversUnackedMessagesAsRedelivered() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 3);
    Channel ch = session.connection().createChannel();
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, false, consumer);
    List<Delivery> first = consumer.next(3);
    ch.basicAck(first.get(0).getEnvelope().getDeliveryTag(), false);
    ch.basicRecover(true);
    List<Delivery> again = consumer.next(2);
    assertEquals(List.of("2", "3"), again.stream().map(d -> Messages.text(d.getBody())).toList());
    assertTrue(again.stream().allMatch(d -> d.getEnvelope().isRedeliver()));
    consumer.assertNoDelivery();
  }

  @Test
  void recoverAsyncRedeliversUnackedMessages() throws Exception {
    String q = session.declareQueue();
    session.publish(q, "m");
    Channel ch = session.connection().createChannel();
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, false, consumer);
    assertFalse(consumer.next().getEnvelope().isRedeliver());
    ch.asyncRpc(new AMQP.Basic.RecoverAsync.Builder().requeue(true).build());
    Delivery again = consumer.next();
    assertEquals("m", Messages.text(again.getBody()));
    assertTrue(again.getEnvelope().isRedeliver());
  }

  /** RabbitMQ 3.x does not implement basic.recover with requeue=false: 540, a connection error. */
  @Test
  void recoverWithoutRequeueIsNotImplemented() {
    Channel ch = session.channel();
    assertEquals(
        AMQP.NOT_IMPLEMENTED, AmqpErrors.connectionErrorCode(ch, () -> ch.basicRecover(false)));
  }

  @Test
  void unackedMessagesGoToAnotherConsumerWhenTheFirstChannelCloses() throws Exception {
    String q = session.declareQueue();
    Channel first = session.connection().createChannel();
    RecordingConsumer c1 = new RecordingConsumer(first);
    first.basicConsume(q, false, c1);
    session.publish(q, "handed over");
    c1.next();
    Channel second = session.connection().createChannel();
    RecordingConsumer c2 = new RecordingConsumer(second);
    second.basicConsume(q, false, c2);
    c2.assertNoDelivery();
    first.close();
    Delivery d = c2.next();
    assertEquals("handed over", Messages.text(d.getBody()));
    assertTrue(d.getEnvelope().isRedeliver());
  }

  private static List<Long> getAll(Channel ch, String q, int n) throws Exception {
    List<Long> tags = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tags.add(Messages.get(ch, q, false).getEnvelope().getDeliveryTag());
    }
    return tags;
  }

  @Test
  void getAnsweredAfterItsChannelClosedLeavesTheMessageInTheQueue() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 1);
    for (int round = 0; round < 20; round++) {
      Channel ch = session.connection().createChannel();
      ch.asyncRpc(new AMQP.Basic.Get.Builder().queue(q).noAck(false).build());
      ch.close();
      Poll.until(
          Duration.ofSeconds(5),
          () -> Messages.readyCount(session.channel(), q) == 1,
          "the message back in the queue");
    }
    assertEquals(List.of("1"), Messages.drain(session.channel(), q));
  }
}
