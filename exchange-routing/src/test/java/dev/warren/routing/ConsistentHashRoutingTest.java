package dev.warren.routing;

import static dev.warren.routing.Routes.routed;
import static dev.warren.routing.Routes.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.routing.Routes.Text;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConsistentHashRoutingTest {

  private static final int KEYS = 100_000;

  private static Exchange chx(Map<String, Object> arguments) {
    return new Exchange("c", ExchangeType.X_CONSISTENT_HASH, false, false, false, arguments);
  }

  private static Binding weight(String queue, String key) {
    return new Binding("c", Destination.queue(queue), key);
  }

  /** The one destination a routing key reaches (fails if it reaches none or several). */
  private static String destination(Exchange x, String key) {
    List<String> names = routed(x, key, null);
    assertEquals(1, names.size(), "destinations of " + key + ": " + names);
    return names.get(0);
  }

  private static List<String> randomKeys(int n, long seed) {
    Random random = new Random(seed);
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add(Long.toString(random.nextLong(), 36));
    }
    return keys;
  }

  private static Map<String, String> destinations(Exchange x, List<String> keys) {
    Map<String, String> byKey = new HashMap<>();
    keys.forEach(k -> byKey.put(k, destination(x, k)));
    return byKey;
  }

  private static Map<String, Integer> counts(Map<String, String> destinations) {
    Map<String, Integer> counts = new HashMap<>();
    destinations.values().forEach(q -> counts.merge(q, 1, Integer::sum));
    return counts;
  }

  @Test
  void typeHasRabbitMqsWireName() {
    assertEquals(
        Optional.of(ExchangeType.X_CONSISTENT_HASH), ExchangeType.named("x-consistent-hash"));
    assertEquals("x-consistent-hash", ExchangeType.X_CONSISTENT_HASH.wireName());
  }

  @Test
  void bindingKeyIsAWeightFromOneToTheMaximum() {
    Exchange x = chx(null);
    for (String ok : List.of("1", "2", "+3", "007", "1000")) {
      assertEquals(Optional.empty(), x.invalidBinding(weight("q", ok)), ok);
    }
    assertEquals(
        Optional.of("The binding key must be an integer: <<\"abc\">>"),
        x.invalidBinding(weight("q", "abc")));
    for (String notInteger : List.of("", "+", "1.5", " 1", "1 ", "0x10", "\u0661", "1e3")) {
      assertTrue(
          x.invalidBinding(weight("q", notInteger))
              .orElseThrow()
              .startsWith("The binding key must be an integer"),
          notInteger);
    }
    for (String notPositive : List.of("0", "-1", "000", "-0")) {
      assertEquals(
          Optional.of("The binding key must be greater than 0"),
          x.invalidBinding(weight("q", notPositive)),
          notPositive);
    }
    for (String tooHeavy : List.of("1001", "99999999999999999999")) {
      assertTrue(x.invalidBinding(weight("q", tooHeavy)).isPresent(), tooHeavy);
    }
    assertThrows(IllegalArgumentException.class, () -> x.bind(weight("q", "one")));
    assertEquals(List.of(), x.bindings());
  }

  @Test
  void withoutBindingsRoutesNowhere() {
    assertEquals(List.of(), routed(chx(null), "k", null));
  }

  @Test
  void everyMessageGoesToExactlyOneDestination() {
    Exchange x = chx(null);
    for (int q = 0; q < 5; q++) {
      x.bind(weight("q" + q, "1"));
    }
    x.bind(new Binding("c", Destination.exchange("e"), "2"));
    for (String key : randomKeys(2_000, 1)) {
      destination(x, key);
    }
    assertEquals(1, routed(x, "", null).size());
  }

  @Test
  void sameKeyReachesSameDestinationWhateverTheOrderOfBinds() {
    Exchange a = chx(null);
    Exchange b = chx(null);
    List<String> queues = List.of("q1", "q2", "q3", "q4");
    queues.forEach(q -> a.bind(weight(q, "2")));
    List.of("q3", "q1", "q4", "q2").forEach(q -> b.bind(weight(q, "2")));
    for (String key : randomKeys(2_000, 2)) {
      String first = destination(a, key);
      assertEquals(first, destination(a, key));
      assertEquals(first, destination(b, key));
    }
  }

  @Test
  void distributionIsProportionalToWeights() {
    Exchange x = chx(null);
    x.bind(weight("one", "1"));
    x.bind(weight("two", "2"));
    x.bind(weight("three", "3"));
    Map<String, Integer> counts = counts(destinations(x, randomKeys(KEYS, 3)));
    assertEquals(1.0 / 6, counts.get("one") / (double) KEYS, 0.02);
    assertEquals(2.0 / 6, counts.get("two") / (double) KEYS, 0.02);
    assertEquals(3.0 / 6, counts.get("three") / (double) KEYS, 0.02);
  }

  @Test
  void equalWeightsShareEvenlyAcrossManyDestinations() {
    Exchange x = chx(null);
    for (int q = 0; q < 10; q++) {
      x.bind(weight("queue-" + q, "1"));
    }
    Map<String, Integer> counts = counts(destinations(x, randomKeys(KEYS, 4)));
    assertEquals(10, counts.size());
    counts.forEach((q, n) -> assertEquals(0.1, n / (double) KEYS, 0.015, q));
  }

  @Test
  void addingADestinationMovesOnlyItsShareOfKeysAndOnlyToIt() {
    Exchange x = chx(null);
    for (String q : List.of("q1", "q2", "q3")) {
      x.bind(weight(q, "1"));
    }
    List<String> keys = randomKeys(KEYS, 5);
    Map<String, String> before = destinations(x, keys);
    x.bind(weight("q4", "1"));
    Map<String, String> after = destinations(x, keys);
    int moved = 0;
    for (String k : keys) {
      if (!before.get(k).equals(after.get(k))) {
        moved++;
        assertEquals("q4", after.get(k), k);
      }
    }
    assertEquals(0.25, moved / (double) KEYS, 0.02);
  }

  @Test
  void removingADestinationMovesOnlyItsKeysAndUnbindRestoresTheRing() {
    Exchange x = chx(null);
    for (String q : List.of("q1", "q2", "q3", "q4")) {
      x.bind(weight(q, "1"));
    }
    List<String> keys = randomKeys(KEYS, 6);
    Map<String, String> before = destinations(x, keys);
    x.unbind(weight("q2", "1"));
    Map<String, String> after = destinations(x, keys);
    int moved = 0;
    for (String k : keys) {
      if (before.get(k).equals("q2")) {
        moved++;
        assertNotEquals("q2", after.get(k));
      } else {
        assertEquals(before.get(k), after.get(k), k);
      }
    }
    assertEquals(0.25, moved / (double) KEYS, 0.02);
    x.bind(weight("q2", "1"));
    assertEquals(before, destinations(x, keys));
  }

  @Test
  void bindingTheSameWeightTwiceChangesNothing() {
    Exchange x = chx(null);
    x.bind(weight("a", "1"));
    x.bind(weight("b", "1"));
    List<String> keys = randomKeys(10_000, 12);
    Map<String, String> before = destinations(x, keys);
    assertFalse(x.bind(weight("a", "1")));
    assertEquals(before, destinations(x, keys));
    assertTrue(x.unbind(weight("a", "1")));
    assertFalse(x.unbind(weight("a", "1")));
    assertEquals(Map.of("b", keys.size()), counts(destinations(x, keys)));
  }

  @Test
  void bindingsToOneDestinationAddTheirWeights() {
    Exchange x = chx(null);
    x.bind(weight("a", "1"));
    x.bind(weight("a", "2"));
    x.bind(weight("b", "3"));
    List<String> keys = randomKeys(KEYS, 7);
    Map<String, String> both = destinations(x, keys);
    assertEquals(0.5, counts(both).get("a") / (double) KEYS, 0.02);
    x.unbind(weight("a", "2"));
    Map<String, String> one = destinations(x, keys);
    assertEquals(0.25, counts(one).get("a") / (double) KEYS, 0.02);
    keys.stream().filter(k -> one.get(k).equals("a")).forEach(k -> assertEquals("a", both.get(k)));
    assertEquals(1, x.bindingsTo(Destination.queue("a")).size());
  }

  @Test
  void hashHeaderHashesThatHeaderInsteadOfTheRoutingKey() {
    Exchange byHeader = chx(table("hash-header", "hash-on"));
    Exchange byKey = chx(null);
    for (String q : List.of("q1", "q2", "q3", "q4")) {
      byHeader.bind(weight(q, "1"));
      byKey.bind(weight(q, "1"));
    }
    for (String value : randomKeys(1_000, 8)) {
      List<String> expected = routed(byKey, value, null);
      assertEquals(expected, routed(byHeader, "ignored", table("hash-on", value)));
      assertEquals(expected, routed(byHeader, "other", table("hash-on", new Text(value))));
    }
    assertEquals(routed(byKey, "42", null), routed(byHeader, "", table("hash-on", 42L)));
    assertEquals(
        routed(byHeader, "", table("hash-on", 42)), routed(byHeader, "", table("hash-on", 42L)));
  }

  @Test
  void messagesWithoutTheHashHeaderAllGoToOneDestination() {
    Exchange x = chx(table("hash-header", "hash-on"));
    for (String q : List.of("q1", "q2", "q3", "q4")) {
      x.bind(weight(q, "1"));
    }
    List<String> first = routed(x, "a", null);
    assertEquals(1, first.size());
    for (String key : randomKeys(500, 9)) {
      assertEquals(first, routed(x, key, null));
      assertEquals(first, routed(x, key, table("other", key)));
    }
  }

  @Test
  void hashPropertyHashesTheNamedBasicProperty() {
    Exchange byKey = chx(null);
    Exchange byMessageId = chx(table("hash-property", "message_id"));
    Exchange byCorrelationId = chx(table("hash-property", "correlation_id"));
    Exchange byTimestamp = chx(table("hash-property", "timestamp"));
    for (Exchange x : List.of(byKey, byMessageId, byCorrelationId, byTimestamp)) {
      for (String q : List.of("q1", "q2", "q3", "q4")) {
        x.bind(weight(q, "1"));
      }
    }
    Random random = new Random(10);
    for (int i = 0; i < 1_000; i++) {
      long seconds = random.nextInt(2_000_000_000);
      String id = Long.toString(random.nextLong(), 36);
      List<String> byId = routedWith(byKey, id, null);
      assertEquals(byId, routedWith(byMessageId, "x", new HashProperties(id, "c", 1L)));
      assertEquals(byId, routedWith(byCorrelationId, "y", new HashProperties("m", id, 2L)));
      List<String> bySeconds = routedWith(byKey, Long.toString(seconds), null);
      HashProperties stamped = HashProperties.of("m", "c", new Date(seconds * 1000 + 999));
      assertEquals(bySeconds, routedWith(byTimestamp, "z", stamped));
    }
  }

  @Test
  void messagesWithoutTheHashPropertyAllGoToOneDestination() {
    Exchange x = chx(table("hash-property", "message_id"));
    for (String q : List.of("q1", "q2", "q3", "q4")) {
      x.bind(weight(q, "1"));
    }
    List<String> first = routed(x, "a", null);
    for (String key : randomKeys(500, 11)) {
      assertEquals(first, routed(x, key, null));
      assertEquals(first, routedWith(x, key, new HashProperties(null, key, 5L)));
    }
  }

  private static List<String> routedWith(Exchange x, String key, HashProperties properties) {
    List<String> names = new ArrayList<>();
    x.route(key, null, properties, d -> names.add(d.name()));
    return names;
  }

  @Test
  void argumentsAreCheckedAsRabbitMqChecksThem() {
    assertEquals(Optional.empty(), chx(null).invalidArguments());
    assertEquals(Optional.empty(), chx(table("hash-header", "h")).invalidArguments());
    assertEquals(Optional.empty(), chx(table("hash-header", new Text("h"))).invalidArguments());
    for (String p : List.of("message_id", "correlation_id", "timestamp")) {
      assertEquals(Optional.empty(), chx(table("hash-property", p)).invalidArguments(), p);
    }
    assertEquals(
        Optional.of("hash-header and hash-property are mutually exclusive"),
        chx(table("hash-header", "h", "hash-property", "message_id")).invalidArguments());
    assertEquals(
        Optional.of("Unsupported property: user_id"),
        chx(table("hash-property", "user_id")).invalidArguments());
    assertTrue(chx(table("hash-property", 1)).invalidArguments().isPresent());
    assertTrue(chx(table("hash-header", 1)).invalidArguments().isPresent());
    Exchange direct =
        new Exchange(
            "d",
            ExchangeType.DIRECT,
            false,
            false,
            false,
            table("hash-header", "h", "hash-property", "nope"));
    assertEquals(Optional.empty(), direct.invalidArguments());
  }
}
