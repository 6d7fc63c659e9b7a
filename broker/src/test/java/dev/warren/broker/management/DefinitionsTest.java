package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.Broker;
import dev.warren.broker.BrokerConfig;
import dev.warren.broker.it.AmqpErrors;
import dev.warren.broker.it.Messages;
import dev.warren.broker.it.TestBroker;
import dev.warren.broker.management.ManagementHttp.Reply;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Definitions as RabbitMQ moves them between brokers: an export imported into a fresh broker gives
 * the same definitions; a file exported from RabbitMQ 3.10 ({@code
 * src/test/resources/definitions/rabbitmq-3.10-export.json}, pretty-printed) imported at start with
 * {@code --definitions} gives a working vhost; a bad file stops the start naming the bad entry, and
 * changes nothing. Each test starts brokers of its own (ports 0, temporary data directories).
 */
class DefinitionsTest {
  @TempDir Path dir;

  private final List<Broker> brokers = new ArrayList<>();

  @AfterEach
  void stop() {
    brokers.forEach(Broker::close);
  }

  private Broker start(Path data, Path definitions) {
    BrokerConfig config =
        TestBroker.inProcessConfig(data).toBuilder().definitionsFile(definitions).build();
    Broker broker = Broker.start(config);
    brokers.add(broker);
    return broker;
  }

  private static ManagementHttp api(Broker broker) {
    return ManagementHttp.guest(new InetSocketAddress("127.0.0.1", broker.managementPort()));
  }

  private static ConnectionFactory amqp(Broker broker, String vhost, String user, String pw) {
    ConnectionFactory f = TestBroker.connectionFactory("127.0.0.1", broker.amqpPort());
    f.setVirtualHost(vhost);
    f.setUsername(user);
    f.setPassword(pw);
    return f;
  }

  @Test
  void exportImportedIntoAFreshBrokerGivesTheSameDefinitions() throws Exception {
    ManagementHttp a = api(start(dir.resolve("a"), null));
    ok(a.put("/api/vhosts/shop", "{\"description\":\"the shop\",\"tags\":\"eu,prod\"}"));
    ok(a.put("/api/users/clerk", "{\"password\":\"clerk-pw\",\"tags\":\"management\"}"));
    ok(
        a.put(
            "/api/permissions/shop/clerk",
            "{\"configure\":\"\",\"write\":\".*\",\"read\":\".*\"}"));
    ok(
        a.put(
            "/api/topic-permissions/shop/clerk",
            "{\"exchange\":\"orders\",\"write\":\"^order\\\\.\",\"read\":\".*\"}"));
    ok(a.put("/api/exchanges/shop/unrouted", "{\"type\":\"fanout\",\"durable\":true}"));
    ok(
        a.put(
            "/api/exchanges/shop/orders",
            "{\"type\":\"topic\",\"durable\":true,"
                + "\"arguments\":{\"alternate-exchange\":\"unrouted\"}}"));
    ok(
        a.put(
            "/api/exchanges/shop/audit",
            "{\"type\":\"headers\",\"durable\":true,\"internal\":true}"));
    ok(
        a.put(
            "/api/queues/shop/orders.new",
            "{\"durable\":true,\"arguments\":{\"x-message-ttl\":60000,"
                + "\"x-dead-letter-exchange\":\"unrouted\"}}"));
    ok(
        a.put(
            "/api/queues/shop/orders.kept",
            "{\"durable\":true,\"arguments\":{\"x-queue-type\":\"quorum\"}}"));
    ok(a.post("/api/bindings/shop/e/orders/q/orders.new", "{\"routing_key\":\"order.#\"}"));
    ok(a.post("/api/bindings/shop/e/orders/e/audit", "{\"routing_key\":\"#\"}"));
    ok(
        a.post(
            "/api/bindings/shop/e/audit/q/orders.kept",
            "{\"routing_key\":\"\",\"arguments\":{\"x-match\":\"any\",\"a\":1}}"));
    JsonNode exported = a.get("/api/definitions").json();

    Broker fresh = start(dir.resolve("b"), null);
    ManagementHttp b = api(fresh);
    Reply imported = b.post("/api/definitions", exported.toString());
    assertEquals(204, imported.status(), imported.body());

    assertEquals(comparable(exported), comparable(b.get("/api/definitions").json()));
    try (Connection c = amqp(fresh, "shop", "clerk", "clerk-pw").newConnection()) {
      Channel ch = c.createChannel();
      ch.confirmSelect();
      ch.basicPublish(
          "orders",
          "order.created",
          new AMQP.BasicProperties.Builder().headers(Map.of("a", 1)).build(),
          Messages.bytes("routed"));
      ch.waitForConfirmsOrDie(5_000);
      assertEquals("routed", Messages.text(Messages.await(ch, "orders.new", true).getBody()));
      assertEquals("routed", Messages.text(Messages.await(ch, "orders.kept", true).getBody()));
    }
  }

  /**
   * The definitions with the node's own versions left out and every list in a fixed order (each
   * entry ordered by its text with its keys sorted, so that key order does not count).
   */
  private static JsonNode comparable(JsonNode definitions) {
    ObjectNode copy = definitions.deepCopy();
    for (String version : List.of("rabbit_version", "rabbitmq_version", "product_version")) {
      copy.remove(version);
    }
    copy.fieldNames()
        .forEachRemaining(
            key -> {
              if (copy.get(key) instanceof ArrayNode list) {
                List<String> items = new ArrayList<>();
                list.forEach(item -> items.add(sortedKeys(item)));
                items.sort(null);
                ArrayNode sorted = copy.arrayNode();
                items.forEach(i -> sorted.add(parse(i)));
                copy.set(key, sorted);
              }
            });
    return copy;
  }

  private static String sortedKeys(JsonNode item) {
    try {
      Object plain = ManagementHttp.JSON.treeToValue(item, Object.class);
      return ManagementHttp.JSON
          .copy()
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .writeValueAsString(plain);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode parse(String json) {
    try {
      return ManagementHttp.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void ok(Reply reply) {
    assertTrue(reply.status() == 201 || reply.status() == 204, reply.status() + " " + reply.body());
  }

  @Test
  void rabbitMqExportGivenAtStartMakesAWorkingVhost() throws Exception {
    Path file = dir.resolve("rabbitmq-3.10-export.json");
    try (InputStream in =
        getClass().getResourceAsStream("/definitions/rabbitmq-3.10-export.json")) {
      Files.copy(in, file);
    }
    Broker broker = start(dir.resolve("data"), file);
    ManagementHttp api = api(broker);

    JsonNode queues = api.get("/api/queues/inventory").json();
    assertEquals(5, queues.size(), queues.toString());
    JsonNode orders = api.get("/api/queues/inventory/stock.orders").json();
    assertEquals("quorum", orders.get("type").asText());
    JsonNode updates = api.get("/api/queues/inventory/stock.updates").json().get("arguments");
    assertEquals(60000, updates.get("x-message-ttl").asInt());
    assertEquals("stock.dlx", updates.get("x-dead-letter-exchange").asText());
    JsonNode events = api.get("/api/exchanges/inventory/stock.events").json();
    assertEquals("topic", events.get("type").asText());
    assertEquals("stock.unrouted", events.get("arguments").get("alternate-exchange").asText());
    assertTrue(api.get("/api/exchanges/inventory/stock.audit").json().get("internal").asBoolean());

    try (Connection c = amqp(broker, "inventory", "stock-app", "stock-secret").newConnection()) {
      Channel ch = c.createChannel();
      ch.confirmSelect();
      ch.basicPublish(
          "stock.events",
          "stock.order.new",
          new AMQP.BasicProperties.Builder().headers(Map.of("source", "warehouse")).build(),
          Messages.bytes("o"));
      ch.waitForConfirmsOrDie(5_000);
      assertEquals("o", Messages.text(Messages.await(ch, "stock.orders", true).getBody()));
      assertEquals("o", Messages.text(Messages.await(ch, "stock.updates", true).getBody()));
      assertEquals(
          "o",
          Messages.text(Messages.await(ch, "stock.audit-log", true).getBody()),
          "through the exchange-to-exchange binding and the headers binding");
      assertEquals(
          403,
          AmqpErrors.channelErrorCode(
              ch, () -> ch.basicPublish("stock.events", "elsewhere", null, Messages.bytes("x"))),
          "its topic permission writes ^stock\\. only");
      Channel other = c.createChannel();
      assertEquals(
          403,
          AmqpErrors.channelErrorCode(
              other, () -> other.queueDeclare("other.q", false, false, true, null)),
          "it configures ^stock\\. only");
    }
    broker.close();
    brokers.remove(broker);
    Broker again = start(dir.resolve("data"), file);
    assertEquals(5, api(again).get("/api/queues/inventory").json().size(), "imported again: same");
  }

  /**
   * A RabbitMQ 3.10.8 export with policies, operator policies, vhost limits and global parameters
   * ({@code src/test/resources/definitions/rabbitmq-3.10-policies-export.json}; how it was made:
   * the README beside it) imports cleanly and exports back equal, before and after a restart.
   * "Equal" leaves out what names the node's product and version ({@code rabbit_version}, {@code
   * rabbitmq_version}, {@code product_name}, {@code product_version}), compares vhosts by name only
   * (RabbitMQ 3.10 exports nothing else of them; Warren adds their description and tags) and every
   * list in any order.
   */
  @Test
  void rabbitMqExportWithPoliciesAndParametersExportsBackEqual() throws Exception {
    JsonNode file;
    try (InputStream in =
        getClass().getResourceAsStream("/definitions/rabbitmq-3.10-policies-export.json")) {
      file = ManagementHttp.JSON.readTree(in);
    }
    Path data = dir.resolve("data");
    Broker broker = start(data, null);
    ManagementHttp api = api(broker);
    Reply imported = api.post("/api/definitions", file.toString());
    assertEquals(204, imported.status(), imported.body());
    assertEquals(withoutNodeFacts(file), withoutNodeFacts(api.get("/api/definitions").json()));

    JsonNode queue = api.get("/api/queues/inventory/stock.orders").json();
    assertEquals("ttl-all", queue.get("policy").asText());
    assertEquals("cap", queue.get("operator_policy").asText());
    JsonNode effective = queue.get("effective_policy_definition");
    assertEquals(500, effective.get("max-length").asInt(), "the operator policy's cap");
    assertEquals(60000, effective.get("message-ttl").asInt(), "the lower: the policy's");
    assertEquals("reject-publish", effective.get("overflow").asText());
    assertEquals(
        "ae", api.get("/api/exchanges/inventory/stock.events").json().get("policy").asText());
    assertEquals("warehouse-cluster", api.get("/api/cluster-name").json().get("name").asText());
    JsonNode limits = api.get("/api/vhost-limits/inventory").json().get(0).get("value");
    assertEquals(50, limits.get("max-queues").asInt());
    try (Connection c = amqp(broker, "/", "guest", "guest").newConnection()) {
      assertEquals("warehouse-cluster", c.getServerProperties().get("cluster_name").toString());
    }

    broker.close();
    brokers.remove(broker);
    ManagementHttp again = api(start(data, null));
    assertEquals(
        withoutNodeFacts(file),
        withoutNodeFacts(again.get("/api/definitions").json()),
        "the same after a restart");

    Reply emptied =
        again.post(
            "/api/definitions",
            "{\"parameters\":[{\"vhost\":\"inventory\",\"component\":\"vhost-limits\","
                + "\"name\":\"limits\",\"value\":[]}]}");
    assertEquals(204, emptied.status(), "RabbitMQ exports [] once every limit is lifted");
    assertEquals(0, again.get("/api/vhost-limits/inventory").json().size());
  }

  /** {@link #comparable} without the product's name and with each vhost's name only. */
  private static JsonNode withoutNodeFacts(JsonNode definitions) {
    ObjectNode copy = definitions.deepCopy();
    copy.remove("product_name");
    ArrayNode names = copy.arrayNode();
    definitions.get("vhosts").forEach(v -> names.addObject().put("name", v.get("name").asText()));
    copy.set("vhosts", names);
    return comparable(copy);
  }

  @Test
  void badPolicyInADefinitionsFileIsRefusedWholeNamingTheBadField() {
    ManagementHttp api = api(start(dir.resolve("data"), null));
    String good =
        "{\"vhost\":\"fresh\",\"name\":\"good\",\"pattern\":\".*\",\"definition\":{\"max-length\":5}}";
    Reply refused =
        api.post(
            "/api/definitions",
            "{\"vhosts\":[{\"name\":\"fresh\"}],"
                + "\"queues\":[{\"name\":\"q\",\"vhost\":\"fresh\",\"durable\":true}],"
                + "\"global_parameters\":[{\"name\":\"kept-out\",\"value\":1}],"
                + "\"policies\":["
                + good
                + ",{\"vhost\":\"fresh\",\"name\":\"bad\",\"pattern\":\".*\","
                + "\"definition\":{\"max-length\":-5}}]}");
    assertEquals(400, refused.status());
    assertEquals(
        "definitions: policies[1].definition.max-length: -5 is not a valid maximum length",
        refused.reason());
    assertEquals(404, api.get("/api/vhosts/fresh").status(), "nothing applied");
    assertEquals(404, api.get("/api/global-parameters/kept-out").status());
    assertEquals(0, api.get("/api/policies").json().size());

    Reply operator =
        api.post(
            "/api/definitions",
            "{\"parameters\":[{\"vhost\":\"/\",\"component\":\"operator_policy\","
                + "\"name\":\"op\",\"value\":{\"pattern\":\".*\",\"apply-to\":\"queues\","
                + "\"priority\":0,\"definition\":{\"overflow\":\"drop-head\"}}}]}");
    assertEquals(400, operator.status());
    assertEquals(
        "definitions: parameters[0].value.definition.overflow: [{<<\"overflow\">>,"
            + "<<\"drop-head\">>}] are not recognised policy settings",
        operator.reason());
    Reply limits =
        api.post(
            "/api/definitions",
            "{\"parameters\":[{\"vhost\":\"/\",\"component\":\"vhost-limits\","
                + "\"name\":\"limits\",\"value\":{\"max-foo\":1}}]}");
    assertEquals(
        "definitions: parameters[0].value.max-foo: Unrecognised terms [{<<\"max-foo\">>,1}]"
            + " in limits",
        limits.reason());
    Reply component =
        api.post(
            "/api/definitions",
            "{\"parameters\":[{\"vhost\":\"/\",\"component\":\"shovel\","
                + "\"name\":\"s\",\"value\":{}}]}");
    assertEquals("definitions: parameters[0]: component shovel not found", component.reason());
    assertEquals(0, api.get("/api/operator-policies").json().size());
    assertEquals(0, api.get("/api/vhost-limits").json().size());
  }

  @Test
  void badDefinitionsFileStopsTheStartNamingTheBadEntryAndChangesNothing() throws Exception {
    Path data = dir.resolve("data");
    Path missingName = dir.resolve("missing-name.json");
    Files.writeString(
        missingName, "{\"queues\":[{\"name\":\"fine\",\"vhost\":\"/\"},{\"vhost\":\"/\"}]}");
    IllegalStateException named =
        assertThrows(IllegalStateException.class, () -> start(data, missingName));
    assertTrue(named.getMessage().contains("queues[1].name is missing"), named.getMessage());
    assertTrue(named.getMessage().contains(missingName.toString()), named.getMessage());

    Path badType = dir.resolve("bad-type.json");
    Files.writeString(
        badType,
        "{\"queues\":[{\"name\":\"fine\",\"vhost\":\"/\",\"durable\":true}],"
            + "\"exchanges\":[{\"name\":\"x\",\"vhost\":\"/\",\"type\":\"no-such-type\"}]}");
    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> start(data, badType));
    assertTrue(
        refused.getMessage().contains("exchanges[0]: unknown exchange type 'no-such-type'"),
        refused.getMessage());

    Path notJson = dir.resolve("not-json.json");
    Files.writeString(notJson, "queues: []");
    assertThrows(IllegalStateException.class, () -> start(data, notJson));

    ManagementHttp api = api(start(data, null));
    assertEquals(404, api.get("/api/queues/%2F/fine").status(), "nothing of a refused file");
  }

  @Test
  void importOverHttpIsAllOrNothing() {
    ManagementHttp api = api(start(dir.resolve("data"), null));
    Reply refused =
        api.post(
            "/api/definitions",
            "{\"queues\":[{\"name\":\"kept-out\",\"vhost\":\"/\",\"durable\":true}],"
                + "\"bindings\":[{\"source\":\"nowhere\",\"vhost\":\"/\",\"destination\":"
                + "\"kept-out\",\"destination_type\":\"queue\",\"routing_key\":\"\"}]}");
    assertEquals(400, refused.status());
    assertEquals("definitions: bindings[0]: no exchange 'nowhere' in vhost '/'", refused.reason());
    assertEquals(404, api.get("/api/queues/%2F/kept-out").status());

    Reply badVhost =
        api.post(
            "/api/definitions",
            "{\"vhosts\":[{\"name\":\"fine\"},"
                + "{\"name\":\"streams\",\"default_queue_type\":\"stream\"}]}");
    assertEquals(400, badVhost.status());
    assertEquals("definitions: vhosts[1]: unsupported queue type 'stream'", badVhost.reason());
    assertEquals(404, api.get("/api/vhosts/fine").status(), "the good one was not made either");
  }
}
