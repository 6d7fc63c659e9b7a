package dev.warren.routing;

import static dev.warren.routing.Routes.exchange;
import static dev.warren.routing.Routes.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The consistent-hash exchange used through {@link ExchangeRegistry#route}. */
class ConsistentHashRegistryTest {

  private static final List<String> SHARDS = List.of("s1", "s2", "s3", "s4");

  private final ExchangeRegistry registry = new ExchangeRegistry();

  private Exchange declareChx(String name, Map<String, Object> arguments) {
    Exchange x =
        registry.declare(
            new Exchange(name, ExchangeType.X_CONSISTENT_HASH, false, false, false, arguments));
    SHARDS.forEach(q -> x.bind(new Binding(name, Destination.queue(q), "1")));
    return x;
  }

  private Set<String> route(
      String exchange,
      String key,
      Supplier<Map<String, Object>> headers,
      Supplier<HashProperties> properties) {
    Set<Destination> routed = new HashSet<>();
    registry.route(exchange, key, headers, properties, routed);
    return Routes.names(routed);
  }

  @Test
  void publishReachesExactlyOneShardAndTheSameOneForTheSameKey() {
    declareChx("c", null);
    Map<String, Integer> perShard = new HashMap<>();
    for (int i = 0; i < 4_000; i++) {
      Set<Destination> routed = new HashSet<>();
      registry.route("c", "order-" + i, null, routed);
      Set<String> queues = Routes.names(routed);
      assertEquals(1, queues.size(), queues.toString());
      assertEquals(queues, route("c", "order-" + i, null, null));
      perShard.merge(queues.iterator().next(), 1, Integer::sum);
    }
    assertEquals(Set.copyOf(SHARDS), perShard.keySet());
  }

  @Test
  void headersAndPropertiesAreFetchedOnlyWhenTheExchangeHashesThem() {
    declareChx("byKey", null);
    declareChx("byHeader", table("hash-header", "h"));
    declareChx("byProperty", table("hash-property", "correlation_id"));
    AtomicInteger headerCalls = new AtomicInteger();
    AtomicInteger propertyCalls = new AtomicInteger();
    Supplier<Map<String, Object>> headers =
        () -> {
          headerCalls.incrementAndGet();
          return table("h", "v");
        };
    Supplier<HashProperties> properties =
        () -> {
          propertyCalls.incrementAndGet();
          return new HashProperties(null, "v", null);
        };
    route("byKey", "k", headers, properties);
    assertEquals(0, headerCalls.get());
    assertEquals(0, propertyCalls.get());
    Set<String> viaHeader = route("byHeader", "k", headers, properties);
    assertEquals(1, headerCalls.get());
    assertEquals(0, propertyCalls.get());
    Set<String> viaProperty = route("byProperty", "k", headers, properties);
    assertEquals(1, headerCalls.get());
    assertEquals(1, propertyCalls.get());
    assertEquals(route("byKey", "v", null, null), viaHeader);
    assertEquals(viaHeader, viaProperty);
  }

  @Test
  void hashPropertyRoutesByTheMessageIdThroughTheRegistry() {
    declareChx("c", table("hash-property", "message_id"));
    Map<String, Set<String>> seen = new HashMap<>();
    for (int i = 0; i < 2_000; i++) {
      String id = "msg-" + (i % 200);
      Set<String> queues = route("c", "rk-" + i, null, () -> new HashProperties(id, null, null));
      assertEquals(1, queues.size());
      Set<String> first = seen.putIfAbsent(id, queues);
      assertEquals(first == null ? queues : first, queues, id);
    }
    assertTrue(seen.values().stream().distinct().count() > 1, "all ids on one shard");
  }

  @Test
  void shardsMayBeExchangesAndAnEmptyRingUsesTheAlternateExchange() {
    Exchange fan = registry.declare(exchange("fan", ExchangeType.FANOUT));
    fan.bind(new Binding("fan", Destination.queue("a"), ""));
    fan.bind(new Binding("fan", Destination.queue("b"), ""));
    Exchange c =
        registry.declare(
            new Exchange(
                "c",
                ExchangeType.X_CONSISTENT_HASH,
                false,
                false,
                false,
                table("alternate-exchange", "fan")));
    assertEquals(Set.of("a", "b"), route("c", "k", null, null));
    c.bind(new Binding("c", Destination.exchange("fan"), "1"));
    c.bind(new Binding("c", Destination.queue("solo"), "1"));
    Set<String> reached = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Set<String> queues = route("c", "k" + i, null, null);
      assertTrue(
          queues.equals(Set.of("a", "b")) || queues.equals(Set.of("solo")), queues::toString);
      reached.addAll(queues);
    }
    assertEquals(Set.of("a", "b", "solo"), reached);
  }

  @Test
  void deletingAShardQueueRemovesItFromTheRing() {
    declareChx("c", null);
    List<Binding> removed = registry.removeBindingsTo(Destination.queue("s2"));
    assertEquals(1, removed.size());
    for (int i = 0; i < 1_000; i++) {
      Set<String> queues = route("c", "k" + i, null, null);
      assertEquals(1, queues.size());
      assertTrue(!queues.contains("s2"), queues::toString);
    }
  }

  @Test
  void fourArgumentRouteStillWorksAndHashesTheRoutingKey() {
    declareChx("c", null);
    Set<Destination> routed = new HashSet<>();
    registry.route("c", "k", () -> null, routed);
    assertEquals(route("c", "k", null, null), Routes.names(routed));
  }
}
