package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * x-queue-type, x-queue-mode and how queue.declare treats unknown and ill-typed x- arguments: 406
 * PRECONDITION_FAILED on the channel, naming nothing we assert beyond the code.
 */
class QueueTypeTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void classicQueueTypeIsAccepted() throws Exception {
    String q = session.declareQueue(Map.of("x-queue-type", "classic"));
    session.publish(q, "m");
    assertEquals(List.of("m"), Messages.drain(session.channel(), q));
  }

  @Test
  void durableQuorumQueueIsAcceptedAndWorks() throws Exception {
    String q = session.queueName();
    session.channel().queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum"));
    session.publish(q, "m");
    assertEquals(List.of("m"), Messages.drain(session.channel(), q));
  }

  @Test
  void quorumQueueMustBeDurableNonExclusiveAndNotAutoDelete() throws Exception {
    Map<String, Object> quorum = Map.of("x-queue-type", "quorum");
    boolean[][] flags = {{false, false, false}, {true, true, false}, {true, false, true}};
    for (boolean[] f : flags) {
      String q = session.queueName();
      Channel ch = session.connection().createChannel();
      String flagsText = "durable=" + f[0] + " exclusive=" + f[1] + " autoDelete=" + f[2];
      assertEquals(
          AMQP.PRECONDITION_FAILED,
          describing(
              flagsText,
              () ->
                  AmqpErrors.channelErrorCode(
                      ch, () -> ch.queueDeclare(q, f[0], f[1], f[2], quorum))),
          flagsText);
    }
  }

  @Test
  void aQuorumQueueTakesAPositiveInitialGroupSize() throws Exception {
    for (int size : new int[] {1, 3, 7}) {
      String q = session.queueName();
      session
          .channel()
          .queueDeclare(
              q,
              true,
              false,
              false,
              Map.of("x-queue-type", "quorum", "x-quorum-initial-group-size", size));
      session.publish(q, "m" + size);
      assertEquals(List.of("m" + size), Messages.drain(session.channel(), q));
    }
  }

  /** RabbitMQ 3.10's texts for an initial group size that is not a positive integer. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidGroupSizes")
  void aQuorumQueuesInitialGroupSizeMustBeAPositiveInteger(Object size, String why)
      throws Exception {
    Channel ch = session.connection().createChannel();
    String q = session.queueName();
    Map<String, Object> args =
        Map.of("x-queue-type", "quorum", "x-quorum-initial-group-size", size);
    AMQP.Channel.Close close =
        AmqpErrors.channelClose(ch, () -> ch.queueDeclare(q, true, false, false, args));
    assertEquals(AMQP.PRECONDITION_FAILED, close.getReplyCode());
    assertEquals(
        "PRECONDITION_FAILED - invalid arg 'x-quorum-initial-group-size' for queue '"
            + q
            + "' in vhost '/': "
            + why,
        close.getReplyText());
  }

  static Stream<Arguments> invalidGroupSizes() {
    return Stream.of(
        Arguments.of(0, "{value_zero,0}"),
        Arguments.of(-1, "{value_negative,-1}"),
        Arguments.of("3", "\"expected integer, got longstr\""),
        Arguments.of(2.5, "\"expected integer, got double\""),
        Arguments.of(true, "\"expected integer, got bool\""));
  }

  @Test
  void aQuorumQueueTakesEitherDeadLetterStrategyWithEitherOverflow() throws Exception {
    for (String strategy : new String[] {"at-most-once", "at-least-once"}) {
      for (String overflow : new String[] {"reject-publish", "drop-head"}) {
        String q = session.queueName();
        Map<String, Object> args =
            Map.of(
                "x-queue-type",
                "quorum",
                "x-dead-letter-exchange",
                "",
                "x-dead-letter-strategy",
                strategy,
                "x-overflow",
                overflow);
        session.channel().queueDeclare(q, true, false, false, args);
        session.publish(q, strategy);
        assertEquals(List.of(strategy), Messages.drain(session.channel(), q));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidDeadLetterStrategies")
  void aQuorumQueuesDeadLetterStrategyMustBeOneRabbitMqKnows(Object strategy, String why)
      throws Exception {
    Channel ch = session.connection().createChannel();
    String q = session.queueName();
    Map<String, Object> args =
        Map.of(
            "x-queue-type", "quorum",
            "x-dead-letter-exchange", "",
            "x-dead-letter-strategy", strategy);
    AMQP.Channel.Close close =
        AmqpErrors.channelClose(ch, () -> ch.queueDeclare(q, true, false, false, args));
    assertEquals(AMQP.PRECONDITION_FAILED, close.getReplyCode());
    assertEquals(
        "PRECONDITION_FAILED - invalid arg 'x-dead-letter-strategy' for queue '"
            + q
            + "' in vhost '/': "
            + why,
        close.getReplyText());
  }

  static Stream<Arguments> invalidDeadLetterStrategies() {
    return Stream.of(
        Arguments.of("exactly-once", "invalid_dlx_strategy"),
        Arguments.of(1, "{unacceptable_type,signedint}"));
  }

  @Test
  void unknownQueueTypeIsPreconditionFailed() throws Exception {
    assertRefused(Map.of("x-queue-type", "bogus"), true);
  }

  @Test
  void streamQueueTypeIsPreconditionFailed() throws Exception {
    assumeFalse(
        TestBroker.isExternal(), "Warren-only: RabbitMQ 3.10 has stream queues, Warren does not");
    assertRefused(Map.of("x-queue-type", "stream"), true);
  }

  @Test
  void lazyQueueModeIsAccepted() throws Exception {
    String q = session.declareQueue(Map.of("x-queue-mode", "lazy"));
    session.publish(q, "m");
    assertEquals(List.of("m"), Messages.drain(session.channel(), q));
  }

  @Test
  void unknownQueueModeIsPreconditionFailed() throws Exception {
    assertRefused(Map.of("x-queue-mode", "bogus"), false);
  }

  @Test
  void argumentsWithoutTheXPrefixAreIgnored() throws Exception {
    String q = session.declareQueue(Map.of("colour", "blue"));
    session.publish(q, "m");
    assertEquals(List.of("m"), Messages.drain(session.channel(), q));
  }

  @Test
  void unknownXArgumentIsPreconditionFailed() throws Exception {
    assumeFalse(
        TestBroker.isExternal(),
        "Warren-only: RabbitMQ ignores unknown x- arguments; Warren refuses them so a typo fails");
    assertRefused(Map.of("x-message-tll", 1000), false);
  }

  @Test
  void illTypedKnownArgumentsArePreconditionFailed() throws Exception {
    List<Map<String, Object>> cases =
        List.of(
            Map.of("x-message-ttl", "100"),
            Map.of("x-message-ttl", 1.5),
            Map.of("x-message-ttl", -1),
            Map.of("x-max-length", "10"),
            Map.of("x-max-length-bytes", -1),
            Map.of("x-dead-letter-exchange", 5),
            Map.of("x-dead-letter-exchange", "dlx", "x-dead-letter-routing-key", 5),
            Map.of("x-dead-letter-routing-key", "without-an-exchange"),
            Map.of("x-queue-mode", 3));
    for (Map<String, Object> args : cases) {
      assertRefused(args, false);
    }
  }

  private void assertRefused(Map<String, Object> args, boolean durable) throws Exception {
    String q = session.queueName();
    Channel ch = session.connection().createChannel();
    Map<String, Object> copy = new HashMap<>(args);
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        describing(
            "arguments " + args,
            () ->
                AmqpErrors.channelErrorCode(
                    ch, () -> ch.queueDeclare(q, durable, false, false, copy))),
        () -> "arguments " + args);
  }

  /** Runs a check that may fail inside a helper, naming the case it was checking. */
  private static int describing(String what, java.util.function.IntSupplier check) {
    try {
      return check.getAsInt();
    } catch (AssertionError e) {
      throw new AssertionError(what + ": " + e.getMessage(), e);
    }
  }
}
