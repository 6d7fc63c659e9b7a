package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  void aDeadLetterAFullTargetRefusesWaitsInItsDurableSourceUntilTheTargetHasRoom()
      throws Exception {
    assumeFalse(
        TestBroker.isExternal(),
        "compatibility note: RabbitMQ's classic queues drop a dead letter its target refuses");
    Channel ch = session.channel();
    String target = session.queueName();
    String source = session.queueName();
    ch.queueDeclare(
        target, true, false, true, Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
    ch.queueDeclare(
        source,
        true,
        false,
        true,
        Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", target));
    ch.basicPublish("", target, MessageProperties.PERSISTENT_BASIC, Messages.bytes("filler"));
    ch.basicPublish("", source, MessageProperties.PERSISTENT_BASIC, Messages.bytes("bounced"));
    ch.basicReject(Messages.get(ch, source, false).getEnvelope().getDeliveryTag(), false);
    assertEquals(List.of("filler"), Messages.drain(ch, target), "the target was full");
    GetResponse dead = awaitMessage(target);
    assertEquals("bounced", Messages.text(dead.getBody()), "tried again once it had room");
    assertEquals(0, ch.queueDeclarePassive(source).getMessageCount());
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

  @Test
  void expiredMessageCarriesTheFullXDeathRecordAndLosesItsExpiration() throws Exception {
    Channel ch = session.channel();
    String dlq = session.declareQueue();
    String q =
        session.declareQueue(
            Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq));
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .expiration("50")
            .messageId("m-1")
            .headers(Map.of("app", "kept"))
            .build();
    long before = System.currentTimeMillis();
    session.publisher().basicPublish("", q, props, Messages.bytes("late"));
    GetResponse dead = awaitMessage(dlq);
    assertNull(dead.getProps().getExpiration(), "the expiration is moved into x-death");
    assertEquals("m-1", dead.getProps().getMessageId());
    Map<String, Object> headers = dead.getProps().getHeaders();
    assertEquals("kept", headers.get("app").toString());
    assertEquals("expired", headers.get("x-first-death-reason").toString());
    assertEquals(q, headers.get("x-first-death-queue").toString());
    assertEquals("", headers.get("x-first-death-exchange").toString());
    Map<?, ?> death = onlyDeath(headers);
    assertEquals(
        Set.of(
            "count", "reason", "queue", "time", "exchange", "routing-keys", "original-expiration"),
        death.keySet());
    assertEquals(1L, death.get("count"));
    assertEquals("expired", death.get("reason").toString());
    assertEquals(q, death.get("queue").toString());
    assertEquals("", death.get("exchange").toString());
    assertEquals(List.of(q), strings(death.get("routing-keys")));
    assertEquals("50", death.get("original-expiration").toString());
    long time = assertInstanceOf(Date.class, death.get("time")).getTime();
    assertTrue(
        time >= before / 1000 * 1000 - 1000 && time <= System.currentTimeMillis() + 1000,
        () -> "x-death time is the death's, in whole seconds: " + death.get("time"));
    assertEquals(0, time % 1000, "an AMQP timestamp has whole seconds");
  }

  @Test
  void queueTtlExpiryRecordsNoOriginalExpiration() throws Exception {
    String dlq = session.declareQueue();
    String q =
        session.declareQueue(
            Map.of(
                "x-message-ttl",
                50,
                "x-dead-letter-exchange",
                "",
                "x-dead-letter-routing-key",
                dlq));
    session.publish(q, "late");
    Map<?, ?> death = onlyDeath(awaitMessage(dlq).getProps().getHeaders());
    assertEquals("expired", death.get("reason").toString());
    assertFalse(death.containsKey("original-expiration"));
  }

  @Test
  void xDeathRoutingKeysIncludeCcKeysAndTheCcHeaderIsKeptWithoutARoutingKeyOverride()
      throws Exception {
    Channel ch = session.channel();
    String dlx = session.declareExchange("fanout");
    String dlq = session.declareQueue();
    ch.queueBind(dlq, dlx, "");
    String q = session.declareQueue(Map.of("x-dead-letter-exchange", dlx));
    String x = session.declareExchange("direct");
    ch.queueBind(q, x, "main");
    session
        .publisher()
        .basicPublish(x, "main", Messages.withHeaders(Map.of("CC", List.of("copy"))), bytes("m"));
    session.publisher().waitForConfirmsOrDie(5_000);
    ch.basicReject(Messages.get(ch, q, false).getEnvelope().getDeliveryTag(), false);
    GetResponse dead = awaitMessage(dlq);
    assertEquals("main", dead.getEnvelope().getRoutingKey());
    assertEquals(dlx, dead.getEnvelope().getExchange());
    Map<?, ?> death = onlyDeath(dead.getProps().getHeaders());
    assertEquals(x, death.get("exchange").toString());
    assertEquals(List.of("main", "copy"), strings(death.get("routing-keys")));
    assertEquals(List.of("copy"), strings(dead.getProps().getHeaders().get("CC")));
  }

  @Test
  void deadLetterRoutingKeyOverrideDropsTheCcHeader() throws Exception {
    Channel ch = session.channel();
    String dlq = session.declareQueue();
    String q =
        session.declareQueue(
            Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq));
    session
        .publisher()
        .basicPublish("", q, Messages.withHeaders(Map.of("CC", List.of("nowhere"))), bytes("m"));
    session.publisher().waitForConfirmsOrDie(5_000);
    ch.basicReject(Messages.get(ch, q, false).getEnvelope().getDeliveryTag(), false);
    GetResponse dead = awaitMessage(dlq);
    assertEquals(dlq, dead.getEnvelope().getRoutingKey());
    assertFalse(dead.getProps().getHeaders().containsKey("CC"));
    assertEquals(
        List.of(q, "nowhere"),
        strings(onlyDeath(dead.getProps().getHeaders()).get("routing-keys")));
  }

  @Test
  void mostRecentDeathComesFirstInXDeath() throws Exception {
    Channel ch = session.channel();
    String second = session.queueName();
    String end = session.declareQueue();
    ch.queueDeclare(
        second,
        false,
        false,
        false,
        Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", end));
    String first =
        session.declareQueue(
            Map.of(
                "x-message-ttl",
                50,
                "x-dead-letter-exchange",
                "",
                "x-dead-letter-routing-key",
                second));
    session.publish(first, "m");
    ch.basicReject(awaitMessage(second, false).getEnvelope().getDeliveryTag(), false);
    Map<String, Object> headers = awaitMessage(end).getProps().getHeaders();
    List<?> deaths = assertInstanceOf(List.class, headers.get("x-death"));
    assertEquals(2, deaths.size());
    Map<?, ?> latest = assertInstanceOf(Map.class, deaths.get(0));
    Map<?, ?> earliest = assertInstanceOf(Map.class, deaths.get(1));
    assertEquals(
        List.of(second, "rejected"),
        List.of(latest.get("queue").toString(), latest.get("reason").toString()));
    assertEquals(
        List.of(first, "expired"),
        List.of(earliest.get("queue").toString(), earliest.get("reason").toString()));
    assertEquals(
        List.of(second), strings(latest.get("routing-keys")), "the key it reached that queue with");
    assertEquals(first, headers.get("x-first-death-queue").toString());
    assertEquals("expired", headers.get("x-first-death-reason").toString());
  }

  @Test
  void xLastDeathHeadersNameTheLatestDeath() throws Exception {
    assumeFalse(
        TestBroker.isExternal(),
        "Warren-only: x-last-death-* headers come with RabbitMQ 3.13; 3.10 writes only x-first-death-*");
    Channel ch = session.channel();
    String second = session.queueName();
    String end = session.declareQueue();
    ch.queueDeclare(
        second,
        false,
        false,
        false,
        Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", end));
    String first =
        session.declareQueue(
            Map.of(
                "x-message-ttl",
                50,
                "x-dead-letter-exchange",
                "",
                "x-dead-letter-routing-key",
                second));
    session.publish(first, "m");
    ch.basicReject(awaitMessage(second, false).getEnvelope().getDeliveryTag(), false);
    Map<String, Object> headers = awaitMessage(end).getProps().getHeaders();
    assertEquals("rejected", headers.get("x-last-death-reason").toString());
    assertEquals(second, headers.get("x-last-death-queue").toString());
    assertEquals("", headers.get("x-last-death-exchange").toString());
    assertEquals("expired", headers.get("x-first-death-reason").toString());
  }

  /**
   * RabbitMQ before 3.5 wrote one x-death entry per death, without count. Such entries are merged
   * into one per (queue, reason) whose count is their number, the earliest first (its time is
   * kept), then counted on; and as RabbitMQ 3.10, a message that came with an x-death gets no
   * x-first-death-* headers.
   */
  @Test
  void legacyXDeathEntriesAreMergedIntoOnePerQueueAndReasonWithTheirNumberAsCount()
      throws Exception {
    String[] chain = expiringChain();
    Date firstTime = new Date(1_000_000L);
    List<Object> legacy = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      legacy.add(legacyDeath(chain[0], "expired", new Date(firstTime.getTime() + 1000L * i)));
    }
    session
        .publisher()
        .basicPublish("", chain[0], Messages.withHeaders(Map.of("x-death", legacy)), bytes("old"));
    session.publisher().waitForConfirmsOrDie(5_000);
    Map<String, Object> headers = awaitMessage(chain[2]).getProps().getHeaders();
    List<?> deaths = assertInstanceOf(List.class, headers.get("x-death"));
    assertEquals(2, deaths.size());
    Map<?, ?> latest = assertInstanceOf(Map.class, deaths.get(0));
    Map<?, ?> merged = assertInstanceOf(Map.class, deaths.get(1));
    assertEquals(chain[1], latest.get("queue").toString());
    assertEquals(1L, latest.get("count"));
    assertEquals(chain[0], merged.get("queue").toString());
    assertEquals(6L, merged.get("count"), "five legacy deaths and this one");
    assertEquals(firstTime, merged.get("time"), "the time of the first death");
    assertFalse(headers.containsKey("x-first-death-reason"));
  }

  /**
   * Repeated entries that carry counts are merged too, keeping the first entry's count (RabbitMQ
   * 3.10 does not add them up); entries of queues the message does not pass again are merged alike.
   */
  @Test
  void repeatedXDeathEntriesWithCountsKeepTheFirstCount() throws Exception {
    String[] chain = expiringChain();
    List<Object> repeated = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Map<String, Object> counted = new HashMap<>(legacyDeath(chain[0], "expired", new Date(0)));
      counted.put("count", 2L);
      repeated.add(counted);
    }
    for (int i = 0; i < 4; i++) {
      repeated.add(legacyDeath("elsewhere", "rejected", new Date(0)));
    }
    session
        .publisher()
        .basicPublish(
            "", chain[0], Messages.withHeaders(Map.of("x-death", repeated)), bytes("old"));
    session.publisher().waitForConfirmsOrDie(5_000);
    List<?> deaths =
        assertInstanceOf(List.class, awaitMessage(chain[2]).getProps().getHeaders().get("x-death"));
    Map<String, Object> counts = new HashMap<>();
    for (Object d : deaths) {
      Map<?, ?> death = assertInstanceOf(Map.class, d);
      counts.put(death.get("queue") + "/" + death.get("reason"), death.get("count"));
    }
    assertEquals(
        Map.of(chain[1] + "/expired", 1L, chain[0] + "/expired", 3L, "elsewhere/rejected", 4L),
        counts);
  }

  /**
   * Deviation (README, Compatibility notes): x-death stays most recent first through any number of
   * deaths; RabbitMQ 3.10 reverses the older entries each time it dead-letters a message that has
   * two or more, so after three deaths it reads [third, first, second].
   */
  @Test
  void xDeathStaysMostRecentFirstAfterThreeDeaths() throws Exception {
    assumeFalse(
        TestBroker.isExternal(), "Warren-only: RabbitMQ 3.10 reorders the older x-death entries");
    String end = session.declareQueue();
    String third = expiringInto(end);
    String second = expiringInto(third);
    String first = expiringInto(second);
    session.publish(first, "m");
    List<?> deaths =
        assertInstanceOf(List.class, awaitMessage(end).getProps().getHeaders().get("x-death"));
    assertEquals(
        List.of(third, second, first),
        deaths.stream().map(d -> ((Map<?, ?>) d).get("queue").toString()).toList());
  }

  /**
   * Three queues: the first two expire their messages at once into the next, the last keeps them.
   */
  private String[] expiringChain() throws Exception {
    String end = session.declareQueue();
    String second = expiringInto(end);
    return new String[] {expiringInto(second), second, end};
  }

  /** A queue whose messages expire at once into {@code next}. */
  private String expiringInto(String next) throws Exception {
    return session.declareQueue(
        Map.of(
            "x-message-ttl", 1, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", next));
  }

  /** An x-death entry as RabbitMQ before 3.5 wrote it: no count. */
  private static Map<String, Object> legacyDeath(String queue, String reason, Date time) {
    return Map.of(
        "queue",
        queue,
        "reason",
        reason,
        "time",
        time,
        "exchange",
        "",
        "routing-keys",
        List.of(queue));
  }

  @Test
  void messageExpiringInACycleBackToItsOwnQueueIsDropped() throws Exception {
    String q = session.queueName();
    session
        .channel()
        .queueDeclare(
            q,
            false,
            false,
            false,
            Map.of(
                "x-message-ttl", 50, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", q));
    session.publish(q, "cycle");
    Poll.letTimePass(Duration.ofMillis(300));
    assertEquals(0, Messages.readyCount(session.channel(), q));
  }

  @Test
  void messageExpiringAroundATwoQueueCycleIsDropped() throws Exception {
    Channel ch = session.channel();
    String a = session.queueName();
    String b = session.queueName();
    ch.queueDeclare(
        a,
        false,
        false,
        false,
        Map.of("x-message-ttl", 50, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", b));
    ch.queueDeclare(
        b,
        false,
        false,
        false,
        Map.of("x-message-ttl", 50, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", a));
    session.publish(a, "cycle");
    Poll.letTimePass(Duration.ofMillis(500));
    assertEquals(List.of(0, 0), List.of(Messages.readyCount(ch, a), Messages.readyCount(ch, b)));
  }

  @Test
  void rejectionInTheCycleKeepsTheMessageCirculating() throws Exception {
    Channel ch = session.channel();
    String q = session.queueName();
    ch.queueDeclare(
        q,
        false,
        false,
        false,
        Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", q));
    session.publish(q, "again");
    for (int i = 0; i < 3; i++) {
      ch.basicReject(awaitMessage(q, false).getEnvelope().getDeliveryTag(), false);
    }
    Map<?, ?> death = onlyDeath(awaitMessage(q).getProps().getHeaders());
    assertEquals(3L, death.get("count"));
    assertEquals("rejected", death.get("reason").toString());
  }

  @Test
  void deadLetteringToAMissingExchangeDropsTheMessage() throws Exception {
    Channel ch = session.channel();
    String q = session.declareQueue(Map.of("x-dead-letter-exchange", session.exchangeName()));
    session.publish(q, "m");
    ch.basicReject(Messages.get(ch, q, false).getEnvelope().getDeliveryTag(), false);
    assertEquals(0, Messages.readyCount(ch, q));
    assertTrue(ch.isOpen());
  }

  @Test
  void requeuedMessageIsNotDeadLettered() throws Exception {
    Channel ch = session.channel();
    String dlq = session.declareQueue();
    String q =
        session.declareQueue(
            Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq));
    session.publish(q, "m");
    ch.basicReject(Messages.get(ch, q, false).getEnvelope().getDeliveryTag(), true);
    assertEquals(List.of("m"), Messages.drain(ch, q));
    assertEquals(List.of(), Messages.drain(ch, dlq));
  }

  private static List<String> strings(Object list) {
    List<?> items = assertInstanceOf(List.class, list);
    return items.stream().map(Object::toString).toList();
  }

  private static byte[] bytes(String text) {
    return Messages.bytes(text);
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
