package dev.warren.mirroring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.persistence.definitions.Bind;
import dev.warren.persistence.definitions.BindingKey;
import dev.warren.persistence.definitions.CommandFormatException;
import dev.warren.persistence.definitions.DestinationKind;
import dev.warren.persistence.definitions.PutExchange;
import dev.warren.persistence.definitions.PutQueue;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataEntryTest {
  private static final MetadataEntry ENTRY =
      new MetadataEntry(
          "n1/é",
          42,
          List.of(
              new PutExchange("/", "x", "direct", false, false, new byte[] {1, 2}),
              new PutQueue("/", "q", false, new byte[0]),
              new Bind(new BindingKey("/", "x", DestinationKind.QUEUE, "q", "k", new byte[0]))));

  @Test
  void anEntryDecodesToItselfWithItsCommandsInOrder() {
    assertEquals(ENTRY, MetadataEntry.decode(ENTRY.encode()));
    MetadataEntry empty = new MetadataEntry("n2", 0, List.of());
    assertEquals(empty, MetadataEntry.decode(empty.encode()));
  }

  @Test
  void itsWriterKnowsItByOriginAndSequence() {
    assertTrue(ENTRY.isFrom("n1/é", 42));
    assertTrue(!ENTRY.isFrom("n1/é", 41) && !ENTRY.isFrom("n2", 42));
  }

  @Test
  void truncatedOrPaddedOrAnotherVersionIsRefused() {
    byte[] bytes = ENTRY.encode();
    for (int length = 0; length < bytes.length; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThrows(CommandFormatException.class, () -> MetadataEntry.decode(cut), "" + length);
    }
    byte[] padded = Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(CommandFormatException.class, () -> MetadataEntry.decode(padded));
    byte[] other = bytes.clone();
    other[0] = 2;
    assertThrows(CommandFormatException.class, () -> MetadataEntry.decode(other));
  }
}
