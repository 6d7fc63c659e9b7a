package dev.warren.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageRunsTest {

  @Test
  void consecutiveIdsWithOneFlagShareARunAndReadBackByIndex() {
    MessageRuns runs =
        new MessageRuns.Builder()
            .add(3, false)
            .add(4, false)
            .add(5, true)
            .add(9, true)
            .add(10, true)
            .build();
    assertEquals(5, runs.size());
    assertEquals(List.of(3L, 4L, 5L, 9L, 10L), MessageLogContract.ids(runs));
    assertEquals(List.of(false, false, true, true, true), MessageLogContract.flags(runs));
    assertEquals(
        List.of(true, true, true, true, true), MessageLogContract.flags(runs.allRedelivered()));
  }

  @Test
  void idsMustIncreaseAndIndexesStayInRange() {
    MessageRuns.Builder builder = new MessageRuns.Builder().add(5, false);
    assertThrows(IllegalArgumentException.class, () -> builder.add(5, false));
    MessageRuns runs = builder.build();
    assertThrows(IndexOutOfBoundsException.class, () -> runs.id(1));
    assertEquals(0, MessageRuns.EMPTY.size());
  }
}
