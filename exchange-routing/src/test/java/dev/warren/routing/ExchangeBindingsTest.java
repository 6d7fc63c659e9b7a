package dev.warren.routing;

import static dev.warren.routing.Routes.exchange;
import static dev.warren.routing.Routes.routed;
import static dev.warren.routing.Routes.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.routing.Routes.Text;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExchangeBindingsTest {

  /** The types whose binding keys match routing keys; consistent-hash keys are weights instead. */
  private static final Set<ExchangeType> KEY_MATCHING =
      EnumSet.complementOf(EnumSet.of(ExchangeType.X_CONSISTENT_HASH));

  @Test
  void bindingTheSameBindingTwiceIsANoOp() {
    for (ExchangeType type : KEY_MATCHING) {
      Exchange x = exchange("x", type);
      Binding b = new Binding("x", Destination.queue("q"), "k", table("a", 1));
      assertTrue(x.bind(b));
      assertFalse(x.bind(new Binding("x", Destination.queue("q"), "k", table("a", 1))));
      assertEquals(List.of(b), x.bindings());
      assertEquals(List.of("q"), routed(x, "k", table("a", 1)), type.toString());
    }
  }

  @Test
  void bindingsDifferingOnlyInArgumentsAreDistinct() {
    Exchange x = exchange("x", ExchangeType.DIRECT);
    assertTrue(x.bind(new Binding("x", Destination.queue("q"), "k", table("a", 1))));
    assertTrue(x.bind(new Binding("x", Destination.queue("q"), "k", table("a", 2))));
    assertEquals(2, x.bindings().size());
  }

  @Test
  void nullArgumentsAreTheSameAsNoArguments() {
    assertEquals(
        new Binding("x", Destination.queue("q"), "k", null),
        new Binding("x", Destination.queue("q"), "k", Map.of()));
  }

  @Test
  void unbindRemovesOnlyThatBindingAndReportsWhetherItExisted() {
    for (ExchangeType type : KEY_MATCHING) {
      Exchange x = exchange("x", type);
      Binding b1 = new Binding("x", Destination.queue("q1"), "k");
      Binding b2 = new Binding("x", Destination.queue("q2"), "k");
      x.bind(b1);
      x.bind(b2);
      assertTrue(x.unbind(b1));
      assertFalse(x.unbind(b1));
      assertEquals(List.of("q2"), routed(x, "k", null), type.toString());
      assertTrue(x.unbind(b2));
      assertFalse(x.hasBindings());
      assertEquals(List.of(), routed(x, "k", null));
    }
  }

  @Test
  void unbindOfABindingNeverMadeReturnsFalse() {
    Exchange x = exchange("x", ExchangeType.TOPIC);
    assertFalse(x.unbind(new Binding("x", Destination.queue("q"), "a.b")));
  }

  @Test
  void removeBindingsToRemovesEveryBindingOfThatDestinationOnly() {
    for (ExchangeType type : KEY_MATCHING) {
      Exchange x = exchange("x", type);
      x.bind(new Binding("x", Destination.queue("gone"), "k"));
      x.bind(new Binding("x", Destination.queue("gone"), "a.b"));
      x.bind(new Binding("x", Destination.queue("stays"), "k"));
      x.bind(new Binding("x", Destination.exchange("gone"), "k"));
      assertEquals(2, x.removeBindingsTo(Destination.queue("gone")));
      Set<String> left = new HashSet<>(routed(x, "k", null));
      assertEquals(Set.of("stays", "gone"), left, type.toString());
      assertEquals(0, x.removeBindingsTo(Destination.queue("gone")));
      assertEquals(List.of(), x.bindingsTo(Destination.queue("gone")));
    }
  }

  @Test
  void bindingFromAnotherExchangeIsRefused() {
    Exchange x = exchange("x", ExchangeType.DIRECT);
    assertThrows(
        IllegalArgumentException.class,
        () -> x.bind(new Binding("y", Destination.queue("q"), "k")));
  }

  @Test
  void redeclarationIsEquivalentWhenTypeFlagsAndAlternateExchangeAgree() {
    Exchange x =
        new Exchange(
            "x", ExchangeType.TOPIC, true, false, false, table("alternate-exchange", "ae"));
    assertEquals(
        Optional.empty(),
        x.inequivalentProperty(
            new Exchange(
                "x",
                ExchangeType.TOPIC,
                true,
                false,
                false,
                table("alternate-exchange", new Text("ae"), "other", 1))));
    assertEquals(
        Optional.of("type"),
        x.inequivalentProperty(new Exchange("x", ExchangeType.DIRECT, true, false, false, null)));
    assertEquals(
        Optional.of("durable"),
        x.inequivalentProperty(new Exchange("x", ExchangeType.TOPIC, false, false, false, null)));
    assertEquals(
        Optional.of("auto_delete"),
        x.inequivalentProperty(new Exchange("x", ExchangeType.TOPIC, true, true, false, null)));
    assertEquals(
        Optional.of("internal"),
        x.inequivalentProperty(new Exchange("x", ExchangeType.TOPIC, true, false, true, null)));
    assertEquals(
        Optional.of("alternate-exchange"),
        x.inequivalentProperty(new Exchange("x", ExchangeType.TOPIC, true, false, false, null)));
    assertFalse(
        x.equivalent(
            new Exchange(
                "x", ExchangeType.TOPIC, true, false, false, table("alternate-exchange", "b"))));
  }

  @Test
  void exchangeTypesAreNamedByTheirWireNamesCaseSensitively() {
    assertEquals(Optional.of(ExchangeType.TOPIC), ExchangeType.named("topic"));
    assertEquals(Optional.of(ExchangeType.HEADERS), ExchangeType.named("headers"));
    assertEquals(Optional.empty(), ExchangeType.named("Topic"));
    assertEquals(Optional.empty(), ExchangeType.named("x-delayed-message"));
    assertEquals("fanout", ExchangeType.FANOUT.wireName());
  }

  @Test
  void argumentsAreCopiedAndKeepVoidValues() {
    Map<String, Object> args = table("a", null);
    Exchange x = new Exchange("x", ExchangeType.DIRECT, false, false, false, args);
    args.put("b", 1);
    assertEquals(table("a", null), x.arguments());
    assertThrows(UnsupportedOperationException.class, () -> x.arguments().put("c", 2));
  }
}
