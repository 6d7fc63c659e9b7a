package dev.warren.routing;

import static dev.warren.routing.Routes.exchange;
import static dev.warren.routing.Routes.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ExchangeRegistryTest {

  private final ExchangeRegistry registry = new ExchangeRegistry();

  private Exchange declare(String name, ExchangeType type) {
    return registry.declare(exchange(name, type));
  }

  private Set<String> route(String exchange, String key) {
    return route(exchange, key, () -> null);
  }

  private Set<String> route(String exchange, String key, Supplier<Map<String, Object>> headers) {
    Set<Destination> routed = new HashSet<>();
    registry.route(exchange, key, headers, routed);
    return Routes.names(routed);
  }

  private static void bindQueue(Exchange x, String queue, String key) {
    x.bind(new Binding(x.name(), Destination.queue(queue), key));
  }

  private static void bindExchange(Exchange x, String destination, String key) {
    x.bind(new Binding(x.name(), Destination.exchange(destination), key));
  }

  @Test
  void defaultExchangeRoutesToTheQueueNamedByTheKeyWithoutBindings() {
    assertEquals(Set.of("orders"), route("", "orders"));
    declare("", ExchangeType.DIRECT);
    assertEquals(Set.of("orders"), route("", "orders"));
  }

  @Test
  void unknownExchangeRoutesNowhere() {
    assertEquals(Set.of(), route("nope", "k"));
  }

  @Test
  void declareKeepsTheFirstExchangeOfAName() {
    Exchange first = declare("x", ExchangeType.DIRECT);
    Exchange second = registry.declare(exchange("x", ExchangeType.FANOUT));
    assertSame(first, second);
    assertSame(first, registry.lookup("x").orElseThrow());
    assertEquals(List.of(first), registry.exchanges());
  }

  @Test
  void exchangeToExchangeBindingsAreFollowedWithEachExchangesOwnRules() {
    Exchange direct = declare("in", ExchangeType.DIRECT);
    Exchange topic = declare("mid", ExchangeType.TOPIC);
    Exchange fanout = declare("out", ExchangeType.FANOUT);
    bindExchange(direct, "mid", "a.b");
    bindQueue(topic, "topic-q", "a.*");
    bindExchange(topic, "out", "#");
    bindQueue(fanout, "fanout-q", "ignored");
    assertEquals(Set.of("topic-q", "fanout-q"), route("in", "a.b"));
    assertEquals(Set.of(), route("in", "a.c"));
  }

  @Test
  void cyclesOfExchangesAreHarmlessAndEachQueueIsReachedOnce() {
    Exchange a = declare("a", ExchangeType.FANOUT);
    Exchange b = declare("b", ExchangeType.FANOUT);
    bindExchange(a, "b", "");
    bindExchange(b, "a", "");
    bindExchange(a, "a", "");
    bindQueue(a, "q", "");
    bindQueue(b, "q", "");
    bindQueue(b, "only-b", "");
    assertEquals(Set.of("q", "only-b"), route("a", "k"));
    assertEquals(Set.of("q", "only-b"), route("b", "k"));
  }

  @Test
  void queueBoundByTwoMatchingBindingsIsAddedOnce() {
    Exchange t = declare("t", ExchangeType.TOPIC);
    bindQueue(t, "q", "a.*");
    bindQueue(t, "q", "*.b");
    List<String> added = new java.util.ArrayList<>();
    Set<Destination> recording =
        new HashSet<>() {
          @Override
          public boolean add(Destination d) {
            if (super.add(d)) {
              added.add(d.name());
              return true;
            }
            return false;
          }
        };
    registry.route("t", "a.b", () -> null, recording);
    assertEquals(List.of("q"), added);
  }

  @Test
  void headersAreDecodedOnlyWhenAHeadersExchangeIsOnThePathAndAtMostOnce() {
    Exchange direct = declare("d", ExchangeType.DIRECT);
    Exchange h1 = declare("h1", ExchangeType.HEADERS);
    Exchange h2 = declare("h2", ExchangeType.HEADERS);
    bindQueue(direct, "plain", "k");
    AtomicInteger calls = new AtomicInteger();
    Supplier<Map<String, Object>> headers =
        () -> {
          calls.incrementAndGet();
          return table("a", 1);
        };
    assertEquals(Set.of("plain"), route("d", "k", headers));
    assertEquals(0, calls.get());

    bindExchange(direct, "h1", "k");
    h1.bind(new Binding("h1", Destination.exchange("h2"), "", table("a", 1)));
    h2.bind(new Binding("h2", Destination.queue("matched"), "", table("x-match", "any", "a", 1)));
    assertEquals(Set.of("plain", "matched"), route("d", "k", headers));
    assertEquals(1, calls.get());
  }

  @Test
  void aNullHeadersSupplierMeansNoHeaders() {
    Exchange h = declare("h", ExchangeType.HEADERS);
    h.bind(new Binding("h", Destination.queue("all"), "", Map.of()));
    h.bind(new Binding("h", Destination.queue("a"), "", table("a", null)));
    Set<Destination> routed = new HashSet<>();
    registry.route("h", "", null, routed);
    assertEquals(Set.of("all"), Routes.names(routed));
  }

  @Test
  void deletingAnExchangeRemovesTheBindingsToItFromOtherExchanges() {
    Exchange a = declare("a", ExchangeType.DIRECT);
    Exchange b = declare("b", ExchangeType.FANOUT);
    bindExchange(a, "b", "k");
    bindQueue(a, "q", "k");
    bindQueue(b, "qb", "");
    assertEquals(Set.of("q", "qb"), route("a", "k"));

    assertSame(b, registry.delete("b"));
    assertTrue(registry.lookup("b").isEmpty());
    assertEquals(List.of(new Binding("a", Destination.queue("q"), "k")), a.bindings());
    assertEquals(List.of(), registry.bindingsTo(Destination.exchange("b")));
    assertEquals(List.of(), registry.bindingsTo(Destination.queue("qb")));
    assertEquals(Set.of("q"), route("a", "k"));
    assertNull(registry.delete("b"));
  }

  @Test
  void anExchangeDestinationThatDoesNotExistIsSkipped() {
    Exchange a = declare("a", ExchangeType.FANOUT);
    bindExchange(a, "missing", "");
    bindQueue(a, "q", "");
    assertEquals(Set.of("q"), route("a", "k"));
  }

  @Test
  void removeBindingsToAQueueRemovesThemFromEveryExchangeAndReturnsThem() {
    Exchange a = declare("a", ExchangeType.DIRECT);
    Exchange b = declare("b", ExchangeType.TOPIC);
    bindQueue(a, "q", "k1");
    bindQueue(a, "q", "k2");
    bindQueue(b, "q", "#");
    bindQueue(b, "other", "#");
    List<Binding> removed = registry.removeBindingsTo(Destination.queue("q"));
    assertEquals(3, removed.size());
    assertEquals(Set.of(), route("a", "k1"));
    assertEquals(Set.of("other"), route("b", "x"));
    assertEquals(List.of(), registry.removeBindingsTo(Destination.queue("q")));
    assertFalse(a.hasBindings());
  }

  @Test
  void bindingsToAndFromAreListedAcrossExchanges() {
    Exchange a = declare("a", ExchangeType.DIRECT);
    Exchange b = declare("b", ExchangeType.FANOUT);
    Binding ab = new Binding("a", Destination.queue("q"), "k");
    Binding bb = new Binding("b", Destination.queue("q"), "");
    a.bind(ab);
    b.bind(bb);
    bindQueue(b, "other", "");
    assertEquals(Set.of(ab, bb), new HashSet<>(registry.bindingsTo(Destination.queue("q"))));
    assertEquals(List.of(ab), registry.bindingsFrom("a"));
    assertEquals(List.of(), registry.bindingsFrom("missing"));
    a.unbind(ab);
    assertEquals(List.of(bb), registry.bindingsTo(Destination.queue("q")));
  }

  @Test
  void bindingsMadeBeforeDeclarationAreIndexed() {
    Exchange a = exchange("a", ExchangeType.DIRECT);
    bindQueue(a, "q", "k");
    registry.declare(a);
    assertEquals(1, registry.bindingsTo(Destination.queue("q")).size());
  }

  @Test
  void aDeletedExchangeNoLongerFeedsTheIndex() {
    Exchange a = declare("a", ExchangeType.DIRECT);
    bindQueue(a, "q", "k");
    registry.delete("a");
    assertEquals(List.of(), registry.bindingsTo(Destination.queue("q")));
    bindQueue(a, "q", "k2");
    assertEquals(List.of(), registry.bindingsTo(Destination.queue("q")));
  }

  @Test
  void unroutableMessageGoesToTheAlternateExchange() {
    Exchange main =
        registry.declare(
            new Exchange(
                "main",
                ExchangeType.DIRECT,
                false,
                false,
                false,
                table("alternate-exchange", "ae")));
    Exchange ae = declare("ae", ExchangeType.FANOUT);
    bindQueue(main, "routed", "k");
    bindQueue(ae, "unrouted", "");
    assertEquals(Set.of("routed"), route("main", "k"));
    assertEquals(Set.of("unrouted"), route("main", "other"));
  }

  @Test
  void alternateExchangeCyclesAndMissingAlternatesAreHarmless() {
    registry.declare(
        new Exchange(
            "a", ExchangeType.DIRECT, false, false, false, table("alternate-exchange", "b")));
    registry.declare(
        new Exchange(
            "b", ExchangeType.DIRECT, false, false, false, table("alternate-exchange", "a")));
    registry.declare(
        new Exchange(
            "c", ExchangeType.DIRECT, false, false, false, table("alternate-exchange", "none")));
    assertEquals(Set.of(), route("a", "k"));
    assertEquals(Set.of(), route("c", "k"));
  }

  @Test
  void alternateExchangeAppliesAtEachExchangeOnThePath() {
    Exchange in = declare("in", ExchangeType.FANOUT);
    registry.declare(
        new Exchange(
            "mid", ExchangeType.DIRECT, false, false, false, table("alternate-exchange", "ae")));
    Exchange ae = declare("ae", ExchangeType.FANOUT);
    bindExchange(in, "mid", "");
    bindQueue(ae, "unrouted", "");
    assertEquals(Set.of("unrouted"), route("in", "k"));
  }

  @Test
  void aPolicysAlternateExchangeAppliesUnlessTheArgumentNamesOne() {
    Exchange plain = declare("plain", ExchangeType.DIRECT);
    Exchange argued =
        registry.declare(
            new Exchange(
                "argued",
                ExchangeType.DIRECT,
                false,
                false,
                false,
                table("alternate-exchange", "by-argument")));
    bindQueue(declare("by-policy", ExchangeType.FANOUT), "policy-queue", "");
    bindQueue(declare("by-argument", ExchangeType.FANOUT), "argument-queue", "");
    assertEquals(Set.of(), route("plain", "k"));
    plain.policyAlternateExchange("by-policy");
    argued.policyAlternateExchange("by-policy");
    assertEquals(Set.of("policy-queue"), route("plain", "k"));
    assertEquals(Set.of("argument-queue"), route("argued", "k"), "the argument wins");
    plain.policyAlternateExchange(null);
    assertEquals(Set.of(), route("plain", "k"), "the policy went");
    assertTrue(
        plain.equivalent(new Exchange("plain", ExchangeType.DIRECT, false, false, false, null)));
  }
}
