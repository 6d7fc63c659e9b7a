package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.it.AmqpSession;
import dev.warren.broker.it.Messages;
import dev.warren.broker.it.Poll;
import dev.warren.broker.it.TestBroker;
import dev.warren.broker.management.ManagementHttp.Reply;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connections, channels and message counts as the management API shows them while AMQP clients
 * work, and a connection closed through it. RabbitMQ shows them once its stats come (every 5 s),
 * hence the polls. Runs against RabbitMQ too.
 */
class LiveObjectsOverHttpTest {
  @RegisterExtension final AmqpSession amqp = new AmqpSession();

  private final ManagementHttp api = ManagementHttp.guest(TestBroker.managementAddress());
  private final String vhost = AmqpSession.uniqueName("live-vhost");

  @AfterEach
  void removeVhost() {
    api.delete("/api/vhosts/" + ManagementHttp.segment(vhost));
  }

  /** The listed connection whose client named it so, or null. */
  private JsonNode connectionNamed(String clientName) {
    JsonNode all = api.get("/api/connections").json();
    return StreamSupport.stream(all.spliterator(), false)
        .filter(
            c -> clientName.equals(c.path("client_properties").path("connection_name").asText()))
        .findFirst()
        .orElse(null);
  }

  @Test
  void overviewCountsAManagementUsersOwnConnectionsAndChannelsOnly() throws Exception {
    String user = AmqpSession.uniqueName("live-user");
    api.put("/api/users/" + user, "{\"password\":\"secret\",\"tags\":\"management\"}");
    api.put(
        "/api/permissions/%2F/" + user, "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
    ConnectionFactory f = TestBroker.connectionFactory();
    f.setUsername(user);
    f.setPassword("secret");
    try (Connection first = f.newConnection();
        Connection second = f.newConnection()) {
      first.createChannel();
      first.createChannel();
      Channel consuming = second.createChannel();
      String q = amqp.trackQueue(AmqpSession.uniqueName("live-counted"));
      consuming.queueDeclare(q, false, false, false, null);
      consuming.basicConsume(q, true, (tag, d) -> {}, tag -> {});
      ManagementHttp own = new ManagementHttp(TestBroker.managementAddress(), user, "secret");
      Poll.until(
          Duration.ofSeconds(15),
          () -> {
            JsonNode totals = own.get("/api/overview").json().get("object_totals");
            return totals.get("connections").asInt() == 2 && totals.get("channels").asInt() == 3;
          },
          "2 connections and 3 channels counted for " + user);
      JsonNode all = api.get("/api/overview").json().get("object_totals");
      assertTrue(all.get("connections").asInt() >= 2, "an administrator counts everyone's");
      assertTrue(all.get("consumers").asInt() >= 1, all.toString());
    } finally {
      api.delete("/api/users/" + user);
    }
  }

  @Test
  void connectionsAndTheirChannelsAreListedAndOneIsClosedWithTheReasonGiven() throws Exception {
    String clientName = AmqpSession.uniqueName("live-connection");
    ConnectionFactory f = TestBroker.connectionFactory();
    Connection c = f.newConnection(clientName);
    try {
      c.createChannel();
      c.createChannel().confirmSelect();
      AtomicReference<JsonNode> shown = new AtomicReference<>();
      Poll.until(
          Duration.ofSeconds(15),
          () -> {
            shown.set(connectionNamed(clientName));
            return shown.get() != null && shown.get().path("channels").asInt() == 2;
          },
          "the connection listed with its 2 channels");
      JsonNode listed = shown.get();
      assertEquals("guest", listed.get("user").asText());
      assertEquals("/", listed.get("vhost").asText());
      assertEquals("AMQP 0-9-1", listed.get("protocol").asText());
      assertEquals("running", listed.get("state").asText());
      assertEquals(c.getFrameMax(), listed.get("frame_max").asInt());
      assertEquals(clientName, listed.get("user_provided_name").asText());
      String name = listed.get("name").asText();
      String path = "/api/connections/" + ManagementHttp.segment(name);

      JsonNode channels = api.get(path + "/channels").json();
      assertEquals(2, channels.size(), channels.toString());
      assertTrue(
          StreamSupport.stream(channels.spliterator(), false)
              .anyMatch(ch -> ch.get("confirm").asBoolean() && ch.get("number").asInt() == 2),
          channels.toString());

      Reply closed = api.call("DELETE", path, null, Map.of("X-Reason", "maintenance"));
      assertEquals(204, closed.status());
      Poll.until(Duration.ofSeconds(10), () -> !c.isOpen(), "the connection closed");
      AMQP.Connection.Close close =
          assertInstanceOf(AMQP.Connection.Close.class, c.getCloseReason().getReason());
      assertEquals(320, close.getReplyCode());
      assertEquals("CONNECTION_FORCED - maintenance", close.getReplyText());
    } finally {
      c.abort();
    }
  }

  @Test
  void vhostAndExchangeCountWhatIsPublished() throws Exception {
    String v = ManagementHttp.segment(vhost);
    api.put("/api/vhosts/" + v, "{}");
    api.put("/api/exchanges/" + v + "/counted", "{\"type\":\"fanout\"}");
    api.put("/api/queues/" + v + "/q1", "{}");
    api.put("/api/queues/" + v + "/q2", "{}");
    api.post("/api/bindings/" + v + "/e/counted/q/q1", "{}");
    api.post("/api/bindings/" + v + "/e/counted/q/q2", "{}");
    ConnectionFactory f = TestBroker.connectionFactory();
    f.setVirtualHost(vhost);
    try (Connection c = f.newConnection()) {
      Channel ch = c.createChannel();
      ch.confirmSelect();
      for (int i = 0; i < 3; i++) {
        ch.basicPublish("counted", "", null, Messages.bytes("m" + i));
      }
      ch.waitForConfirmsOrDie(5_000);
      Poll.until(
          Duration.ofSeconds(15),
          () ->
              api.get("/api/vhosts/" + v).json().path("message_stats").path("publish").asLong()
                  == 3,
          "3 publishes counted in the vhost");
      Poll.until(
          Duration.ofSeconds(15),
          () -> {
            JsonNode stats =
                api.get("/api/exchanges/" + v + "/counted").json().path("message_stats");
            return stats.path("publish_in").asLong() == 3
                && stats.path("publish_out").asLong() == 6;
          },
          "3 in and 6 out (2 queues each) counted on the exchange");
    }
  }

  @Test
  void consumersAreListedWithTheirChannelQueueAndSingleActiveStatus() throws Exception {
    String v = ManagementHttp.segment(vhost);
    api.put("/api/vhosts/" + v, "{}");
    api.put("/api/queues/" + v + "/sac", "{\"arguments\":{\"x-single-active-consumer\":true}}");
    ConnectionFactory f = TestBroker.connectionFactory();
    f.setVirtualHost(vhost);
    try (Connection c = f.newConnection()) {
      Channel ch = c.createChannel();
      ch.basicQos(7);
      ch.basicConsume("sac", false, "first", false, false, Map.of("x-priority", 3), noop(ch));
      Channel other = c.createChannel();
      other.basicConsume("sac", true, "second", noop(other));
      AtomicReference<JsonNode> shown = new AtomicReference<>();
      Poll.until(
          Duration.ofSeconds(15),
          () -> {
            shown.set(api.get("/api/consumers/" + v).json());
            return shown.get().size() == 2;
          },
          "both consumers listed");
      JsonNode first = consumerTagged(shown.get(), "first");
      assertEquals("sac", first.path("queue").path("name").asText());
      assertEquals(vhost, first.path("queue").path("vhost").asText());
      assertTrue(first.path("ack_required").asBoolean());
      assertEquals(7, first.path("prefetch_count").asInt());
      assertEquals(3, first.path("arguments").path("x-priority").asInt());
      assertTrue(first.path("active").asBoolean());
      assertEquals("single_active", first.path("activity_status").asText());
      assertEquals(1, first.path("channel_details").path("number").asInt());
      assertEquals("guest", first.path("channel_details").path("user").asText());
      JsonNode second = consumerTagged(shown.get(), "second");
      assertEquals(false, second.path("ack_required").asBoolean());
      assertEquals(false, second.path("active").asBoolean());
      assertEquals("waiting", second.path("activity_status").asText());

      ch.basicCancel("first");
      Poll.until(
          Duration.ofSeconds(15),
          () -> {
            JsonNode now = api.get("/api/consumers/" + v).json();
            return now.size() == 1
                && "single_active"
                    .equals(consumerTagged(now, "second").path("activity_status").asText());
          },
          "the second consumer listed as the active one once the first is cancelled");
      JsonNode queue = api.get("/api/queues/" + v + "/sac").json();
      assertEquals(1, queue.path("consumer_details").size(), queue.toString());
      assertEquals("second", queue.path("consumer_details").get(0).path("consumer_tag").asText());
    }
  }

  private static JsonNode consumerTagged(JsonNode consumers, String tag) {
    return StreamSupport.stream(consumers.spliterator(), false)
        .filter(c -> tag.equals(c.path("consumer_tag").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no consumer " + tag + " in " + consumers));
  }

  private static com.rabbitmq.client.Consumer noop(Channel ch) {
    return new com.rabbitmq.client.DefaultConsumer(ch);
  }
}
