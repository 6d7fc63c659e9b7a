package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.it.AmqpSession;
import dev.warren.broker.it.Messages;
import dev.warren.broker.it.TestBroker;
import dev.warren.broker.management.ManagementHttp.Reply;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exchanges and bindings made through the management API route what AMQP clients publish, and are
 * listed as RabbitMQ lists them. Runs against RabbitMQ too.
 */
class RoutingOverHttpTest {
  @RegisterExtension final AmqpSession amqp = new AmqpSession();

  private final ManagementHttp api = ManagementHttp.guest(TestBroker.managementAddress());

  private static String exchange(String name) {
    return "/api/exchanges/%2F/" + ManagementHttp.segment(name);
  }

  private static String queue(String name) {
    return "/api/queues/%2F/" + ManagementHttp.segment(name);
  }

  private static String binding(String source, String type, String destination) {
    return "/api/bindings/%2F/e/"
        + ManagementHttp.segment(source)
        + "/"
        + type
        + "/"
        + ManagementHttp.segment(destination);
  }

  @Test
  void exchangeAndBindingsMadeOverHttpRouteAmqpPublishes() throws Exception {
    String topic = amqp.trackExchange(AmqpSession.uniqueName("mgmt-topic"));
    String fanout = amqp.trackExchange(AmqpSession.uniqueName("mgmt-fanout"));
    String orders = amqp.trackQueue(AmqpSession.uniqueName("mgmt-orders"));
    String all = amqp.trackQueue(AmqpSession.uniqueName("mgmt-all"));
    assertEquals(201, api.put(exchange(topic), "{\"type\":\"topic\",\"durable\":true}").status());
    assertEquals(201, api.put(exchange(fanout), "{\"type\":\"fanout\"}").status());
    api.put(queue(orders), "{}");
    api.put(queue(all), "{}");
    Reply bound = api.post(binding(topic, "q", orders), "{\"routing_key\":\"order.*\"}");
    assertEquals(201, bound.status());
    assertEquals(201, api.post(binding(topic, "e", fanout), "{\"routing_key\":\"#\"}").status());
    assertEquals(201, api.post(binding(fanout, "q", all), "{}").status());

    amqp.publisher().basicPublish(topic, "order.created", null, Messages.bytes("o1"));
    amqp.publisher().basicPublish(topic, "invoice.sent", null, Messages.bytes("i1"));
    amqp.publisher().waitForConfirmsOrDie(5_000);

    assertEquals("o1", Messages.text(Messages.await(amqp.channel(), orders, true).getBody()));
    assertNull(amqp.channel().basicGet(orders, true), "invoice.sent does not match order.*");
    assertEquals("o1", Messages.text(Messages.await(amqp.channel(), all, true).getBody()));
    assertEquals("i1", Messages.text(Messages.await(amqp.channel(), all, true).getBody()));

    JsonNode listed = api.get(queue(orders) + "/bindings").json();
    assertEquals(2, listed.size(), "the default exchange's and the topic's");
    assertTrue(
        StreamSupport.stream(listed.spliterator(), false)
            .anyMatch(
                b ->
                    b.get("source").asText().isEmpty()
                        && b.get("routing_key").asText().equals(orders)
                        && b.get("destination_type").asText().equals("queue")));
    JsonNode fromTopic = api.get(exchange(topic) + "/bindings/source").json();
    assertEquals(2, fromTopic.size());

    String key = api.get(binding(topic, "q", orders)).json().get(0).get("properties_key").asText();
    Reply unbound = api.delete(binding(topic, "q", orders) + "/" + ManagementHttp.segment(key));
    assertEquals(204, unbound.status());
    amqp.publisher().basicPublish(topic, "order.paid", null, Messages.bytes("o2"));
    amqp.publisher().waitForConfirmsOrDie(5_000);
    assertEquals("o2", Messages.text(Messages.await(amqp.channel(), all, true).getBody()));
    assertNull(amqp.channel().basicGet(orders, true), "unbound");
  }

  @Test
  void exchangesAreCheckedAsExchangeDeclareChecksThem() {
    String x = amqp.trackExchange(AmqpSession.uniqueName("mgmt-x"));
    api.put(exchange(x), "{\"type\":\"direct\",\"durable\":true}");

    Reply type = api.put(exchange(x), "{\"type\":\"fanout\",\"durable\":true}");
    assertEquals(400, type.status());
    assertEquals(
        "inequivalent arg 'type' for exchange '"
            + x
            + "' in vhost '/': received 'fanout' but current is 'direct'",
        type.reason());
    Reply unknown = api.put(exchange(x + "-2"), "{\"type\":\"no-such-type\"}");
    assertEquals(400, unknown.status());
    assertEquals("unknown exchange type 'no-such-type'", unknown.reason());

    Reply reserved = api.put(exchange("amq.mine"), "{\"type\":\"direct\"}");
    assertEquals(401, reserved.status());
    assertEquals("Access refused.", reserved.reason());
    assertEquals(
        204,
        api.put(exchange("amq.direct"), "{\"type\":\"direct\",\"durable\":true}").status(),
        "an equal redeclare of a standard exchange is fine");
    assertEquals(401, api.delete(exchange("amq.direct")).status());

    String q = amqp.trackQueue(AmqpSession.uniqueName("mgmt-q"));
    api.put(queue(q), "{}");
    api.post(binding(x, "q", q), "{\"routing_key\":\"k\"}");
    Reply inUse = api.delete(exchange(x) + "?if-unused=true");
    assertEquals(400, inUse.status());
    assertEquals("exchange '" + x + "' in vhost '/' in use", inUse.reason());
    Reply noQueue = api.post(binding(x, "q", q + "-missing"), "{}");
    assertEquals(404, noQueue.status());
    assertEquals("no queue '" + q + "-missing' in vhost '/'", noQueue.reason());
    assertEquals(204, api.delete(exchange(x)).status());
  }

  @Test
  void publishOverHttpIsCheckedAsBasicPublishIs() throws Exception {
    String user = AmqpSession.uniqueName("mgmt-publisher");
    String q = amqp.trackQueue(AmqpSession.uniqueName("mgmt-checked"));
    try {
      api.put("/api/users/" + user, "{\"password\":\"secret\",\"tags\":\"management\"}");
      api.put(
          "/api/permissions/%2F/" + user, "{\"configure\":\"\",\"write\":\".*\",\"read\":\"\"}");
      api.put(
          "/api/topic-permissions/%2F/" + user,
          "{\"exchange\":\"amq.topic\",\"write\":\"^allowed\\\\.\",\"read\":\".*\"}");
      ManagementHttp publisher = new ManagementHttp(TestBroker.managementAddress(), user, "secret");
      amqp.channel().queueDeclare(q, false, false, false, null);
      amqp.channel().queueBind(q, "amq.topic", "#");

      Reply someoneElse = publisher.post(publish("amq.topic"), message("allowed.x", "guest"));
      assertEquals(400, someoneElse.status());
      assertEquals(
          "406 PRECONDITION_FAILED - user_id property set to 'guest' but authenticated user was '"
              + user
              + "'",
          someoneElse.reason());
      Reply denied = publisher.post(publish("amq.topic"), message("denied.x", user));
      assertEquals(400, denied.status());
      assertEquals(
          "403 ACCESS_REFUSED - access to topic 'denied.x' in exchange 'amq.topic' in vhost '/'"
              + " refused for user '"
              + user
              + "'",
          denied.reason());
      Reply allowed = publisher.post(publish("amq.topic"), message("allowed.x", user));
      assertEquals(200, allowed.status());
      assertTrue(allowed.json().get("routed").asBoolean());

      GetResponse got = Messages.await(amqp.channel(), q, true);
      assertEquals(user, got.getProps().getUserId());
      assertEquals("allowed.x", got.getEnvelope().getRoutingKey());
      assertNull(amqp.channel().basicGet(q, true), "nothing of the refused ones");
    } finally {
      api.delete("/api/users/" + user);
    }
  }

  private static String publish(String exchange) {
    return exchange(exchange) + "/publish";
  }

  private static String message(String routingKey, String userId) {
    return "{\"routing_key\":\""
        + routingKey
        + "\",\"properties\":{\"user_id\":\""
        + userId
        + "\"},\"payload\":\"p\",\"payload_encoding\":\"string\"}";
  }
}
