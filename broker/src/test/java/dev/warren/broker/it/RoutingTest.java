package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.Channel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which queues a message reaches through direct, fanout, topic and headers exchanges. Each test
 * publishes a series of messages whose body names them, then reads what every queue received.
 */
class RoutingTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void directExchangeRoutesOnExactRoutingKeyToEveryMatchingQueue() throws Exception {
    Channel ch = session.channel();
    String x = session.declareExchange("direct");
    String q1 = session.declareQueue();
    String q2 = session.declareQueue();
    ch.queueBind(q1, x, "red");
    ch.queueBind(q2, x, "red");
    ch.queueBind(q2, x, "green");
    for (String key : List.of("red", "green", "blue", "RED", "red.x", "")) {
      ch.basicPublish(x, key, null, Messages.bytes(key));
    }
    assertEquals(List.of("red"), Messages.drain(ch, q1));
    assertEquals(List.of("red", "green"), Messages.drain(ch, q2));
  }

  @Test
  void fanoutExchangeIgnoresTheRoutingKey() throws Exception {
    Channel ch = session.channel();
    String x = session.declareExchange("fanout");
    String q1 = session.declareQueue();
    String q2 = session.declareQueue();
    ch.queueBind(q1, x, "");
    ch.queueBind(q2, x, "some-key");
    for (String key : List.of("a", "", "some-key")) {
      ch.basicPublish(x, key, null, Messages.bytes(key));
    }
    assertEquals(List.of("a", "", "some-key"), Messages.drain(ch, q1));
    assertEquals(List.of("a", "", "some-key"), Messages.drain(ch, q2));
  }

  @Test
  void topicExchangeMatchesStarAsOneWordAndHashAsZeroOrMoreWords() throws Exception {
    Channel ch = session.channel();
    String x = session.declareExchange("topic");
    List<String> keys =
        List.of("a", "a.b", "a.b.c", "x.b.y", "a.x.c", "a.x.c.d.e", "", "b", "ab.c");
    Map<String, List<String>> expected = new LinkedHashMap<>();
    expected.put("a.*", List.of("a.b"));
    expected.put("a.#", List.of("a", "a.b", "a.b.c", "a.x.c", "a.x.c.d.e"));
    expected.put("#", keys);
    expected.put("*.b.*", List.of("a.b.c", "x.b.y"));
    expected.put("a.*.c.#", List.of("a.b.c", "a.x.c", "a.x.c.d.e"));
    expected.put("#.c", List.of("a.b.c", "a.x.c", "ab.c"));
    expected.put("*", List.of("a", "b"));
    expected.put("a.b", List.of("a.b"));
    expected.put("#.b.#", List.of("a.b", "a.b.c", "x.b.y", "b"));
    Map<String, String> queueByPattern = new LinkedHashMap<>();
    for (String pattern : expected.keySet()) {
      String q = session.declareQueue();
      ch.queueBind(q, x, pattern);
      queueByPattern.put(pattern, q);
    }
    for (String key : keys) {
      ch.basicPublish(x, key, null, Messages.bytes(key));
    }
    for (Map.Entry<String, List<String>> e : expected.entrySet()) {
      assertEquals(
          e.getValue(),
          Messages.drain(ch, queueByPattern.get(e.getKey())),
          "pattern " + e.getKey());
    }
  }

  @Test
  void messageMatchingSeveralBindingsOfOneQueueIsDeliveredOnce() throws Exception {
    Channel ch = session.channel();
    String x = session.declareExchange("topic");
    String q = session.declareQueue();
    ch.queueBind(q, x, "a.*");
    ch.queueBind(q, x, "#");
    ch.queueBind(q, x, "a.b");
    ch.basicPublish(x, "a.b", null, Messages.bytes("once"));
    assertEquals(List.of("once"), Messages.drain(ch, q));
  }

  @Test
  void headersExchangeMatchesAllAnyAndTheirWithXVariants() throws Exception {
    Channel ch = session.channel();
    String x = session.declareExchange("headers");
    Map<String, Map<String, Object>> bindings = new LinkedHashMap<>();
    bindings.put("all", Map.of("x-match", "all", "format", "pdf", "type", "report"));
    bindings.put("any", Map.of("x-match", "any", "format", "pdf", "type", "report"));
    bindings.put("all-with-x", Map.of("x-match", "all-with-x", "x-tag", "t1", "format", "pdf"));
    bindings.put("any-with-x", Map.of("x-match", "any-with-x", "x-tag", "t1", "format", "zip"));
    bindings.put("all-ignores-x", Map.of("x-match", "all", "x-tag", "t1"));
    bindings.put("no-arguments", Map.of());
    bindings.put("default-is-all", Map.of("format", "pdf", "type", "report"));
    bindings.put("int-value", Map.of("x-match", "all", "n", 5));

    Map<String, Map<String, Object>> messages = new LinkedHashMap<>();
    messages.put("pdf-report", Map.of("format", "pdf", "type", "report"));
    messages.put("pdf", Map.of("format", "pdf"));
    messages.put("pdf-tagged", Map.of("format", "pdf", "x-tag", "t1"));
    messages.put("log", Map.of("type", "log"));
    messages.put("pdf-report-extra", Map.of("format", "pdf", "type", "report", "extra", 1));
    messages.put("tagged", Map.of("x-tag", "t1"));
    messages.put("zip-report", Map.of("format", "zip", "type", "report"));
    messages.put("n5", Map.of("n", 5));
    messages.put("n6", Map.of("n", 6));

    Map<String, List<String>> expected = new LinkedHashMap<>();
    expected.put("all", List.of("pdf-report", "pdf-report-extra"));
    expected.put(
        "any", List.of("pdf-report", "pdf", "pdf-tagged", "pdf-report-extra", "zip-report"));
    expected.put("all-with-x", List.of("pdf-tagged"));
    expected.put("any-with-x", List.of("pdf-tagged", "tagged", "zip-report"));
    List<String> everything = List.copyOf(messages.keySet());
    List<String> everythingAndNoHeaders = new ArrayList<>(everything);
    everythingAndNoHeaders.add("no-headers");
    expected.put("all-ignores-x", everythingAndNoHeaders);
    expected.put("no-arguments", everythingAndNoHeaders);
    expected.put("default-is-all", List.of("pdf-report", "pdf-report-extra"));
    expected.put("int-value", List.of("n5"));

    Map<String, String> queueByBinding = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Object>> b : bindings.entrySet()) {
      String q = session.declareQueue();
      ch.queueBind(q, x, "ignored", b.getValue());
      queueByBinding.put(b.getKey(), q);
    }
    for (Map.Entry<String, Map<String, Object>> m : messages.entrySet()) {
      ch.basicPublish(x, "", Messages.withHeaders(m.getValue()), Messages.bytes(m.getKey()));
    }
    ch.basicPublish(x, "", null, Messages.bytes("no-headers"));
    for (Map.Entry<String, List<String>> e : expected.entrySet()) {
      assertEquals(
          e.getValue(),
          Messages.drain(ch, queueByBinding.get(e.getKey())),
          "binding " + e.getKey());
    }
  }

  /**
   * A headers binding compares values as RabbitMQ does: numbers by value whatever their type, a
   * string never equal to a number, and a void binding value matching any value of that header.
   */
  @Test
  void headersBindingValuesMatchNumbersByValueAndVoidMatchesAnyValue() throws Exception {
    Channel ch = session.channel();
    String x = session.declareExchange("headers");
    String numeric = session.declareQueue();
    ch.queueBind(numeric, x, "", Map.of("x-match", "all", "n", 1));
    String present = session.declareQueue();
    Map<String, Object> anyValue = new HashMap<>();
    anyValue.put("x-match", "all");
    anyValue.put("k", null);
    ch.queueBind(present, x, "", anyValue);
    Map<String, Map<String, Object>> messages = new LinkedHashMap<>();
    messages.put("long", Map.of("n", 1L));
    messages.put("byte", Map.of("n", (byte) 1));
    messages.put("double", Map.of("n", 1.0));
    messages.put("string", Map.of("n", "1"));
    messages.put("k-int", Map.of("k", 7));
    messages.put("k-string", Map.of("k", "seven"));
    messages.put("other", Map.of("j", 7));
    for (Map.Entry<String, Map<String, Object>> m : messages.entrySet()) {
      ch.basicPublish(x, "", Messages.withHeaders(m.getValue()), Messages.bytes(m.getKey()));
    }
    assertEquals(List.of("long", "byte", "double"), Messages.drain(ch, numeric));
    assertEquals(List.of("k-int", "k-string"), Messages.drain(ch, present));
  }

  @Test
  void unbindingOneOfTwoHeadersBindingsRemovesOnlyThatOne() throws Exception {
    Channel ch = session.channel();
    String x = session.declareExchange("headers");
    String q = session.declareQueue();
    Map<String, Object> pdf = Map.of("x-match", "all", "format", "pdf");
    Map<String, Object> zip = Map.of("x-match", "all", "format", "zip");
    ch.queueBind(q, x, "", pdf);
    ch.queueBind(q, x, "", zip);
    ch.queueUnbind(q, x, "", pdf);
    ch.basicPublish(x, "", Messages.withHeaders(Map.of("format", "pdf")), Messages.bytes("pdf"));
    ch.basicPublish(x, "", Messages.withHeaders(Map.of("format", "zip")), Messages.bytes("zip"));
    assertEquals(List.of("zip"), Messages.drain(ch, q));
  }

  @Test
  void fanOutDeliversACopyToEachBoundQueueInPublishOrder() throws Exception {
    Channel ch = session.channel();
    String x = session.declareExchange("fanout");
    List<String> queues =
        List.of(session.declareQueue(), session.declareQueue(), session.declareQueue());
    for (String q : queues) {
      ch.queueBind(q, x, "");
    }
    for (int i = 1; i <= 20; i++) {
      ch.basicPublish(x, "", null, Messages.bytes(Integer.toString(i)));
    }
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      expected.add(Integer.toString(i));
    }
    for (String q : queues) {
      assertEquals(expected, Messages.drain(ch, q), q);
    }
  }
}
