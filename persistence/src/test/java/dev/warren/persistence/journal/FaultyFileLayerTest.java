package dev.warren.persistence.journal;

import static dev.warren.persistence.journal.FileLayerContractTest.bytes;
import static dev.warren.persistence.journal.FileLayerContractTest.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The file layer contract over {@link FaultyFileLayer}, plus what a power loss does to it. */
class FaultyFileLayerTest extends FileLayerContractTest {

  private final FaultyFileLayer disk = new FaultyFileLayer(42);

  @Override
  FileLayer files() {
    return disk;
  }

  @Test
  void aCrashKeepsOnlyTheForcedBytes() throws IOException {
    SegmentFile f = disk.create("a");
    f.append(new ByteBuffer[] {bytes("forced")});
    f.force();
    f.append(new ByteBuffer[] {bytes("lost")});
    FaultyFileLayer after = disk.crash(false);
    assertThrows(IOException.class, () -> f.append(new ByteBuffer[] {bytes("x")}));
    assertThrows(IOException.class, disk::list);
    try (SegmentFile g = after.open("a")) {
      assertEquals(6, g.size());
      assertEquals("forced", read(g, 0, 6));
    }
  }

  @Test
  void aTornCrashKeepsAPrefixOfTheUnforcedBytes() throws IOException {
    SegmentFile f = disk.create("a");
    f.append(new ByteBuffer[] {bytes("forced")});
    f.force();
    f.append(new ByteBuffer[] {bytes("0123456789")});
    FaultyFileLayer after = disk.crash(true);
    try (SegmentFile g = after.open("a")) {
      long size = g.size();
      assertTrue(size >= 6 && size <= 16);
      assertEquals("forced0123456789".substring(0, (int) size), read(g, 0, (int) size));
    }
  }

  @Test
  void aFlippedBitChangesOneByteAndForcesAreCounted() throws IOException {
    SegmentFile f = disk.create("a");
    f.append(new ByteBuffer[] {bytes("aaaa")});
    f.force();
    f.force();
    disk.flipBit("a", 2, 0);
    assertEquals("aa`a", read(f, 0, 4));
    assertEquals(2, disk.forceCount());
  }
}
