package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import dev.warren.broker.it.AmqpSession;
import dev.warren.broker.it.Messages;
import dev.warren.broker.it.Poll;
import dev.warren.broker.it.TestBroker;
import dev.warren.broker.management.ManagementHttp.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Queues through the management API of the broker under test, seen from AMQP clients: declared over
 * HTTP, they take AMQP publishes and show their depth; messages taken over HTTP come back or go as
 * the ack mode says; refusals carry RabbitMQ's status and reason. Runs against RabbitMQ too ({@code
 * -Dbroker.external=... -Dbroker.external.management=...}).
 */
class QueueOverHttpTest {
  @RegisterExtension final AmqpSession amqp = new AmqpSession();

  private final ManagementHttp api = ManagementHttp.guest(TestBroker.managementAddress());

  /** A fresh queue name, deleted after the test. */
  private String queue() {
    return amqp.trackQueue(AmqpSession.uniqueName("mgmt-queue"));
  }

  private static String path(String queue) {
    return "/api/queues/%2F/" + ManagementHttp.segment(queue);
  }

  /** The queue's {@code messages} as the API shows it, -1 while it shows none yet. */
  private long messages(String queue) {
    return api.get(path(queue)).json().path("messages").asLong(-1);
  }

  @Test
  void queueDeclaredOverHttpCountsWhatAmqpClientsPublishToIt() throws Exception {
    String q = queue();
    assertEquals(201, api.put(path(q), "{\"durable\":true}").status());
    JsonNode shown = api.get(path(q)).json();
    assertTrue(shown.get("durable").asBoolean());
    assertEquals("classic", shown.get("type").asText());

    amqp.publish(q, "one", "two", "three");

    // RabbitMQ refreshes these figures every 5 s; ours once the queue's batch ends.
    Poll.until(Duration.ofSeconds(15), () -> messages(q) == 3, "3 messages shown on " + q);
    assertEquals(3, api.get(path(q)).json().get("messages_ready").asLong());
    assertEquals(204, api.put(path(q), "{\"durable\":true}").status(), "an equal redeclare");
  }

  @Test
  void aQuorumQueueOnASingleNodeIsLedByItWithItAsItsOnlyMemberOnline() {
    String q = queue();
    assertEquals(
        201,
        api.put(path(q), "{\"durable\":true,\"arguments\":{\"x-queue-type\":\"quorum\"}}")
            .status());
    String node = api.get("/api/overview").json().get("node").asText();
    JsonNode shown = api.get(path(q)).json();
    assertEquals("quorum", shown.get("type").asText());
    assertEquals(node, shown.get("leader").asText());
    assertEquals(node, shown.get("node").asText());
    assertEquals(List.of(node), names(shown.get("members")));
    assertEquals(List.of(node), names(shown.get("online")));
    JsonNode listed = null;
    for (JsonNode each : api.get("/api/queues/%2F").json()) {
      if (each.get("name").asText().equals(q)) {
        listed = each;
      }
    }
    assertEquals(node, listed.get("leader").asText(), "the listing shows it too");
  }

  private static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    array.forEach(n -> names.add(n.asText()));
    return names;
  }

  @Test
  void persistentMessagesOfADurableQueueAreCountedUntilSettled() throws Exception {
    String durable = queue();
    String transientQueue = queue();
    api.put(path(durable), "{\"durable\":true}");
    api.put(path(transientQueue), "{\"durable\":false}");
    Channel ch = amqp.channel();
    for (String q : List.of(durable, transientQueue)) {
      ch.basicPublish("", q, MessageProperties.PERSISTENT_BASIC, Messages.bytes("p1"));
      ch.basicPublish("", q, MessageProperties.PERSISTENT_BASIC, Messages.bytes("p2"));
      ch.basicPublish("", q, MessageProperties.BASIC, Messages.bytes("t1"));
    }
    // RabbitMQ shows the persistent count with its 5 s statistics, after the depth.
    Poll.until(
        Duration.ofSeconds(15),
        () -> messages(durable) == 3 && persistent(durable) == 2,
        "2 persistent messages of 3 shown on " + durable);
    Poll.until(
        Duration.ofSeconds(15),
        () -> messages(transientQueue) == 3 && persistent(transientQueue) >= 0,
        "3 messages shown on " + transientQueue);
    assertEquals(0, persistent(transientQueue), "a transient queue keeps nothing");

    GetResponse first = Messages.get(ch, durable, false);
    assertEquals("p1", Messages.text(first.getBody()));
    Poll.until(
        Duration.ofSeconds(15),
        () -> api.get(path(durable)).json().path("messages_unacknowledged").asLong() == 1,
        "p1 unacked");
    assertEquals(2, persistent(durable), "unacked, still held");
    ch.basicAck(first.getEnvelope().getDeliveryTag(), false);
    Poll.until(Duration.ofSeconds(15), () -> persistent(durable) == 1, "p2 left after the ack");
    ch.queuePurge(durable);
    Poll.until(Duration.ofSeconds(15), () -> persistent(durable) == 0, "none after the purge");
  }

  private long persistent(String queue) {
    return api.get(path(queue)).json().path("messages_persistent").asLong(-1);
  }

  @Test
  void getRequeuesWhatItTookWhenAskedAndTakesItForGoodOtherwise() throws Exception {
    String q = queue();
    api.put(path(q), "{\"durable\":false}");
    amqp.publish(q, "m1", "m2", "m3");

    Reply looked = get(q, 2, "ack_requeue_true");
    assertEquals(200, looked.status());
    assertEquals(List.of("m1", "m2"), payloads(looked.json()));
    assertFalse(looked.json().get(0).get("redelivered").asBoolean());
    assertEquals(2, looked.json().get(0).get("message_count").asInt(), "left after the first");
    assertEquals(2, looked.json().get(0).get("payload_bytes").asInt());
    assertEquals("string", looked.json().get(0).get("payload_encoding").asText());
    assertEquals("", looked.json().get(0).get("exchange").asText());
    assertEquals(q, looked.json().get(0).get("routing_key").asText());

    Reply taken = get(q, 2, "ack_requeue_false");
    assertEquals(List.of("m1", "m2"), payloads(taken.json()), "requeued to their places");
    assertTrue(taken.json().get(0).get("redelivered").asBoolean());

    GetResponse last = Messages.get(amqp.channel(), q, true);
    assertEquals("m3", Messages.text(last.getBody()));
    assertNull(amqp.channel().basicGet(q, true), "the acked ones are gone");
  }

  @Test
  void rejectWithoutRequeueDropsAndGetTruncatesAndEncodesAsAsked() throws Exception {
    String q = queue();
    api.put(path(q), "{\"durable\":false}");
    amqp.publish(q, "a long body");

    Reply got =
        api.post(
            path(q) + "/get",
            "{\"count\":5,\"ackmode\":\"reject_requeue_false\",\"encoding\":\"base64\","
                + "\"truncate\":6}");
    assertEquals(1, got.json().size(), "only one was there");
    JsonNode m = got.json().get(0);
    assertEquals("base64", m.get("payload_encoding").asText());
    assertEquals("YSBsb25n", m.get("payload").asText(), "'a long' in base64");
    assertEquals(11, m.get("payload_bytes").asInt(), "the whole length");
    Poll.until(Duration.ofSeconds(15), () -> messages(q) == 0, "the rejected message gone");
    assertNull(amqp.channel().basicGet(q, true));
  }

  @Test
  void messagePublishedOverHttpKeepsItsPropertiesForAmqpConsumers() throws Exception {
    String q = queue();
    api.put(path(q), "{\"durable\":false}");
    Reply published =
        api.post(
            "/api/exchanges/%2F/amq.default/publish",
            "{\"routing_key\":\""
                + q
                + "\",\"payload\":\"hello\",\"payload_encoding\":\"string\",\"properties\":"
                + "{\"delivery_mode\":2,\"content_type\":\"text/plain\",\"priority\":3,"
                + "\"headers\":{\"n\":42,\"s\":\"text\",\"b\":true}}}");
    assertEquals(200, published.status());
    assertTrue(published.json().get("routed").asBoolean());
    Reply unrouted =
        api.post(
            "/api/exchanges/%2F/amq.direct/publish",
            "{\"routing_key\":\"nobody-binds-this\",\"payload\":\"x\","
                + "\"payload_encoding\":\"string\",\"properties\":{}}");
    assertFalse(unrouted.json().get("routed").asBoolean());

    GetResponse r = Messages.await(amqp.channel(), q, true);
    assertEquals("hello", Messages.text(r.getBody()));
    assertEquals(2, r.getProps().getDeliveryMode());
    assertEquals("text/plain", r.getProps().getContentType());
    assertEquals(3, r.getProps().getPriority());
    assertEquals(42L, ((Number) r.getProps().getHeaders().get("n")).longValue());
    assertEquals("text", r.getProps().getHeaders().get("s").toString());
    assertEquals(true, r.getProps().getHeaders().get("b"));
  }

  @Test
  void inequivalentRedeclareIsRefusedWithRabbitMqsReason() {
    String q = queue();
    api.put(path(q), "{\"durable\":true}");

    Reply flags = api.put(path(q), "{\"durable\":false}");
    assertEquals(400, flags.status());
    assertEquals("bad_request", flags.json().get("error").asText());
    assertEquals(
        "inequivalent arg 'durable' for queue '"
            + q
            + "' in vhost '/': received 'false' but current is 'true'",
        flags.reason());

    Reply args = api.put(path(q), "{\"durable\":true,\"arguments\":{\"x-max-length\":5}}");
    assertEquals(400, args.status());
    assertEquals(
        "inequivalent arg 'x-max-length' for queue '"
            + q
            + "' in vhost '/': received the value '5' of type 'long' but current is none",
        args.reason());
  }

  @Test
  void invalidArgumentsAndReservedNamesAreRefusedAsRabbitMqRefusesThem() {
    String q = queue();
    Reply typed = api.put(path(q), "{\"arguments\":{\"x-max-length\":\"ten\"}}");
    assertEquals(400, typed.status());
    assertEquals(
        "invalid arg 'x-max-length' for queue '"
            + q
            + "' in vhost '/': \"expected integer, got longstr\"",
        typed.reason());
    Reply reserved = api.put(path("amq.mine"), "{}");
    assertEquals(401, reserved.status());
    assertEquals("Access refused.", reserved.reason());
    assertEquals(404, api.get(path(q)).status(), "nothing was declared");
  }

  @Test
  void deleteIfEmptyKeepsAQueueThatHoldsMessages() throws Exception {
    String q = queue();
    api.put(path(q), "{}");
    amqp.publish(q, "kept");
    Poll.until(Duration.ofSeconds(15), () -> messages(q) == 1, "the message shown");

    Reply refused = api.delete(path(q) + "?if-empty=true");
    assertEquals(400, refused.status());
    assertEquals("queue '" + q + "' in vhost '/' not empty", refused.reason());

    assertEquals(204, api.delete(path(q) + "/contents").status(), "purged");
    Poll.until(Duration.ofSeconds(15), () -> messages(q) == 0, "the queue shown empty");
    assertEquals(204, api.delete(path(q) + "?if-empty=true").status());
    assertEquals(404, api.get(path(q)).status());
  }

  private Reply get(String queue, int count, String ackMode) {
    return api.post(
        path(queue) + "/get",
        "{\"count\":" + count + ",\"ackmode\":\"" + ackMode + "\",\"encoding\":\"auto\"}");
  }

  private static List<String> payloads(JsonNode messages) {
    return java.util.stream.StreamSupport.stream(messages.spliterator(), false)
        .map(m -> m.get("payload").asText())
        .toList();
  }
}
