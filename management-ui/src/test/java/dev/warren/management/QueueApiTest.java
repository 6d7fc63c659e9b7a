package dev.warren.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Queues, exchanges, bindings, lists and errors as RabbitMQ 3.10 answers them. */
class QueueApiTest extends ApiTestSupport {

  @Test
  void declaringCreatesThenUpdatesAndAnInequivalentRedeclareIsRefused() throws Exception {
    assertEquals(201, put("/api/queues/%2F/q1", "{\"durable\":true}").status());
    assertEquals(204, put("/api/queues/%2F/q1", "{\"durable\":true}").status());
    Reply r = put("/api/queues/%2F/q1", "{\"durable\":false}");
    assertEquals(400, r.status());
    assertEquals("bad_request", r.json().get("error").asText());
    assertEquals(
        "inequivalent arg 'durable' for queue 'q1' in vhost '/': received 'false' but current is 'true'",
        r.json().get("reason").asText());
    JsonNode q = get("/api/queues/%2F/q1").json();
    assertEquals("q1", q.get("name").asText());
    assertEquals("/", q.get("vhost").asText());
    assertTrue(q.get("durable").asBoolean());
    assertEquals(0, q.get("messages").asInt());
    assertEquals(0.0, q.get("messages_details").get("rate").asDouble());
    assertEquals("running", q.get("state").asText());
    assertTrue(q.get("consumer_details").isArray());
  }

  @Test
  void missingObjectsPathsAndMethodsAreAnsweredAsRabbitMqAnswersThem() throws Exception {
    Reply missing = get("/api/queues/%2F/nosuch");
    assertEquals(404, missing.status());
    assertEquals("Object Not Found", missing.json().get("error").asText());
    assertEquals("Not Found", missing.json().get("reason").asText());
    assertEquals(404, get("/api/nosuch").status());
    Reply noVhost = put("/api/queues/nosuch/q", "{}");
    assertEquals(404, noVhost.status());
    assertEquals("vhost_not_found", noVhost.json().get("reason").asText());
    Reply wrongMethod = post("/api/queues", "{}");
    assertEquals(405, wrongMethod.status());
    assertEquals(
        "HEAD, GET, OPTIONS", wrongMethod.raw().headers().firstValue("allow").orElseThrow());
    Reply notJson = put("/api/queues/%2F/q", "{bad");
    assertEquals(400, notJson.status());
    assertEquals("not_json", notJson.json().get("reason").asText());
  }

  @Test
  void listsArePagedSortedAndFilteredByName() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      String n = String.format("q%03d", i);
      names.add(n);
      backend.declareQueue(
          new dev.warren.management.spi.QueueSpec("/", n, false, false, java.util.Map.of()));
    }
    JsonNode page =
        get("/api/queues?page=2&page_size=100&sort=name&sort_reverse=true&columns=name").json();
    assertEquals(250, page.get("total_count").asInt());
    assertEquals(250, page.get("filtered_count").asInt());
    assertEquals(100, page.get("item_count").asInt());
    assertEquals(3, page.get("page_count").asInt());
    assertEquals(2, page.get("page").asInt());
    assertEquals("q149", page.get("items").get(0).get("name").asText());
    assertEquals(1, page.get("items").get(0).size());
    JsonNode filtered = get("/api/queues/%2F?page=1&name=Q01&columns=name").json();
    assertEquals(10, filtered.get("filtered_count").asInt());
    JsonNode regex =
        get("/api/queues?page=1&name=%5Eq00%5B0-4%5D%24&use_regex=true&columns=name").json();
    assertEquals(5, regex.get("filtered_count").asInt());
    JsonNode unpaged = get("/api/queues?name=q001&columns=name").json();
    assertEquals(250, unpaged.size(), "without page the name filter does not apply");
  }

  @Test
  void sortingByDepthPutsNumbersInOrderThenNames() throws Exception {
    put("/api/queues/%2F/b", "{}");
    put("/api/queues/%2F/a", "{}");
    put("/api/queues/%2F/c", "{}");
    for (int i = 0; i < 2; i++) {
      post(
          "/api/exchanges/%2F/amq.default/publish",
          "{\"routing_key\":\"a\",\"properties\":{},\"payload\":\"x\",\"payload_encoding\":\"string\"}");
    }
    JsonNode sorted =
        get("/api/queues?sort=messages&sort_reverse=true&columns=name,messages").json();
    assertEquals("a", sorted.get(0).get("name").asText());
    assertEquals(2, sorted.get(0).get("messages").asInt());
    assertEquals("c", sorted.get(1).get("name").asText());
  }

  @Test
  void badPaginationIsRefusedWithRabbitMqsWords() throws Exception {
    Reply zero = get("/api/queues?page=0");
    assertEquals(400, zero.status());
    assertEquals("invalid_pagination_parameters", zero.json().get("error").asText());
    assertEquals(
        "Invalid pagination parameters: page number 0, page size undefined",
        zero.json().get("reason").asText());
    Reply big = get("/api/queues?page=1&page_size=501");
    assertEquals(
        "Invalid pagination parameters: page number 1, page size 501",
        big.json().get("reason").asText());
    assertEquals(200, get("/api/queues?page=1&page_size=500").status());
    Reply out = get("/api/queues?page=5&page_size=10");
    assertEquals("page_out_of_range", out.json().get("error").asText());
    assertEquals(
        "Page out of range, page: 5 page size: 10, len: 0", out.json().get("reason").asText());
    Reply junk = get("/api/queues?page=abc");
    assertEquals("Pagination parameters are invalid", junk.json().get("reason").asText());
  }

  @Test
  void publishedMessageIsTakenBackWithGetAndRequeued() throws Exception {
    put("/api/queues/%2F/work", "{}");
    Reply pub =
        post(
            "/api/exchanges/%2F/amq.default/publish",
            "{\"routing_key\":\"work\",\"properties\":{\"delivery_mode\":2,\"headers\":{\"h\":1}},\"payload\":\"hello\",\"payload_encoding\":\"string\"}");
    assertTrue(pub.json().get("routed").asBoolean());
    Reply missing = post("/api/queues/%2F/work/get", "{\"count\":1}");
    assertEquals(
        "[{key_missing,ackmode},{key_missing,encoding}]", missing.json().get("reason").asText());
    JsonNode got =
        post(
                "/api/queues/%2F/work/get",
                "{\"count\":5,\"ackmode\":\"ack_requeue_true\",\"encoding\":\"auto\",\"truncate\":3}")
            .json();
    assertEquals(1, got.size());
    assertEquals("hel", got.get(0).get("payload").asText());
    assertEquals(5, got.get(0).get("payload_bytes").asInt());
    assertEquals("string", got.get(0).get("payload_encoding").asText());
    assertEquals(2, got.get(0).get("properties").get("delivery_mode").asInt());
    assertEquals(1, get("/api/queues/%2F/work").json().get("messages").asInt());
    assertEquals(204, delete("/api/queues/%2F/work/contents").status());
    assertEquals(0, get("/api/queues/%2F/work").json().get("messages").asInt());
  }

  @Test
  void ratesComeFromTheSamplerReadings() throws Exception {
    put("/api/queues/%2F/r", "{}");
    server.sampler().sample();
    for (int i = 0; i < 20; i++) {
      post(
          "/api/exchanges/%2F/amq.default/publish",
          "{\"routing_key\":\"r\",\"properties\":{},\"payload\":\"x\",\"payload_encoding\":\"string\"}");
    }
    Thread.sleep(50); // two readings must be apart in time for a rate
    server.sampler().sample();
    JsonNode q = get("/api/queues/%2F/r?lengths_age=60&lengths_incr=5").json();
    assertEquals(20, q.get("message_stats").get("publish").asInt());
    assertTrue(q.get("message_stats").get("publish_details").get("rate").asDouble() > 0);
    assertTrue(q.get("messages_details").get("rate").asDouble() > 0);
    assertTrue(q.get("messages_details").get("samples").size() >= 2);
    JsonNode overview = get("/api/overview").json();
    assertEquals(20, overview.get("message_stats").get("publish").asInt());
    assertEquals(20, overview.get("queue_totals").get("messages").asInt());
  }

  @Test
  void bindingsAreCreatedListedAndDeletedByPropertiesKey() throws Exception {
    put("/api/queues/%2F/bq", "{}");
    put("/api/exchanges/%2F/bx", "{\"type\":\"direct\"}");
    Reply created = post("/api/bindings/%2F/e/bx/q/bq", "{\"routing_key\":\"a b/c\"}");
    assertEquals(201, created.status());
    assertEquals("bq/a%2Bb%252Fc", created.raw().headers().firstValue("location").orElseThrow());
    JsonNode list = get("/api/bindings/%2F/e/bx/q/bq").json();
    assertEquals("a+b%2Fc", list.get(0).get("properties_key").asText());
    assertEquals(200, get("/api/bindings/%2F/e/bx/q/bq/a%2Bb%252Fc").status());
    assertEquals(204, delete("/api/bindings/%2F/e/bx/q/bq/a%2Bb%252Fc").status());
    assertEquals(0, get("/api/exchanges/%2F/bx/bindings/source").json().size());
    Reply noSource = post("/api/bindings/%2F/e/nosuch/q/bq", "{}");
    assertEquals(404, noSource.status());
    assertEquals("not_found", noSource.json().get("error").asText());
  }

  @Test
  void builtInExchangesCannotBeDeleted() throws Exception {
    Reply r = delete("/api/exchanges/%2F/amq.direct");
    assertEquals(401, r.status());
    assertEquals("Access refused.", r.json().get("reason").asText());
    Reply type = put("/api/exchanges/%2F/x", "{\"type\":\"nosuch\"}");
    assertEquals("unknown exchange type 'nosuch'", type.json().get("reason").asText());
  }

  @Test
  void consumersPageSortAndFilterByTagForTheConsole() throws Exception {
    for (String[] c : new String[][] {{"q3", "ctag-a"}, {"q1", "ctag-b"}, {"q2", "other"}}) {
      backend.consumers.add(
          new dev.warren.management.spi.ConsumerInfo(
              "/", c[0], c[1], "no-such-channel", true, false, 10, true, "up", Map.of()));
    }
    JsonNode page = get("/api/consumers?page=1&page_size=2&sort=queue.name").json();
    assertEquals(3, page.get("total_count").asInt());
    assertEquals(2, page.get("page_count").asInt());
    assertEquals("q1", page.get("items").get(0).get("queue").get("name").asText());
    assertEquals("q2", page.get("items").get(1).get("queue").get("name").asText());
    JsonNode last = get("/api/consumers/%2F?page=2&page_size=2&sort=queue.name").json();
    assertEquals("q3", last.get("items").get(0).get("queue").get("name").asText());
    JsonNode tagged =
        get("/api/consumers?page=1&name=ctag&sort=consumer_tag&sort_reverse=true").json();
    assertEquals(2, tagged.get("filtered_count").asInt());
    assertEquals("ctag-b", tagged.get("items").get(0).get("consumer_tag").asText());
    assertEquals(3, get("/api/consumers").json().size(), "without page: the whole list");
  }

  @Test
  void closingAConnectionHandsTheReasonToTheBroker() throws Exception {
    String name = "127.0.0.1:50000 -> 127.0.0.1:5672";
    backend.connections.put(
        name,
        new dev.warren.management.spi.ConnectionInfo(
            name,
            "/",
            "guest",
            "AMQP 0-9-1",
            "127.0.0.1",
            5672,
            "127.0.0.1",
            50000,
            "running",
            1,
            2047,
            131072,
            60,
            "PLAIN",
            null,
            java.util.Map.of("product", "test"),
            null,
            1L,
            10,
            1,
            20,
            2,
            0));
    JsonNode list = get("/api/connections").json();
    assertEquals(name, list.get(0).get("name").asText());
    assertEquals("test", list.get(0).get("client_properties").get("product").asText());
    String path =
        "/api/connections/"
            + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    int status =
        http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + path))
                    .DELETE()
                    .header("Authorization", "Basic Z3Vlc3Q6Z3Vlc3Q=")
                    .header("X-Reason", "maintenance")
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .statusCode();
    assertEquals(204, status);
    assertEquals("maintenance", backend.closed.get(name));
    assertFalse(backend.connections.containsKey(name));
  }

  @Test
  void definitionsAreExportedAndABadFileIsRefusedWhole() throws Exception {
    put("/api/queues/%2F/dq", "{\"durable\":true}");
    put("/api/queues/%2F/tq", "{\"durable\":false}");
    JsonNode defs = get("/api/definitions").json();
    assertEquals(1, defs.get("queues").size());
    assertEquals("dq", defs.get("queues").get(0).get("name").asText());
    assertEquals("guest", defs.get("users").get(0).get("name").asText());
    Reply bad = post("/api/definitions", "{\"queues\":[{\"vhost\":\"/\",\"name\":1}]}");
    assertEquals(400, bad.status());
    assertEquals("definitions: queues[0].name must be a string", bad.json().get("reason").asText());
    assertEquals(
        204,
        post(
                "/api/definitions",
                "{\"vhosts\":[{\"name\":\"imported\"}],\"queues\":[{\"vhost\":\"imported\",\"name\":\"iq\",\"durable\":true}]}")
            .status());
    assertEquals(200, get("/api/queues/imported/iq").status());
  }

  @Test
  void healthChecksAnswerOkOr503() throws Exception {
    assertEquals("ok", get("/api/health/checks/alarms").json().get("status").asText());
    backend.alarms = List.of("memory");
    Reply alarm = get("/api/health/checks/alarms");
    assertEquals(503, alarm.status());
    assertEquals("failed", alarm.json().get("status").asText());
    assertEquals(200, get("/api/health/checks/port-listener/5672").status());
    Reply port = get("/api/health/checks/port-listener/1");
    assertEquals(503, port.status());
    assertEquals(1, port.json().get("missing").asInt());
    assertEquals("ok", get("/api/aliveness-test/%2F").json().get("status").asText());
  }
}
