package dev.warren.routing;

import static dev.warren.routing.Routes.exchange;
import static dev.warren.routing.Routes.routed;
import static dev.warren.routing.Routes.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.routing.Routes.Text;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersRoutingTest {

  /** Whether a headers exchange with one binding of these arguments routes these headers. */
  private static boolean matches(Map<String, Object> bindingArgs, Map<String, Object> headers) {
    Exchange x = exchange("h", ExchangeType.HEADERS);
    x.bind(new Binding("h", Destination.queue("q"), "", bindingArgs));
    return routed(x, "any-key", headers).equals(List.of("q"));
  }

  @Test
  void allIsTheDefaultAndNeedsEveryArgumentToMatch() {
    Map<String, Object> args = table("a", 1, "b", "x");
    assertTrue(matches(args, table("a", 1, "b", "x", "c", 3)));
    assertFalse(matches(args, table("a", 1)));
    assertFalse(matches(args, table("a", 1, "b", "y")));
    assertTrue(matches(table("x-match", "all", "a", 1), table("a", 1)));
  }

  @Test
  void anyNeedsOneArgumentToMatch() {
    Map<String, Object> args = table("x-match", "any", "a", 1, "b", 2);
    assertTrue(matches(args, table("a", 1)));
    assertTrue(matches(args, table("a", 0, "b", 2)));
    assertFalse(matches(args, table("c", 1)));
    assertFalse(matches(args, null));
  }

  @Test
  void allWithoutArgumentsMatchesEveryMessageAndAnyWithoutArgumentsNone() {
    assertTrue(matches(table(), null));
    assertTrue(matches(table(), table("a", 1)));
    assertTrue(matches(table("x-match", "all"), table()));
    assertFalse(matches(table("x-match", "any"), table("a", 1)));
    assertFalse(matches(table("x-match", "any"), null));
  }

  @Test
  void allAndAnyIgnoreArgumentsStartingWithX() {
    assertTrue(matches(table("x-match", "all", "x-foo", "bar", "a", 1), table("a", 1)));
    assertTrue(matches(table("x-foo", "bar"), null));
    assertFalse(matches(table("x-match", "any", "x-foo", "bar"), table("x-foo", "bar")));
  }

  @Test
  void withXModesAlsoCompareArgumentsStartingWithXButNeverXMatchItself() {
    Map<String, Object> all = table("x-match", "all-with-x", "x-foo", "bar", "a", 1);
    assertFalse(matches(all, table("a", 1)));
    assertTrue(matches(all, table("a", 1, "x-foo", "bar")));
    Map<String, Object> any = table("x-match", "any-with-x", "x-foo", "bar");
    assertTrue(matches(any, table("x-foo", "bar")));
    assertFalse(matches(any, table("x-foo", "baz")));
    assertTrue(matches(table("x-match", "all-with-x"), table()));
  }

  @Test
  void voidArgumentMatchesOnPresenceOfTheHeaderWithAnyValue() {
    Map<String, Object> args = table("a", null);
    assertTrue(matches(args, table("a", 5)));
    assertTrue(matches(args, table("a", "text")));
    assertTrue(matches(args, table("a", null)));
    assertFalse(matches(args, table("b", 5)));
    assertFalse(matches(args, null));
  }

  @Test
  void voidHeaderDoesNotMatchAnArgumentWithAValue() {
    assertFalse(matches(table("a", 1), table("a", null)));
  }

  @Test
  void numbersMatchByValueWhateverTheirWidth() {
    assertTrue(matches(table("a", 1), table("a", 1L)));
    assertTrue(matches(table("a", (short) 7), table("a", 7)));
    assertTrue(matches(table("a", 1), table("a", 1.0d)));
    assertFalse(matches(table("a", 1), table("a", 2L)));
    assertFalse(matches(table("a", 1), table("a", "1")));
    assertFalse(matches(table("a", "true"), table("a", true)));
  }

  @Test
  void longStringsMatchStringsWithTheSameText() {
    assertTrue(matches(table("a", "v"), table("a", new Text("v"))));
    assertTrue(matches(table("a", new Text("v")), table("a", "v")));
    assertTrue(matches(table("a", new Text("v")), table("a", new Text("v"))));
    assertFalse(matches(table("a", "v"), table("a", new Text("w"))));
    assertTrue(matches(table("x-match", new Text("any"), "a", 1, "b", 2), table("b", 2)));
  }

  @Test
  void byteArraysMatchByContent() {
    assertTrue(matches(table("a", new byte[] {1, 2}), table("a", new byte[] {1, 2})));
    assertFalse(matches(table("a", new byte[] {1, 2}), table("a", new byte[] {1, 3})));
  }

  @Test
  void routingKeyIsIgnored() {
    Exchange x = exchange("h", ExchangeType.HEADERS);
    x.bind(new Binding("h", Destination.queue("q"), "some-key", table("a", 1)));
    assertEquals(List.of("q"), routed(x, "other-key", table("a", 1)));
  }

  @Test
  void unknownOrNonStringXMatchIsRefused() {
    Exchange x = exchange("h", ExchangeType.HEADERS);
    Binding unknown = new Binding("h", Destination.queue("q"), "", table("x-match", "some"));
    Binding number = new Binding("h", Destination.queue("q"), "", table("x-match", 1));
    Binding absent = new Binding("h", Destination.queue("q"), "", table("a", 1));
    assertTrue(x.invalidBinding(unknown).isPresent());
    assertTrue(x.invalidBinding(number).isPresent());
    assertTrue(x.invalidBinding(absent).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> x.bind(unknown));
    assertFalse(x.hasBindings());
  }

  @Test
  void xMatchIsNotCheckedOnOtherExchangeTypes() {
    Exchange x = exchange("d", ExchangeType.DIRECT);
    assertTrue(x.bind(new Binding("d", Destination.queue("q"), "", table("x-match", "some"))));
  }
}
