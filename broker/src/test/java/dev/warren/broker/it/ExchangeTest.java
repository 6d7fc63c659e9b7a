package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** exchange.declare / delete / bind / unbind, predeclared exchanges, reserved names. */
class ExchangeTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void declareWithEveryFlagAndArgumentThenRedeclareIdenticallySucceeds() throws Exception {
    Channel ch = session.channel();
    String ae = session.declareExchange("fanout");
    String x = session.exchangeName();
    Map<String, Object> args = Map.of("alternate-exchange", ae);
    ch.exchangeDeclare(x, "topic", true, true, false, args);
    ch.exchangeDeclare(x, "topic", true, true, false, args);
    ch.exchangeDeclarePassive(x);
    String internal = session.exchangeName();
    ch.exchangeDeclare(internal, "direct", false, false, true, null);
    ch.exchangeDeclarePassive(internal);
  }

  @Test
  void passiveDeclareOfMissingExchangeIsNotFound() {
    Channel ch = session.channel();
    assertEquals(
        AMQP.NOT_FOUND,
        AmqpErrors.channelErrorCode(
            ch, () -> ch.exchangeDeclarePassive(AmqpSession.uniqueName("missing"))));
  }

  @Test
  void redeclareWithDifferentTypeIsPreconditionFailed() throws Exception {
    String x = session.declareExchange("direct");
    Channel ch = session.channel();
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(ch, () -> ch.exchangeDeclare(x, "fanout")));
  }

  @Test
  void redeclareWithDifferentDurabilityIsPreconditionFailed() throws Exception {
    String x = session.declareExchange("direct");
    Channel ch = session.channel();
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(ch, () -> ch.exchangeDeclare(x, "direct", true)));
  }

  @Test
  void redeclareWithDifferentAutoDeleteIsPreconditionFailed() throws Exception {
    String x = session.declareExchange("direct");
    Channel ch = session.channel();
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(ch, () -> ch.exchangeDeclare(x, "direct", false, true, null)));
  }

  @Test
  void redeclareWithDifferentInternalFlagIsPreconditionFailed() throws Exception {
    String x = session.declareExchange("direct");
    Channel ch = session.channel();
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(
            ch, () -> ch.exchangeDeclare(x, "direct", false, false, true, null)));
  }

  @Test
  void redeclareWithDifferentAlternateExchangeIsPreconditionFailed() throws Exception {
    Channel ch = session.channel();
    String x = session.exchangeName();
    ch.exchangeDeclare(x, "direct", false, false, Map.of("alternate-exchange", "ae-one"));
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(
            ch,
            () ->
                ch.exchangeDeclare(x, "direct", false, false, Map.of("alternate-exchange", "x"))));
  }

  /** RabbitMQ compares only alternate-exchange among exchange arguments. */
  @Test
  void redeclareWithOtherUnknownArgumentsIsAccepted() throws Exception {
    Channel ch = session.channel();
    String x = session.exchangeName();
    ch.exchangeDeclare(x, "direct", false, false, Map.of("x-custom", "one"));
    ch.exchangeDeclare(x, "direct", false, false, Map.of("x-custom", "two"));
    ch.exchangeDeclarePassive(x);
  }

  @Test
  void deleteRemovesTheExchange() throws Exception {
    String x = session.declareExchange("fanout");
    Channel ch = session.channel();
    ch.exchangeDelete(x);
    assertEquals(
        AMQP.NOT_FOUND, AmqpErrors.channelErrorCode(ch, () -> ch.exchangeDeclarePassive(x)));
  }

  /** RabbitMQ 3.x made exchange.delete idempotent. */
  @Test
  void deletingAMissingExchangeSucceeds() throws Exception {
    session.channel().exchangeDelete(AmqpSession.uniqueName("missing"));
    session.channel().exchangeDeclarePassive("amq.direct");
  }

  @Test
  void deleteIfUnusedOfExchangeWithBindingsIsPreconditionFailed() throws Exception {
    String x = session.declareExchange("direct");
    String q = session.declareQueue();
    Channel ch = session.channel();
    ch.queueBind(q, x, "k");
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(ch, () -> ch.exchangeDelete(x, true)));
    Channel ch2 = session.connection().createChannel();
    ch2.exchangeDeclarePassive(x);
    ch2.queueUnbind(q, x, "k");
    ch2.exchangeDelete(x, true);
    assertEquals(
        AMQP.NOT_FOUND, AmqpErrors.channelErrorCode(ch2, () -> ch2.exchangeDeclarePassive(x)));
  }

  @Test
  void deletingAnExchangeRemovesItsBindings() throws Exception {
    Channel ch = session.channel();
    String x = session.exchangeName();
    ch.exchangeDeclare(x, "fanout");
    String q = session.declareQueue();
    ch.queueBind(q, x, "");
    ch.exchangeDelete(x);
    ch.exchangeDeclare(x, "fanout");
    ch.basicPublish(x, "", null, Messages.bytes("after re-create"));
    assertEquals(List.of(), Messages.drain(ch, q), "the old binding must not survive the delete");
  }

  @Test
  void exchangeToExchangeBindingRoutesUntilUnbound() throws Exception {
    Channel ch = session.channel();
    String source = session.declareExchange("direct");
    String destination = session.declareExchange("fanout");
    String q = session.declareQueue();
    ch.queueBind(q, destination, "");
    ch.exchangeBind(destination, source, "k");
    ch.basicPublish(source, "k", null, Messages.bytes("bound"));
    ch.basicPublish(source, "other", null, Messages.bytes("wrong key"));
    ch.exchangeUnbind(destination, source, "k");
    ch.basicPublish(source, "k", null, Messages.bytes("unbound"));
    assertEquals(List.of("bound"), Messages.drain(ch, q));
  }

  @Test
  void exchangeBindToMissingSourceIsNotFound() throws Exception {
    String destination = session.declareExchange("fanout");
    Channel ch = session.channel();
    assertEquals(
        AMQP.NOT_FOUND,
        AmqpErrors.channelErrorCode(
            ch, () -> ch.exchangeBind(destination, AmqpSession.uniqueName("missing"), "")));
  }

  @Test
  void queueBindToMissingExchangeIsNotFound() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.channel();
    assertEquals(
        AMQP.NOT_FOUND,
        AmqpErrors.channelErrorCode(
            ch, () -> ch.queueBind(q, AmqpSession.uniqueName("missing"), "")));
  }

  @Test
  void queueBindOfMissingQueueIsNotFound() throws Exception {
    String x = session.declareExchange("direct");
    Channel ch = session.channel();
    assertEquals(
        AMQP.NOT_FOUND,
        AmqpErrors.channelErrorCode(
            ch, () -> ch.queueBind(AmqpSession.uniqueName("missing"), x, "")));
  }

  /** RabbitMQ 3.x made unbinding a binding that does not exist a no-op. */
  @Test
  void unbindingANonexistentBindingSucceeds() throws Exception {
    String x = session.declareExchange("direct");
    String q = session.declareQueue();
    session.channel().queueUnbind(q, x, "never-bound");
    session.channel().exchangeDeclarePassive(x);
  }

  /** RabbitMQ answers unbind-ok whichever end is missing, and for both. */
  @Test
  void unbindingFromOrToAMissingQueueOrExchangeSucceeds() throws Exception {
    Channel ch = session.channel();
    String x = session.declareExchange("direct");
    String q = session.declareQueue();
    String missing = AmqpSession.uniqueName("missing");
    assertInstanceOf(AMQP.Queue.UnbindOk.class, ch.queueUnbind(missing, x, "k"));
    assertInstanceOf(AMQP.Queue.UnbindOk.class, ch.queueUnbind(q, missing, "k"));
    assertInstanceOf(AMQP.Queue.UnbindOk.class, ch.queueUnbind(missing, missing, "k"));
    assertInstanceOf(AMQP.Exchange.UnbindOk.class, ch.exchangeUnbind(missing, x, "k"));
    assertInstanceOf(AMQP.Exchange.UnbindOk.class, ch.exchangeUnbind(x, missing, "k"));
    assertInstanceOf(AMQP.Exchange.UnbindOk.class, ch.exchangeUnbind(missing, missing, "k"));
    ch.exchangeDeclarePassive(x);
  }

  @Test
  void autoDeleteExchangeIsDeletedWhenItsLastBindingIsRemoved() throws Exception {
    Channel ch = session.channel();
    String x = session.exchangeName();
    ch.exchangeDeclare(x, "direct", false, true, null);
    String q = session.declareQueue();
    ch.queueBind(q, x, "a");
    ch.queueBind(q, x, "b");
    ch.queueUnbind(q, x, "a");
    ch.exchangeDeclarePassive(x);
    ch.queueUnbind(q, x, "b");
    assertEquals(
        AMQP.NOT_FOUND, AmqpErrors.channelErrorCode(ch, () -> ch.exchangeDeclarePassive(x)));
  }

  @Test
  void autoDeleteExchangeWithoutBindingsIsNotDeletedOnDeclare() throws Exception {
    Channel ch = session.channel();
    String x = session.exchangeName();
    ch.exchangeDeclare(x, "fanout", false, true, null);
    ch.exchangeDeclarePassive(x);
  }

  @Test
  void autoDeleteExchangeIsDeletedWhenItsLastBoundQueueIsDeleted() throws Exception {
    Channel ch = session.channel();
    String x = session.exchangeName();
    ch.exchangeDeclare(x, "fanout", false, true, null);
    String q = session.declareQueue();
    ch.queueBind(q, x, "");
    ch.queueDelete(q);
    assertEquals(
        AMQP.NOT_FOUND, AmqpErrors.channelErrorCode(ch, () -> ch.exchangeDeclarePassive(x)));
  }

  @Test
  void predeclaredExchangesExist() throws Exception {
    Channel ch = session.channel();
    for (String x : List.of("amq.direct", "amq.fanout", "amq.topic", "amq.headers", "amq.match")) {
      ch.exchangeDeclarePassive(x);
    }
  }

  @Test
  void predeclaredExchangesHaveTheirStandardTypes() throws Exception {
    Channel ch = session.channel();
    ch.exchangeDeclare("amq.direct", BuiltinExchangeType.DIRECT, true);
    ch.exchangeDeclare("amq.fanout", BuiltinExchangeType.FANOUT, true);
    ch.exchangeDeclare("amq.topic", BuiltinExchangeType.TOPIC, true);
    ch.exchangeDeclare("amq.headers", BuiltinExchangeType.HEADERS, true);
    ch.exchangeDeclare("amq.match", BuiltinExchangeType.HEADERS, true);
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(ch, () -> ch.exchangeDeclare("amq.direct", "fanout", true)));
  }

  @Test
  void declaringANewAmqPrefixedExchangeIsAccessRefused() {
    Channel ch = session.channel();
    String name = "amq." + AmqpSession.uniqueName("x");
    assertEquals(
        AMQP.ACCESS_REFUSED,
        AmqpErrors.channelErrorCode(ch, () -> ch.exchangeDeclare(name, "direct")));
  }

  @Test
  void deletingAPredeclaredExchangeIsAccessRefused() throws Exception {
    Channel ch = session.channel();
    AMQP.Channel.Close close = AmqpErrors.channelClose(ch, () -> ch.exchangeDelete("amq.topic"));
    assertEquals(AMQP.ACCESS_REFUSED, close.getReplyCode());
    assertEquals(
        "ACCESS_REFUSED - deletion of system exchange 'amq.topic' in vhost '/' not allowed",
        close.getReplyText());
    session.connection().createChannel().exchangeDeclarePassive("amq.topic");
  }

  @Test
  void passiveDeclareOfTheDefaultExchangeIsAccessRefused() {
    Channel ch = session.channel();
    AMQP.Channel.Close close = AmqpErrors.channelClose(ch, () -> ch.exchangeDeclarePassive(""));
    assertEquals(AMQP.ACCESS_REFUSED, close.getReplyCode());
    assertEquals(
        "ACCESS_REFUSED - operation not permitted on the default exchange", close.getReplyText());
  }

  @Test
  void deletingTheDefaultExchangeIsAccessRefused() {
    Channel ch = session.channel();
    assertEquals(AMQP.ACCESS_REFUSED, AmqpErrors.channelErrorCode(ch, () -> ch.exchangeDelete("")));
  }

  @Test
  void publishingToTheDefaultExchangeRoutesByQueueName() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.channel();
    ch.basicPublish("", q, null, Messages.bytes("direct to queue"));
    ch.basicPublish("", q + ".other", null, Messages.bytes("nowhere"));
    assertEquals(List.of("direct to queue"), Messages.drain(ch, q));
  }

  @Test
  void bindingAQueueToTheDefaultExchangeIsAccessRefused() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.channel();
    assertEquals(
        AMQP.ACCESS_REFUSED, AmqpErrors.channelErrorCode(ch, () -> ch.queueBind(q, "", "k")));
  }

  @Test
  void unbindingFromTheDefaultExchangeIsAccessRefused() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.channel();
    assertEquals(
        AMQP.ACCESS_REFUSED, AmqpErrors.channelErrorCode(ch, () -> ch.queueUnbind(q, "", q)));
  }

  @Test
  void publishingToAnInternalExchangeIsAccessRefused() throws Exception {
    Channel ch = session.channel();
    String internal = session.exchangeName();
    ch.exchangeDeclare(internal, "fanout", false, false, true, null);
    assertEquals(
        AMQP.ACCESS_REFUSED,
        AmqpErrors.channelErrorCode(
            ch, () -> ch.basicPublish(internal, "", null, Messages.bytes("x"))));
  }

  @Test
  void internalExchangeReceivesThroughExchangeBindings() throws Exception {
    Channel ch = session.channel();
    String internal = session.exchangeName();
    ch.exchangeDeclare(internal, "fanout", false, false, true, null);
    String front = session.declareExchange("fanout");
    String q = session.declareQueue();
    ch.queueBind(q, internal, "");
    ch.exchangeBind(internal, front, "");
    ch.basicPublish(front, "", null, Messages.bytes("via front"));
    assertEquals(List.of("via front"), Messages.drain(ch, q));
  }

  /** RabbitMQ answers an unknown exchange type with a connection error, 503 COMMAND_INVALID. */
  @Test
  void unknownExchangeTypeIsCommandInvalid() {
    Channel ch = session.channel();
    assertEquals(
        AMQP.COMMAND_INVALID,
        AmqpErrors.connectionErrorCode(
            ch, () -> ch.exchangeDeclare(AmqpSession.uniqueName("x"), "x-no-such-type")));
  }

  @Test
  void alternateExchangeReceivesUnroutableMessages() throws Exception {
    Channel ch = session.channel();
    String ae = session.declareExchange("fanout");
    String unrouted = session.declareQueue();
    ch.queueBind(unrouted, ae, "");
    String x = session.exchangeName();
    ch.exchangeDeclare(x, "direct", false, false, Map.of("alternate-exchange", ae));
    String routed = session.declareQueue();
    ch.queueBind(routed, x, "known");
    ch.basicPublish(x, "known", null, Messages.bytes("routed"));
    ch.basicPublish(x, "unknown", null, Messages.bytes("to the alternate"));
    assertEquals(List.of("routed"), Messages.drain(ch, routed));
    assertEquals(List.of("to the alternate"), Messages.drain(ch, unrouted));
  }

  @Test
  void mandatoryMessageTakenByTheAlternateExchangeIsNotReturned() throws Exception {
    Channel ch = session.channel();
    String ae = session.declareExchange("fanout");
    String unrouted = session.declareQueue();
    ch.queueBind(unrouted, ae, "");
    String x = session.exchangeName();
    ch.exchangeDeclare(x, "direct", false, false, Map.of("alternate-exchange", ae));
    AtomicInteger returns = new AtomicInteger();
    ch.addReturnListener(r -> returns.incrementAndGet());
    ch.confirmSelect();
    ch.basicPublish(x, "unknown", true, null, Messages.bytes("m"));
    ch.waitForConfirmsOrDie(5_000);
    assertEquals(0, returns.get());
    assertEquals(1, Messages.readyCount(ch, unrouted));
  }
}
