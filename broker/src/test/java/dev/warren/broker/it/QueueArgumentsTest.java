package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Queue arguments applications rely on: TTLs, length limits, priorities, queue expiry. */
class QueueArgumentsTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void queueMessageTtlExpiresMessages() throws Exception {
    String q = session.declareQueue(Map.of("x-message-ttl", 200));
    session.publish(q, "short-lived");
    awaitEmpty(q);
  }

  @Test
  void perMessageExpirationExpiresOnlyThatMessage() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.publisher();
    ch.basicPublish(
        "",
        q,
        new AMQP.BasicProperties.Builder().expiration("300").build(),
        Messages.bytes("short"));
    ch.basicPublish("", q, null, Messages.bytes("long"));
    ch.waitForConfirmsOrDie(5_000);
    Poll.until(
        Duration.ofSeconds(10), () -> Messages.readyCount(ch, q) == 1, "one message to expire");
    assertEquals(List.of("long"), Messages.drain(ch, q));
  }

  @Test
  void messageTtlZeroDropsMessagesThatCannotBeDeliveredImmediately() throws Exception {
    String q = session.declareQueue(Map.of("x-message-ttl", 0));
    session.publish(q, "dropped");
    assertEquals(List.of(), Messages.drain(session.channel(), q));
  }

  @Test
  void maxLengthDropsFromTheHead() throws Exception {
    String q = session.declareQueue(Map.of("x-max-length", 3));
    session.publishNumbered(q, 5);
    assertEquals(List.of("3", "4", "5"), Messages.drain(session.channel(), q));
  }

  @Test
  void maxLengthBytesDropsFromTheHead() throws Exception {
    String q = session.declareQueue(Map.of("x-max-length-bytes", 10));
    session.publish(q, "aaaa", "bbbb", "cccc");
    assertEquals(List.of("bbbb", "cccc"), Messages.drain(session.channel(), q));
  }

  @Test
  void rejectPublishOverflowNacksPublishesBeyondTheLimit() throws Exception {
    String q = session.declareQueue(Map.of("x-max-length", 2, "x-overflow", "reject-publish"));
    Channel ch = session.publisher();
    List<String> outcomes = new ArrayList<>();
    ch.addConfirmListener(
        (tag, multiple) -> outcomes.add("ack " + tag),
        (tag, multiple) -> outcomes.add("nack " + tag));
    long first = ch.getNextPublishSeqNo();
    Messages.publishNumbered(ch, q, 3);
    assertFalse(ch.waitForConfirms(5_000), "the third publish is nacked");
    assertEquals(List.of("1", "2"), Messages.drain(session.channel(), q));
    assertEquals("nack " + (first + 2), outcomes.get(outcomes.size() - 1));
  }

  @Test
  void higherPriorityMessagesAreDeliveredFirstInAPriorityQueue() throws Exception {
    String q = session.declareQueue(Map.of("x-max-priority", 10));
    Channel ch = session.publisher();
    for (int p : new int[] {1, 5, 10, 5, 0}) {
      ch.basicPublish(
          "",
          q,
          new AMQP.BasicProperties.Builder().priority(p).build(),
          Messages.bytes("p" + p + "-" + ch.getNextPublishSeqNo()));
    }
    ch.basicPublish("", q, null, Messages.bytes("none"));
    ch.waitForConfirmsOrDie(5_000);
    List<String> order = Messages.drain(session.channel(), q);
    assertEquals(List.of("p10-3", "p5-2", "p5-4", "p1-1", "p0-5", "none"), order);
  }

  /**
   * A passive declare renews an x-expires lease in RabbitMQ, so the test watches an auto-delete
   * exchange bound only to the queue: it goes when the queue's binding goes.
   */
  @Test
  void unusedQueueExpires() throws Exception {
    Channel ch = session.channel();
    String q = session.declareQueue(Map.of("x-expires", 300));
    String witness = session.exchangeName();
    ch.exchangeDeclare(witness, "fanout", false, true, null);
    ch.queueBind(q, witness, "");
    Poll.until(
        Duration.ofSeconds(10),
        () -> {
          Channel probe = session.connection().createChannel();
          try {
            probe.exchangeDeclarePassive(witness);
            probe.close();
            return false;
          } catch (IOException e) {
            return true;
          }
        },
        "queue to expire");
    Channel after = session.connection().createChannel();
    assertEquals(
        AMQP.NOT_FOUND, AmqpErrors.channelErrorCode(after, () -> after.queueDeclarePassive(q)));
  }

  @Test
  void invalidQueueArgumentIsPreconditionFailed() {
    Channel ch = session.channel();
    String q = session.queueName();
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(
            ch, () -> ch.queueDeclare(q, false, false, false, Map.of("x-message-ttl", -1))));
  }

  /** The texts RabbitMQ 3.10 gives, Erlang terms and all, after "invalid arg 'KEY' for queue". */
  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidArguments")
  void invalidQueueArgumentsAreRefusedWithRabbitMqsTexts(
      String why, Map<String, Object> args, String text) {
    Channel ch = session.channel();
    String q = session.queueName();
    AMQP.Channel.Close close =
        AmqpErrors.channelClose(ch, () -> ch.queueDeclare(q, false, false, false, args));
    assertEquals(AMQP.PRECONDITION_FAILED, close.getReplyCode());
    assertEquals("PRECONDITION_FAILED - " + text.replace("QUEUE", q), close.getReplyText(), why);
  }

  static Stream<Arguments> invalidArguments() {
    String prefix = "invalid arg '%s' for queue 'QUEUE' in vhost '/': %s";
    return Stream.of(
        Arguments.of(
            "a string TTL",
            Map.of("x-message-ttl", "1"),
            prefix.formatted("x-message-ttl", "\"expected integer, got longstr\"")),
        Arguments.of(
            "a negative TTL",
            Map.of("x-message-ttl", -1),
            prefix.formatted("x-message-ttl", "{value_negative,-1}")),
        Arguments.of(
            "a zero x-expires",
            Map.of("x-expires", 0),
            prefix.formatted("x-expires", "{value_zero,0}")),
        Arguments.of(
            "a priority above 255",
            Map.of("x-max-priority", 256),
            prefix.formatted("x-max-priority", "{max_value_exceeded,256}")),
        Arguments.of(
            "an unknown overflow",
            Map.of("x-overflow", "nope"),
            prefix.formatted("x-overflow", "invalid_overflow")),
        Arguments.of(
            "a numeric overflow",
            Map.of("x-overflow", 1),
            prefix.formatted("x-overflow", "{unacceptable_type,signedint}")),
        Arguments.of(
            "a string single-active-consumer",
            Map.of("x-single-active-consumer", "yes"),
            prefix.formatted("x-single-active-consumer", "{unacceptable_type,longstr}")),
        Arguments.of(
            "an unknown queue mode",
            Map.of("x-queue-mode", "nope"),
            prefix.formatted("x-queue-mode", "\"unsupported queue mode 'nope'\"")),
        Arguments.of(
            "an unknown queue version",
            Map.of("x-queue-version", 3),
            prefix.formatted("x-queue-version", "\"unsupported queue version '3'\"")),
        Arguments.of(
            "a dead-letter routing key without exchange",
            Map.of("x-dead-letter-routing-key", "k"),
            prefix.formatted("x-dead-letter-routing-key", "routing_key_but_no_dlx_defined")),
        Arguments.of(
            "a numeric dead-letter exchange",
            Map.of("x-dead-letter-exchange", 1),
            "invalid type 'signedint' for arg 'x-dead-letter-exchange' in queue 'QUEUE' in vhost"
                + " '/'"));
  }

  private void awaitEmpty(String q) {
    Poll.until(
        Duration.ofSeconds(10),
        () -> Messages.readyCount(session.channel(), q) == 0,
        "messages on " + q + " to expire");
  }
}
