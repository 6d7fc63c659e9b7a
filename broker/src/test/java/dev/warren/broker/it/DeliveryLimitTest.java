package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Poison messages: x-delivery-limit and the x-delivery-count header. RabbitMQ 3.10 has both on
 * quorum queues only (durable, x-queue-type=quorum); Warren also on classic queues, so the
 * classic-queue runs of these tests are Warren-only. A quorum queue without a limit has RabbitMQ
 * 4's default of 20, and a negative limit is none (RabbitMQ 4; 3.10 has no default, and drops a
 * message at once under a negative limit): those tests are Warren-only too.
 */
class DeliveryLimitTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"quorum", "classic"})
  void redeliveriesCarryAnIncreasingDeliveryCountAndTheFirstDeliveryNone(String type)
      throws Exception {
    String q = declare(type, Map.of("x-delivery-limit", 5));
    session.publish(q, "m");
    Channel ch = session.connection().createChannel();
    ch.basicQos(1);
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, false, consumer);
    Delivery first = consumer.next();
    assertFalse(first.getEnvelope().isRedeliver());
    assertNull(deliveryCount(first.getProperties()), "no x-delivery-count on a first delivery");
    for (long n = 1; n <= 2; n++) {
      ch.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
      first = consumer.next();
      assertTrue(first.getEnvelope().isRedeliver());
      assertEquals(n, deliveryCount(first.getProperties()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"quorum", "classic"})
  void messageReturnedByAClosingChannelCountsAsRedelivered(String type) throws Exception {
    String q = declare(type, Map.of("x-delivery-limit", 5));
    session.publish(q, "m");
    Channel holder = session.connection().createChannel();
    Messages.get(holder, q, false);
    holder.close();
    GetResponse again = Messages.await(session.channel(), q, true);
    assertTrue(again.getEnvelope().isRedeliver());
    assertEquals(1L, deliveryCount(again.getProps()));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"quorum", "classic"})
  void messageOverTheLimitIsDeadLetteredWithReasonDeliveryLimit(String type) throws Exception {
    String dlq = session.declareQueue();
    String q =
        declare(
            type,
            Map.of(
                "x-delivery-limit",
                2,
                "x-dead-letter-exchange",
                "",
                "x-dead-letter-routing-key",
                dlq));
    session.publish(q, "poison");
    Channel ch = session.channel();
    for (int delivery = 0; delivery < 3; delivery++) {
      GetResponse r = Messages.await(ch, q, false);
      ch.basicReject(r.getEnvelope().getDeliveryTag(), true);
    }
    GetResponse dead = Messages.await(ch, dlq, true);
    assertEquals("poison", Messages.text(dead.getBody()));
    Map<String, Object> headers = dead.getProps().getHeaders();
    List<?> deaths = assertInstanceOf(List.class, headers.get("x-death"));
    assertEquals(1, deaths.size());
    Map<?, ?> death = assertInstanceOf(Map.class, deaths.get(0));
    assertEquals("delivery_limit", death.get("reason").toString());
    assertEquals(q, death.get("queue").toString());
    assertEquals(1L, death.get("count"));
    assertEquals("delivery_limit", headers.get("x-first-death-reason").toString());
    assertEquals(0, Messages.readyCount(ch, q));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"quorum", "classic"})
  void messageOverTheLimitWithoutADeadLetterExchangeIsDropped(String type) throws Exception {
    String q = declare(type, Map.of("x-delivery-limit", 1));
    session.publish(q, "poison", "fine");
    Channel ch = session.channel();
    for (int delivery = 0; delivery < 2; delivery++) {
      GetResponse r = Messages.await(ch, q, false);
      assertEquals("poison", Messages.text(r.getBody()), "a requeued message keeps its place");
      ch.basicNack(r.getEnvelope().getDeliveryTag(), false, true);
    }
    assertEquals(List.of("fine"), Messages.drain(ch, q));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"quorum", "classic"})
  void deliveryLimitZeroAllowsOnlyTheFirstDelivery(String type) throws Exception {
    String q = declare(type, Map.of("x-delivery-limit", 0));
    session.publish(q, "once");
    Channel ch = session.channel();
    ch.basicNack(Messages.get(ch, q, false).getEnvelope().getDeliveryTag(), false, true);
    assertEquals(List.of(), Messages.drain(ch, q));
  }

  @Test
  void aQuorumQueueWithoutALimitDeadLettersAMessageOnItsTwentyFirstReturn() throws Exception {
    assumeFalse(TestBroker.isExternal(), "RabbitMQ 4's default; 3.10 has none");
    String dlq = session.declareQueue();
    String q =
        declare("quorum", Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq));
    session.publish(q, "poison");
    Channel ch = session.channel();
    for (int delivery = 1; delivery <= 21; delivery++) {
      GetResponse r = Messages.await(ch, q, false);
      assertEquals(delivery == 1 ? null : delivery - 1L, deliveryCount(r.getProps()));
      ch.basicReject(r.getEnvelope().getDeliveryTag(), true);
    }
    GetResponse dead = Messages.await(ch, dlq, true);
    assertEquals("delivery_limit", dead.getProps().getHeaders().get("x-first-death-reason") + "");
    assertEquals(0, Messages.readyCount(ch, q));
  }

  @Test
  void aQuorumQueueWithoutALimitOrDeadLetterExchangeDropsAMessageOnItsTwentyFirstReturn()
      throws Exception {
    assumeFalse(TestBroker.isExternal(), "RabbitMQ 4's default; 3.10 has none");
    String q = declare("quorum", Map.of());
    session.publish(q, "poison", "fine");
    Channel ch = session.channel();
    for (int delivery = 1; delivery <= 21; delivery++) {
      GetResponse r = Messages.await(ch, q, false);
      assertEquals("poison", Messages.text(r.getBody()));
      ch.basicNack(r.getEnvelope().getDeliveryTag(), false, true);
    }
    assertEquals(List.of("fine"), Messages.drain(ch, q));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"quorum", "classic"})
  void aNegativeDeliveryLimitIsNoLimit(String type) throws Exception {
    assumeFalse(TestBroker.isExternal(), "RabbitMQ 4: -1 is unlimited; 3.10 drops at once");
    String q = declare(type, Map.of("x-delivery-limit", -1));
    session.publish(q, "again");
    Channel ch = session.channel();
    for (int delivery = 1; delivery <= 25; delivery++) {
      ch.basicReject(Messages.await(ch, q, false).getEnvelope().getDeliveryTag(), true);
    }
    GetResponse r = Messages.await(ch, q, true);
    assertEquals("again", Messages.text(r.getBody()));
    Long counted = type.equals("quorum") ? 25L : null;
    assertEquals(
        counted, deliveryCount(r.getProps()), "only a quorum queue counts without a limit");
  }

  @Test
  void aClassicQueueWithoutALimitHasNone() throws Exception {
    String q = declare("classic", Map.of());
    session.publish(q, "again");
    Channel ch = session.channel();
    for (int delivery = 1; delivery <= 25; delivery++) {
      ch.basicReject(Messages.await(ch, q, false).getEnvelope().getDeliveryTag(), true);
    }
    GetResponse r = Messages.await(ch, q, true);
    assertEquals("again", Messages.text(r.getBody()));
    assertNull(deliveryCount(r.getProps()), "a classic queue without a limit does not count");
  }

  /** A queue of that type with the arguments; quorum queues are durable, as they must be. */
  private String declare(String type, Map<String, Object> arguments) throws IOException {
    if (type.equals("classic")) {
      assumeFalse(
          TestBroker.isExternal(),
          "Warren-only: RabbitMQ 3.10 supports x-delivery-limit on quorum queues only");
    }
    Map<String, Object> args = new HashMap<>(arguments);
    args.put("x-queue-type", type);
    String q = session.queueName();
    session.channel().queueDeclare(q, type.equals("quorum"), false, false, args);
    return q;
  }

  private static Long deliveryCount(AMQP.BasicProperties props) {
    Map<String, Object> headers = props.getHeaders();
    Object count = headers == null ? null : headers.get("x-delivery-count");
    return count == null ? null : ((Number) count).longValue();
  }
}
