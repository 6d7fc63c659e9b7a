package dev.warren.broker.management;

import static dev.warren.broker.it.AmqpErrors.channelClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.it.AmqpSession;
import dev.warren.broker.it.Messages;
import dev.warren.broker.it.TestBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The firehose ({@code rabbitmqctl trace_on}, here through the management API's {@code tracing}
 * flag of a virtual host): every publish and every delivery in a traced virtual host is copied to
 * its {@code amq.rabbitmq.trace} exchange with RabbitMQ's routing keys and headers; nothing once it
 * is off. Runs against RabbitMQ too.
 */
class TracingOverHttpTest {
  private final ManagementHttp api = ManagementHttp.guest(TestBroker.managementAddress());
  private final String vhost = AmqpSession.uniqueName("traced");
  private final String path = "/api/vhosts/" + ManagementHttp.segment(vhost);

  @AfterEach
  void removeVhost() {
    api.delete(path);
  }

  @Test
  void publishesAndDeliveriesOfATracedVhostAreCopiedToTheTraceExchange() throws Exception {
    api.put(path, "{}");
    assertFalse(api.get(path).json().path("tracing").asBoolean());
    ConnectionFactory f = TestBroker.connectionFactory();
    f.setVirtualHost(vhost);
    try (Connection c = f.newConnection()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("work", false, false, false, null);
      ch.queueDeclare("trace", false, false, false, null);
      ch.queueBind("trace", "amq.rabbitmq.trace", "#");
      assertEquals(204, api.put(path, "{\"tracing\":true}").status());
      assertTrue(api.get(path).json().path("tracing").asBoolean());

      AMQP.BasicProperties props =
          new AMQP.BasicProperties.Builder()
              .contentType("text/plain")
              .headers(Map.of("a", 1))
              .deliveryMode(2)
              .priority(3)
              .build();
      ch.basicPublish("", "work", props, Messages.bytes("hello"));
      ch.basicPublish("amq.direct", "nowhere", null, Messages.bytes("lost"));
      GetResponse first = Messages.await(ch, "work", false);
      ch.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
      Messages.await(ch, "work", true);

      List<GetResponse> traced = drain(ch, "trace", 4);
      GetResponse published = traced.get(0);
      assertEquals("amq.rabbitmq.trace", published.getEnvelope().getExchange());
      assertEquals("publish.", published.getEnvelope().getRoutingKey());
      assertEquals("hello", Messages.text(published.getBody()));
      Map<String, Object> h = published.getProps().getHeaders();
      assertEquals("", h.get("exchange_name").toString());
      assertEquals(List.of("work"), strings(h.get("routing_keys")));
      assertEquals(List.of("work"), strings(h.get("routed_queues")));
      assertEquals(vhost, h.get("vhost").toString());
      assertEquals("guest", h.get("user").toString());
      assertEquals(1, ((Number) h.get("channel")).intValue());
      assertEquals(api.get("/api/overview").json().path("node").asText(), h.get("node").toString());
      assertNotNull(h.get("connection"));
      @SuppressWarnings("unchecked")
      Map<String, Object> original = (Map<String, Object>) h.get("properties");
      assertEquals("text/plain", original.get("content_type").toString());
      assertEquals(2, ((Number) original.get("delivery_mode")).intValue());
      assertEquals(3, ((Number) original.get("priority")).intValue());
      assertEquals(Map.of("a", 1), original.get("headers"));

      GetResponse unroutable = traced.get(1);
      assertEquals("publish.amq.direct", unroutable.getEnvelope().getRoutingKey());
      assertEquals(List.of(), strings(unroutable.getProps().getHeaders().get("routed_queues")));

      for (int i = 2; i < 4; i++) {
        GetResponse delivered = traced.get(i);
        assertEquals("deliver.work", delivered.getEnvelope().getRoutingKey());
        assertEquals("hello", Messages.text(delivered.getBody()));
        Map<String, Object> d = delivered.getProps().getHeaders();
        assertEquals(i - 2, ((Number) d.get("redelivered")).intValue(), "redelivered");
        assertEquals(List.of("work"), strings(d.get("routing_keys")));
        assertFalse(d.containsKey("routed_queues"));
      }

      assertEquals(204, api.put(path, "{\"tracing\":false}").status());
      ch.basicPublish("", "work", null, Messages.bytes("untraced"));
      ch.basicPublish("", "trace", null, Messages.bytes("marker"));
      assertEquals(
          "marker",
          Messages.text(Messages.await(ch, "trace", true).getBody()),
          "nothing traced once tracing is off");
    }
  }

  @Test
  void clientsCannotPublishToTheTraceExchange() throws Exception {
    api.put(path, "{}");
    ConnectionFactory f = TestBroker.connectionFactory();
    f.setVirtualHost(vhost);
    try (Connection c = f.newConnection()) {
      Channel ch = c.createChannel();
      AMQP.Channel.Close close =
          channelClose(ch, () -> ch.basicPublish("amq.rabbitmq.trace", "x", null, new byte[0]));
      assertEquals(403, close.getReplyCode());
      assertEquals(
          "ACCESS_REFUSED - cannot publish to internal exchange 'amq.rabbitmq.trace' in vhost '"
              + vhost
              + "'",
          close.getReplyText());
    }
  }

  /** The first {@code n} messages of a queue, waiting for each. */
  private static List<GetResponse> drain(Channel ch, String queue, int n) throws Exception {
    List<GetResponse> got = new ArrayList<>();
    while (got.size() < n) {
      got.add(Messages.await(ch, queue, true));
    }
    return got;
  }

  private static List<String> strings(Object list) {
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) list) {
      out.add(o.toString());
    }
    return out;
  }
}
