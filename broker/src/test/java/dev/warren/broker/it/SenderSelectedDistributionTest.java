package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sender-selected distribution: the CC and BCC headers (arrays of routing keys) route a message to
 * extra keys of the same exchange; BCC is removed before delivery, CC is kept, and the envelope
 * keeps the publish routing key.
 */
class SenderSelectedDistributionTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void ccAndBccRouteToTheirKeysAndOnlyBccIsStripped() throws Exception {
    Channel ch = session.channel();
    String x = session.declareExchange("direct");
    String main = bound(x, "main");
    String copied = bound(x, "copied");
    String hidden = bound(x, "hidden");
    Map<String, Object> headers = new HashMap<>();
    headers.put("CC", List.of("copied"));
    headers.put("BCC", List.of("hidden"));
    headers.put("app", "kept");
    publish(x, "main", headers);
    for (String q : List.of(main, copied, hidden)) {
      GetResponse r = Messages.get(ch, q, true);
      assertEquals("main", r.getEnvelope().getRoutingKey(), "envelope key on " + q);
      Map<String, Object> seen = r.getProps().getHeaders();
      assertEquals("kept", seen.get("app").toString());
      assertEquals(List.of("copied"), strings(seen.get("CC")));
      assertFalse(seen.containsKey("BCC"), "BCC is stripped");
    }
  }

  @Test
  void queueReachedByTheKeyAndByCcAndBccGetsOneCopy() throws Exception {
    String x = session.declareExchange("direct");
    String q = bound(x, "k");
    publish(x, "k", Map.of("CC", List.of("k"), "BCC", List.of("k")));
    assertEquals(List.of("m"), Messages.drain(session.channel(), q));
  }

  @Test
  void ccKeysAreMatchedByTopicPatterns() throws Exception {
    String x = session.declareExchange("topic");
    String q = bound(x, "audit.#");
    publish(x, "orders.created", Map.of("CC", List.of("audit.orders.created")));
    assertEquals(List.of("m"), Messages.drain(session.channel(), q));
  }

  @Test
  void mandatoryMessageRoutedOnlyByBccIsNotReturned() throws Exception {
    String x = session.declareExchange("direct");
    String q = bound(x, "hidden");
    PublishOutcomes outcomes = PublishOutcomes.attach(session.connection().createChannel());
    outcomes
        .channel()
        .basicPublish(
            x,
            "nowhere",
            true,
            Messages.withHeaders(Map.of("BCC", List.of("hidden"))),
            Messages.bytes("m"));
    outcomes.awaitConfirms();
    assertEquals(List.of(), outcomes.returns());
    assertEquals(List.of("m"), Messages.drain(session.channel(), q));
  }

  @Test
  void ccOnTheDefaultExchangeNamesQueues() throws Exception {
    String a = session.declareQueue();
    String b = session.declareQueue();
    publish("", a, Map.of("CC", List.of(b)));
    assertEquals(List.of("m"), Messages.drain(session.channel(), a));
    assertEquals(List.of("m"), Messages.drain(session.channel(), b));
  }

  @Test
  void ccThatIsNotAnArrayIsPreconditionFailed() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.connection().createChannel();
    AMQP.BasicProperties props = Messages.withHeaders(Map.of("CC", "not-an-array"));
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(ch, () -> ch.basicPublish("", q, props, Messages.bytes("m"))));
  }

  private String bound(String exchange, String key) throws Exception {
    String q = session.declareQueue();
    session.channel().queueBind(q, exchange, key);
    return q;
  }

  private void publish(String exchange, String key, Map<String, Object> headers) throws Exception {
    session
        .publisher()
        .basicPublish(exchange, key, Messages.withHeaders(headers), Messages.bytes("m"));
    session.publisher().waitForConfirmsOrDie(5_000);
  }

  private static List<String> strings(Object list) {
    List<?> items = (List<?>) list;
    return items.stream().map(Object::toString).toList();
  }
}
