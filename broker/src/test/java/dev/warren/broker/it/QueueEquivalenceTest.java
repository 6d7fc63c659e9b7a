package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How a redeclaration of a queue is compared with the queue (RabbitMQ's equivalence rules): each
 * {@code x-} argument by value, an integer whatever the width it is sent in, an absent {@code
 * x-queue-type} as {@code classic}, and arguments without the {@code x-} prefix not at all. A
 * difference is 406 naming the argument, with RabbitMQ's reply text. Flags: {@link QueueTest}.
 */
class QueueEquivalenceTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void anIntegerArgumentEqualsTheSameNumberSentInAnyIntegerType() throws Exception {
    Channel ch = session.channel();
    String q = session.queueName();
    ch.queueDeclare(q, false, false, false, Map.of("x-message-ttl", (short) 100));
    for (Object same : List.<Object>of((byte) 100, 100, 100L, (short) 100)) {
      ch.queueDeclare(q, false, false, false, Map.of("x-message-ttl", same));
    }
    String limited = session.queueName();
    ch.queueDeclare(limited, false, false, false, Map.of("x-max-length", 7L, "x-expires", 60_000));
    ch.queueDeclare(
        limited, false, false, false, Map.of("x-max-length", (byte) 7, "x-expires", 60_000L));
  }

  @Test
  void aDifferentNumberIsPreconditionFailedNamingBothValues() throws Exception {
    Channel ch = session.channel();
    String q = session.queueName();
    ch.queueDeclare(q, false, false, false, Map.of("x-message-ttl", (short) 100));
    assertInequivalent(
        ch,
        q,
        Map.of("x-message-ttl", 101L),
        "inequivalent arg 'x-message-ttl' for queue '"
            + q
            + "' in vhost '/': received '101' but current is '100'");
  }

  @Test
  void aMissingArgumentIsPreconditionFailedNamingTheValueAndItsType() throws Exception {
    Channel ch = session.channel();
    String q = session.queueName();
    ch.queueDeclare(q, false, false, false, Map.of("x-message-ttl", (short) 100));
    assertInequivalent(
        ch,
        q,
        Map.of(),
        "inequivalent arg 'x-message-ttl' for queue '"
            + q
            + "' in vhost '/': received none but current is the value '100' of type 'short'");
  }

  @Test
  void anAddedArgumentIsPreconditionFailedNamingTheValueAndItsType() throws Exception {
    Channel ch = session.channel();
    String q = session.declareQueue();
    assertInequivalent(
        ch,
        q,
        Map.of("x-max-length", 5),
        "inequivalent arg 'x-max-length' for queue '"
            + q
            + "' in vhost '/': received the value '5' of type 'signedint' but current is none");
  }

  @Test
  void aDifferentDeadLetterRoutingKeyIsPreconditionFailed() throws Exception {
    Channel ch = session.channel();
    String q = session.queueName();
    ch.queueDeclare(
        q,
        false,
        false,
        false,
        Map.of("x-dead-letter-exchange", "dlx", "x-dead-letter-routing-key", "a"));
    assertInequivalent(
        ch,
        q,
        Map.of("x-dead-letter-exchange", "dlx", "x-dead-letter-routing-key", "b"),
        "inequivalent arg 'x-dead-letter-routing-key' for queue '"
            + q
            + "' in vhost '/': received 'b' but current is 'a'");
  }

  @Test
  void differentStringAndBooleanArgumentsArePreconditionFailed() throws Exception {
    Channel ch = session.channel();
    String q = session.queueName();
    ch.queueDeclare(
        q,
        false,
        false,
        false,
        Map.of("x-overflow", "reject-publish", "x-single-active-consumer", true));
    assertInequivalent(
        ch,
        q,
        Map.of("x-overflow", "drop-head", "x-single-active-consumer", true),
        "inequivalent arg 'x-overflow' for queue '"
            + q
            + "' in vhost '/': received 'drop-head' but current is 'reject-publish'");
    Channel again = session.connection().createChannel();
    assertInequivalent(
        again,
        q,
        Map.of("x-overflow", "reject-publish", "x-single-active-consumer", false),
        "inequivalent arg 'x-single-active-consumer' for queue '"
            + q
            + "' in vhost '/': received 'false' but current is 'true'");
  }

  @Test
  void anAbsentQueueTypeIsClassic() throws Exception {
    Channel ch = session.channel();
    String typed = session.queueName();
    ch.queueDeclare(typed, false, false, false, Map.of("x-queue-type", "classic"));
    ch.queueDeclare(typed, false, false, false, Map.of());
    String untyped = session.declareQueue();
    ch.queueDeclare(untyped, false, false, false, Map.of("x-queue-type", "classic"));
  }

  @Test
  void argumentsWithoutTheXPrefixAreNotCompared() throws Exception {
    Channel ch = session.channel();
    String q = session.declareQueue(Map.of("note", "first"));
    ch.queueDeclare(q, false, false, false, Map.of("note", "second"));
    ch.queueDeclare(q, false, false, false, Map.of());
  }

  private static void assertInequivalent(
      Channel ch, String q, Map<String, Object> args, String text) {
    AMQP.Channel.Close close =
        AmqpErrors.channelClose(ch, () -> ch.queueDeclare(q, false, false, false, args));
    assertEquals(AMQP.PRECONDITION_FAILED, close.getReplyCode());
    assertEquals("PRECONDITION_FAILED - " + text, close.getReplyText());
  }
}
