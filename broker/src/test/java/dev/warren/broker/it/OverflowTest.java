package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * x-max-length / x-max-length-bytes and x-overflow: drop-head (the default), reject-publish
 * (basic.nack to a confirming publisher) and reject-publish-dlx (nack and dead-letter). The basic
 * drop-head and reject-publish cases are in {@link QueueArgumentsTest}.
 */
class OverflowTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void unackedMessagesDoNotCountTowardsMaxLength() throws Exception {
    String q = session.declareQueue(Map.of("x-max-length", 1));
    session.publish(q, "held");
    Channel holder = session.connection().createChannel();
    Messages.get(holder, q, false);
    session.publish(q, "ready");
    assertEquals(1, Messages.readyCount(session.channel(), q));
    assertEquals(List.of("ready"), Messages.drain(session.channel(), q));
  }

  @Test
  void maxLengthZeroDropsEveryMessage() throws Exception {
    String q = session.declareQueue(Map.of("x-max-length", 0));
    session.publish(q, "a", "b");
    assertEquals(List.of(), Messages.drain(session.channel(), q));
  }

  @Test
  void dropHeadAcksEveryPublish() throws Exception {
    String q = session.declareQueue(Map.of("x-max-length", 1, "x-overflow", "drop-head"));
    PublishOutcomes outcomes = PublishOutcomes.attach(session.connection().createChannel());
    long first = outcomes.nextSeqNo();
    Messages.publish(outcomes.channel(), q, "1", "2");
    assertEquals(List.of("ack " + first, "ack " + (first + 1)), outcomes.awaitConfirms());
    assertEquals(List.of("2"), Messages.drain(session.channel(), q));
  }

  @Test
  void rejectPublishCountsBytesAndAcceptsASmallerMessageLater() throws Exception {
    String q =
        session.declareQueue(Map.of("x-max-length-bytes", 5, "x-overflow", "reject-publish"));
    PublishOutcomes outcomes = PublishOutcomes.attach(session.connection().createChannel());
    long first = outcomes.nextSeqNo();
    Messages.publish(outcomes.channel(), q, "1234", "56", "7");
    assertEquals(
        List.of("ack " + first, "nack " + (first + 1), "ack " + (first + 2)),
        outcomes.awaitConfirms());
    assertEquals(List.of("1234", "7"), Messages.drain(session.channel(), q));
  }

  @Test
  void rejectPublishToAFullQueueIsNackedEvenWhenAnotherQueueTookTheMessage() throws Exception {
    Channel ch = session.channel();
    String full = session.declareQueue(Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
    String free = session.declareQueue();
    String x = session.declareExchange("fanout");
    ch.queueBind(full, x, "");
    ch.queueBind(free, x, "");
    PublishOutcomes outcomes = PublishOutcomes.attach(session.connection().createChannel());
    long seq = outcomes.nextSeqNo();
    outcomes.channel().basicPublish(x, "", true, null, Messages.bytes("m"));
    assertEquals(List.of("nack " + seq), outcomes.awaitConfirms());
    assertEquals(List.of(), outcomes.returns(), "routed, so not returned");
    assertEquals(List.of("m"), Messages.drain(ch, free));
  }

  @Test
  void mandatoryPublishRejectedByAFullQueueIsNackedNotReturned() throws Exception {
    String q = session.declareQueue(Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
    PublishOutcomes outcomes = PublishOutcomes.attach(session.connection().createChannel());
    long seq = outcomes.nextSeqNo();
    outcomes.channel().basicPublish("", q, true, null, Messages.bytes("m"));
    assertEquals(List.of("nack " + seq), outcomes.awaitConfirms());
    assertEquals(List.of(), outcomes.returns(), "routed, so not returned");
  }

  @Test
  void rejectPublishWithoutConfirmsDropsSilentlyAndKeepsTheChannelOpen() throws Exception {
    String q = session.declareQueue(Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
    Channel ch = session.connection().createChannel();
    Messages.publish(ch, q, "kept", "dropped");
    Poll.until(Duration.ofSeconds(5), () -> Messages.readyCount(ch, q) > 0, "the first publish");
    Poll.letTimePass(RecordingConsumer.QUIET);
    assertTrue(ch.isOpen());
    assertEquals(List.of("kept"), Messages.drain(ch, q));
  }

  @Test
  void rejectPublishDoesNotDeadLetter() throws Exception {
    String dlq = session.declareQueue();
    String q =
        session.declareQueue(
            Map.of(
                "x-max-length",
                1,
                "x-overflow",
                "reject-publish",
                "x-dead-letter-exchange",
                "",
                "x-dead-letter-routing-key",
                dlq));
    PublishOutcomes outcomes = PublishOutcomes.attach(session.connection().createChannel());
    Messages.publish(outcomes.channel(), q, "kept", "refused");
    outcomes.awaitConfirms();
    assertEquals(List.of(), Messages.drain(session.channel(), dlq));
    assertEquals(List.of("kept"), Messages.drain(session.channel(), q));
  }

  @Test
  void rejectPublishDlxNacksAndDeadLettersTheRefusedMessageWithReasonMaxlen() throws Exception {
    String dlq = session.declareQueue();
    String q =
        session.declareQueue(
            Map.of(
                "x-max-length",
                1,
                "x-overflow",
                "reject-publish-dlx",
                "x-dead-letter-exchange",
                "",
                "x-dead-letter-routing-key",
                dlq));
    PublishOutcomes outcomes = PublishOutcomes.attach(session.connection().createChannel());
    long first = outcomes.nextSeqNo();
    Messages.publish(outcomes.channel(), q, "kept", "refused");
    assertEquals(List.of("ack " + first, "nack " + (first + 1)), outcomes.awaitConfirms());
    GetResponse dead = Messages.await(session.channel(), dlq, true);
    assertEquals("refused", Messages.text(dead.getBody()));
    List<?> deaths = assertInstanceOf(List.class, dead.getProps().getHeaders().get("x-death"));
    Map<?, ?> death = assertInstanceOf(Map.class, deaths.get(0));
    assertEquals("maxlen", death.get("reason").toString());
    assertEquals(q, death.get("queue").toString());
    assertEquals(List.of("kept"), Messages.drain(session.channel(), q));
  }

  @Test
  void invalidOverflowIsPreconditionFailed() throws Exception {
    for (Object bad : new Object[] {"bogus", 5}) {
      String q = session.queueName();
      Channel ch = session.connection().createChannel();
      assertEquals(
          AMQP.PRECONDITION_FAILED,
          AmqpErrors.channelErrorCode(
              ch, () -> ch.queueDeclare(q, false, false, false, Map.of("x-overflow", bad))),
          () -> "x-overflow " + bad);
    }
  }

  @Test
  void negativeMaxLengthIsPreconditionFailed() throws Exception {
    for (String key : List.of("x-max-length", "x-max-length-bytes")) {
      String q = session.queueName();
      Channel ch = session.connection().createChannel();
      assertEquals(
          AMQP.PRECONDITION_FAILED,
          AmqpErrors.channelErrorCode(
              ch, () -> ch.queueDeclare(q, false, false, false, Map.of(key, -1))),
          key);
    }
  }
}
