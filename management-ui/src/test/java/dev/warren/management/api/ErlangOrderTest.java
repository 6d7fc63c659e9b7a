package dev.warren.management.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Strings sort by their UTF-8 bytes, as Erlang compares binaries, whatever characters they hold.
 */
class ErlangOrderTest {

  @Test
  void stringsSortByTheirUtf8BytesAcrossEveryRangeOfCharacters() {
    // ASCII, Latin-1, CJK, the U+E000..U+FFFF range (fullwidth A, U+FFFD), and characters above
    // U+FFFF (surrogate pairs in Java), where UTF-16 order and UTF-8 order disagree.
    List<String> names =
        new ArrayList<>(
            List.of(
                "q-10",
                "q-9",
                "q",
                "Q",
                "é",
                "e\u0301",
                "中",
                "\uFF21",
                "\uFFFD",
                "\uD83D\uDE00",
                "\uD83D\uDE01",
                "a\uD800\uDC00",
                "a\uFF21",
                "ab",
                ""));
    List<String> byBytes = new ArrayList<>(names);
    byBytes.sort(
        (x, y) ->
            Arrays.compareUnsigned(
                x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
    names.sort(ErlangOrder.INSTANCE);
    assertEquals(byBytes, names);
  }

  @Test
  void numbersThenAtomsThenStrings() {
    List<Object> values = new ArrayList<>(Arrays.asList("a", true, null, 2L, false, 1.5, "A"));
    values.sort(ErlangOrder.INSTANCE);
    assertEquals(Arrays.asList(1.5, 2L, false, null, true, "A", "a"), values);
  }
}
