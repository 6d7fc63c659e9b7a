package dev.warren.routing;

import static dev.warren.routing.Routes.exchange;
import static dev.warren.routing.Routes.routed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicRoutingTest {

  /** Whether a topic exchange with the single binding {@code pattern} routes {@code key}. */
  private static boolean matches(String pattern, String key) {
    Exchange x = exchange("t", ExchangeType.TOPIC);
    x.bind(new Binding("t", Destination.queue("q"), pattern));
    List<String> hits = routed(x, key, null);
    if (hits.size() > 1) {
      throw new AssertionError(pattern + " reported " + hits.size() + " times for " + key);
    }
    return hits.size() == 1;
  }

  private static void assertMatches(String pattern, String... keys) {
    for (String key : keys) {
      assertEquals(true, matches(pattern, key), () -> pattern + " should match '" + key + "'");
    }
  }

  private static void assertNoMatch(String pattern, String... keys) {
    for (String key : keys) {
      assertEquals(false, matches(pattern, key), () -> pattern + " should not match '" + key + "'");
    }
  }

  @Test
  void keysSplitOnEveryDotWithEmptyWordsKeptAndEmptyKeyHavingNoWords() {
    assertArrayEquals(new String[] {}, TopicTable.split(""));
    assertArrayEquals(new String[] {"a"}, TopicTable.split("a"));
    assertArrayEquals(new String[] {"a", "", "b"}, TopicTable.split("a..b"));
    assertArrayEquals(new String[] {"a", ""}, TopicTable.split("a."));
    assertArrayEquals(new String[] {"", ""}, TopicTable.split("."));
  }

  @Test
  void literalPatternMatchesOnlyTheSameWords() {
    assertMatches("a.b", "a.b");
    assertNoMatch("a.b", "a", "a.b.c", "a.bb", "b.a", "", "a..b");
  }

  @Test
  void hashAloneMatchesEveryKeyIncludingTheEmptyOne() {
    assertMatches("#", "", "a", "a.b.c", ".", "a..b");
  }

  @Test
  void trailingHashMatchesZeroOrMoreFollowingWords() {
    assertMatches("a.#", "a", "a.b", "a.b.c", "a.");
    assertNoMatch("a.#", "", "b", "ab", "b.a");
  }

  @Test
  void leadingHashMatchesZeroOrMorePrecedingWords() {
    assertMatches("#.a", "a", "b.a", "b.c.a", ".a");
    assertNoMatch("#.a", "", "a.b", "ba");
  }

  @Test
  void starMatchesExactlyOneWord() {
    assertMatches("*", "a", "ab");
    assertNoMatch("*", "a.b", ".");
  }

  @Test
  void starMatchesAnEmptyWordButNotTheEmptyKey() {
    assertMatches("*", "a");
    assertNoMatch("*", "");
    assertMatches("a.*.b", "a..b", "a.x.b");
  }

  @Test
  void twoStarsMatchExactlyTwoWords() {
    assertMatches("*.*", "a.b", ".", "a.");
    assertNoMatch("*.*", "", "a", "a.b.c");
  }

  @Test
  void starThenHashNeedsAtLeastOneWordAfterThePrefix() {
    assertMatches("a.*.#", "a.b", "a.b.c", "a.b.c.d");
    assertNoMatch("a.*.#", "a", "b.c", "");
    assertMatches("#.*", "a", "a.b");
    assertNoMatch("#.*", "");
    assertMatches("*.#.*", "a.b", "a.b.c");
    assertNoMatch("*.#.*", "a", "");
  }

  @Test
  void emptyBindingKeyMatchesOnlyTheEmptyRoutingKey() {
    assertMatches("", "");
    assertNoMatch("", "a", ".");
  }

  @Test
  void emptyWordsInBindingKeysAreLiteralWords() {
    assertMatches("a..b", "a..b");
    assertNoMatch("a..b", "a.b", "a.x.b");
    assertMatches("a.", "a.");
    assertNoMatch("a.", "a");
  }

  @Test
  void consecutiveHashesBehaveLikeOneHashAndReportOnce() {
    assertMatches("#.#", "", "a", "a.b.c");
    assertMatches("#.#.#", "", "a", "a.b.c.d");
  }

  @Test
  void hashesSeparatedByWordsMatchEveryWayOnceEach() {
    assertMatches("a.#.#.b", "a.b", "a.x.b", "a.x.y.b", "a.b.b");
    assertNoMatch("a.#.#.b", "a", "b", "a.b.c");
    assertMatches("a.#.b.#.c", "a.b.c", "a.b.b.b.c", "a.x.b.y.z.c");
    assertNoMatch("a.#.b.#.c", "a.c", "a.b.c.d");
    assertMatches("#.a.#", "a", "a.a", "a.a.a", "x.a.y");
  }

  @Test
  void manyHashesAgainstALongNonMatchingKeyFinishQuickly() {
    String pattern = "#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.z";
    String key = "a" + ".a".repeat(200);
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertNoMatch(pattern, key));
    String alternating = "#.a.#.a.#.a.#.a.#.a.#.z";
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertNoMatch(alternating, key));
  }

  @Test
  void wildcardWordsInARoutingKeyAreOrdinaryWords() {
    assertNoMatch("a.b", "a.*", "a.#");
    assertMatches("a.*", "a.*", "a.#");
  }

  @Test
  void everyMatchingBindingIsReportedAndOthersAreNot() {
    Exchange x = exchange("t", ExchangeType.TOPIC);
    for (String p : List.of("a.b.c", "a.*.c", "a.#", "#.c", "*.b.*", "#", "a.b", "b.#", "*.*")) {
      x.bind(new Binding("t", Destination.queue(p), p));
    }
    List<String> hits = routed(x, "a.b.c", null);
    hits.sort(null);
    assertEquals(List.of("#", "#.c", "*.b.*", "a.#", "a.*.c", "a.b.c"), hits);
  }

  @Test
  void unbindingAShorterKeyKeepsLongerKeysThroughTheSameNodes() {
    Exchange x = exchange("t", ExchangeType.TOPIC);
    Binding shortKey = new Binding("t", Destination.queue("short"), "a.b");
    Binding longKey = new Binding("t", Destination.queue("long"), "a.b.c");
    x.bind(shortKey);
    x.bind(longKey);
    x.unbind(shortKey);
    assertEquals(List.of(), routed(x, "a.b", null));
    assertEquals(List.of("long"), routed(x, "a.b.c", null));
    x.unbind(longKey);
    assertEquals(List.of(), routed(x, "a.b.c", null));
    x.bind(shortKey);
    assertEquals(List.of("short"), routed(x, "a.b", null));
  }

  @Test
  void unbindingOneDestinationKeepsOthersWithTheSamePattern() {
    Exchange x = exchange("t", ExchangeType.TOPIC);
    x.bind(new Binding("t", Destination.queue("q1"), "a.#"));
    x.bind(new Binding("t", Destination.queue("q2"), "a.#"));
    x.unbind(new Binding("t", Destination.queue("q1"), "a.#"));
    assertEquals(List.of("q2"), routed(x, "a.b", null));
  }
}
