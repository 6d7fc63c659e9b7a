package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exchange-to-exchange bindings, internal exchanges, and the auto-delete rule: an auto-delete
 * exchange goes when its last binding as a SOURCE goes, however that binding is removed; bindings
 * to it as a destination do not count. Basic cases are in {@link ExchangeTest}.
 */
class ExchangeToExchangeTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void autoDeleteSourceGoesWhenItsOnlyExchangeBindingIsUnbound() throws Exception {
    Channel ch = session.channel();
    String source = autoDelete("fanout");
    String destination = session.declareExchange("fanout");
    ch.exchangeBind(destination, source, "");
    ch.exchangeUnbind(destination, source, "");
    assertFalse(exists(source));
    assertTrue(exists(destination));
  }

  @Test
  void autoDeleteSourceGoesWhenItsDestinationExchangeIsDeleted() throws Exception {
    Channel ch = session.channel();
    String source = autoDelete("fanout");
    String destination = session.declareExchange("fanout");
    ch.exchangeBind(destination, source, "");
    ch.exchangeDelete(destination);
    assertFalse(exists(source));
  }

  @Test
  void autoDeleteDestinationStaysWhenItsBindingFromASourceGoes() throws Exception {
    Channel ch = session.channel();
    String source = session.declareExchange("fanout");
    String destination = autoDelete("fanout");
    ch.exchangeBind(destination, source, "");
    ch.exchangeUnbind(destination, source, "");
    assertTrue(exists(destination), "after unbind");
    ch.exchangeBind(destination, source, "");
    ch.exchangeDelete(source);
    assertTrue(exists(destination), "after its source was deleted");
  }

  @Test
  void deletingTheLastQueueCascadesThroughAChainOfAutoDeleteExchanges() throws Exception {
    Channel ch = session.channel();
    String first = autoDelete("fanout");
    String second = autoDelete("fanout");
    String q = session.declareQueue();
    ch.queueBind(q, second, "");
    ch.exchangeBind(second, first, "");
    ch.queueDelete(q);
    assertFalse(exists(second), "second lost its only binding, to the queue");
    assertFalse(exists(first), "first lost its only binding, to second");
  }

  @Test
  void messageReachingAQueueByTwoPathsOrAroundACycleIsDeliveredOnce() throws Exception {
    Channel ch = session.channel();
    String a = session.declareExchange("fanout");
    String b = session.declareExchange("fanout");
    ch.exchangeBind(b, a, "");
    ch.exchangeBind(a, b, "");
    String q = session.declareQueue();
    ch.queueBind(q, a, "");
    ch.queueBind(q, b, "");
    session.publisher().basicPublish(a, "", null, Messages.bytes("once"));
    session.publisher().waitForConfirmsOrDie(5_000);
    assertEquals(List.of("once"), Messages.drain(ch, q));
  }

  @Test
  void messageThroughAnInternalExchangeKeepsThePublishExchangeAndRoutingKey() throws Exception {
    Channel ch = session.channel();
    String internal = session.exchangeName();
    ch.exchangeDeclare(internal, "topic", false, false, true, null);
    String q = session.declareQueue();
    ch.queueBind(q, internal, "#");
    String front = session.declareExchange("topic");
    ch.exchangeBind(internal, front, "orders.*");
    session.publisher().basicPublish(front, "orders.new", null, Messages.bytes("m"));
    session.publisher().basicPublish(front, "payments.new", null, Messages.bytes("filtered"));
    session.publisher().waitForConfirmsOrDie(5_000);
    GetResponse r = Messages.get(ch, q, true);
    assertEquals(front, r.getEnvelope().getExchange());
    assertEquals("orders.new", r.getEnvelope().getRoutingKey());
    assertEquals(List.of(), Messages.drain(ch, q));
  }

  @Test
  void internalExchangeCanBeBoundFromButNotPublishedTo() throws Exception {
    Channel ch = session.channel();
    String internal = session.exchangeName();
    ch.exchangeDeclare(internal, "fanout", false, false, true, null);
    String destination = session.declareExchange("fanout");
    String q = session.declareQueue();
    ch.queueBind(q, destination, "");
    ch.exchangeBind(destination, internal, "");
    ch.exchangeBind(internal, "amq.fanout", "");
    Channel p = session.connection().createChannel();
    assertEquals(
        AMQP.ACCESS_REFUSED,
        AmqpErrors.channelErrorCode(p, () -> p.basicPublish(internal, "", null, new byte[0])));
    session.publisher().basicPublish("amq.fanout", "", null, Messages.bytes("via"));
    session.publisher().waitForConfirmsOrDie(5_000);
    ch.exchangeUnbind(internal, "amq.fanout", "");
    assertEquals(List.of("via"), Messages.drain(ch, q));
  }

  private String autoDelete(String type) throws IOException {
    String x = session.exchangeName();
    session.channel().exchangeDeclare(x, type, false, true, null);
    return x;
  }

  private boolean exists(String exchange) throws Exception {
    Channel probe = session.connection().createChannel();
    try {
      probe.exchangeDeclarePassive(exchange);
    } catch (IOException e) {
      return false;
    }
    probe.close();
    return true;
  }
}
