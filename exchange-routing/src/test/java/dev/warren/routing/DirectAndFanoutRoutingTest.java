package dev.warren.routing;

import static dev.warren.routing.Routes.exchange;
import static dev.warren.routing.Routes.routed;
import static dev.warren.routing.Routes.table;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DirectAndFanoutRoutingTest {

  @Test
  void directRoutesOnlyOnExactKeyEquality() {
    Exchange x = exchange("d", ExchangeType.DIRECT);
    x.bind(new Binding("d", Destination.queue("q1"), "key"));
    x.bind(new Binding("d", Destination.queue("q2"), "Key"));
    x.bind(new Binding("d", Destination.queue("q3"), ""));
    assertEquals(List.of("q1"), routed(x, "key", null));
    assertEquals(List.of("q2"), routed(x, "Key", null));
    assertEquals(List.of("q3"), routed(x, "", null));
    assertEquals(List.of(), routed(x, "key.x", null));
    assertEquals(List.of(), routed(x, "*", null));
  }

  @Test
  void directRoutesToEveryDestinationBoundWithTheKey() {
    Exchange x = exchange("d", ExchangeType.DIRECT);
    x.bind(new Binding("d", Destination.queue("q1"), "k"));
    x.bind(new Binding("d", Destination.queue("q2"), "k"));
    x.bind(new Binding("d", Destination.exchange("x2"), "k"));
    assertEquals(List.of("q1", "q2", "x2"), routed(x, "k", null));
  }

  @Test
  void directReportsADestinationOncePerBinding() {
    Exchange x = exchange("d", ExchangeType.DIRECT);
    x.bind(new Binding("d", Destination.queue("q"), "k", table("a", 1)));
    x.bind(new Binding("d", Destination.queue("q"), "k", table("a", 2)));
    assertEquals(List.of("q", "q"), routed(x, "k", null));
  }

  @Test
  void fanoutRoutesToEveryBindingWhateverTheKey() {
    Exchange x = exchange("f", ExchangeType.FANOUT);
    x.bind(new Binding("f", Destination.queue("q1"), "a"));
    x.bind(new Binding("f", Destination.queue("q2"), ""));
    assertEquals(List.of("q1", "q2"), routed(x, "zzz", null));
    assertEquals(List.of("q1", "q2"), routed(x, "", null));
  }

  @Test
  void fanoutWithoutBindingsRoutesNowhere() {
    assertEquals(List.of(), routed(exchange("f", ExchangeType.FANOUT), "k", null));
  }
}
