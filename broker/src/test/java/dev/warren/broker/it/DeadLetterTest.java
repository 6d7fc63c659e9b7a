package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Dead-lettering through x-dead-letter-exchange, with the x-death history RabbitMQ records. */
class DeadLetterTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void rejectedMessageIsDeadLetteredWithXDeath() throws Exception {
    Channel ch = session.channel();
    String dlx = session.declareExchange("fanout");
    String dlq = session.declareQueue();
    ch.queueBind(dlq, dlx, "");
    String q = session.declareQueue(Map.of("x-dead-letter-exchange", dlx));
    session.publish(q, "bad");
    ch.basicReject(Messages.get(ch, q, false).getEnvelope().getDeliveryTag(), false);
    GetResponse dead = awaitMessage(dlq);
    assertEquals("bad", Messages.text(dead.getBody()));
    assertEquals(q, dead.getEnvelope().getRoutingKey(), "original routing key is kept");
    Map<String, Object> headers = dead.getProps().getHeaders();
    assertEquals("rejected", headers.get("x-first-death-reason").toString());
    assertEquals(q, headers.get("x-first-death-queue").toString());
    assertEquals("", headers.get("x-first-death-exchange").toString());
    Map<?, ?> death = onlyDeath(headers);
    assertEquals(1L, death.get("count"));
    assertEquals("rejected", death.get("reason").toString());
    assertEquals(q, death.get("queue").toString());
    assertEquals("", death.get("exchange").toString());
    List<?> keys = assertInstanceOf(List.class, death.get("routing-keys"));
    assertEquals(q, keys.get(0).toString());
  }

  @Test
  void nackedWithoutRequeueMessageIsDeadLettered() throws Exception {
    Channel ch = session.channel();
    String dlq = session.declareQueue();
    String q =
        session.declareQueue(
            Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq));
    session.publish(q, "nacked");
    ch.basicNack(Messages.get(ch, q, false).getEnvelope().getDeliveryTag(), false, false);
    assertEquals("nacked", Messages.text(awaitMessage(dlq).getBody()));
  }

  @Test
  void expiredMessageIsDeadLetteredWithReasonExpiredAndTheOverridingRoutingKey() throws Exception {
    Channel ch = session.channel();
    String dlx = session.declareExchange("direct");
    String dlq = session.declareQueue();
    ch.queueBind(dlq, dlx, "expired-key");
    String q =
        session.declareQueue(
            Map.of(
                "x-message-ttl",
                100,
                "x-dead-letter-exchange",
                dlx,
                "x-dead-letter-routing-key",
                "expired-key"));
    session.publish(q, "late");
    GetResponse dead = awaitMessage(dlq);
    assertEquals("late", Messages.text(dead.getBody()));
    assertEquals("expired-key", dead.getEnvelope().getRoutingKey());
    Map<?, ?> death = onlyDeath(dead.getProps().getHeaders());
    assertEquals("expired", death.get("reason").toString());
  }

  @Test
  void messageDroppedByMaxLengthIsDeadLetteredWithReasonMaxlen() throws Exception {
    String dlq = session.declareQueue();
    String q =
        session.declareQueue(
            Map.of(
                "x-max-length", 1, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq));
    session.publish(q, "first", "second");
    GetResponse dead = awaitMessage(dlq);
    assertEquals("first", Messages.text(dead.getBody()));
    assertEquals("maxlen", onlyDeath(dead.getProps().getHeaders()).get("reason").toString());
    assertEquals(List.of("second"), Messages.drain(session.channel(), q));
  }

  @Test
  void deadLetteringTwiceThroughTheSameQueueCountsInXDeath() throws Exception {
    Channel ch = session.channel();
    String q = session.queueName();
    String parking = session.queueName();
    ch.queueDeclare(
        parking,
        false,
        false,
        false,
        Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", q));
    ch.queueDeclare(
        q,
        false,
        false,
        false,
        Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", parking));
    session.publish(q, "bounce");
    for (int round = 0; round < 2; round++) {
      ch.basicReject(awaitMessage(q, false).getEnvelope().getDeliveryTag(), false);
      ch.basicReject(awaitMessage(parking, false).getEnvelope().getDeliveryTag(), false);
    }
    GetResponse r = awaitMessage(q, true);
    List<?> deaths = assertInstanceOf(List.class, r.getProps().getHeaders().get("x-death"));
    assertEquals(2, deaths.size(), "one entry per (queue, reason)");
    for (Object d : deaths) {
      assertEquals(2L, assertInstanceOf(Map.class, d).get("count"));
    }
  }

  private static Map<?, ?> onlyDeath(Map<String, Object> headers) {
    List<?> deaths = assertInstanceOf(List.class, headers.get("x-death"));
    assertEquals(1, deaths.size());
    return assertInstanceOf(Map.class, deaths.get(0));
  }

  private GetResponse awaitMessage(String q) {
    return awaitMessage(q, true);
  }

  private GetResponse awaitMessage(String q, boolean autoAck) {
    GetResponse[] got = new GetResponse[1];
    Poll.until(
        Duration.ofSeconds(10),
        () -> (got[0] = session.channel().basicGet(q, autoAck)) != null,
        "a message on " + q);
    return got[0];
  }
}
