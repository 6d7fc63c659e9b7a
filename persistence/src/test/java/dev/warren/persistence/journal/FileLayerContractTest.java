package dev.warren.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the journal relies on from a {@link FileLayer}, run over each implementation. */
abstract class FileLayerContractTest {

  abstract FileLayer files() throws IOException;

  static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }

  static String read(SegmentFile f, long position, int length) throws IOException {
    ByteBuffer dst = ByteBuffer.allocate(length);
    SegmentScanner.readFully(f, dst, position);
    return new String(dst.array(), StandardCharsets.US_ASCII);
  }

  @Test
  void aGatheringAppendWritesEveryBufferInOrder() throws IOException {
    try (SegmentFile f = files().create("a")) {
      f.append(new ByteBuffer[] {bytes("one,"), bytes(""), bytes("two,")});
      f.append(new ByteBuffer[] {bytes("three")});
      f.force();
      assertEquals(13, f.size());
      assertEquals("two,three", read(f, 4, 9));
      assertEquals(-1, f.read(ByteBuffer.allocate(1), 13));
    }
  }

  @Test
  void aReopenedFileAppendsAtItsEnd() throws IOException {
    FileLayer files = files();
    try (SegmentFile f = files.create("a")) {
      f.append(new ByteBuffer[] {bytes("abc")});
      f.force();
    }
    try (SegmentFile f = files.open("a")) {
      f.append(new ByteBuffer[] {bytes("def")});
      assertEquals("abcdef", read(f, 0, 6));
    }
  }

  @Test
  void truncateCutsTheTailAndLaterAppendsFollowIt() throws IOException {
    try (SegmentFile f = files().create("a")) {
      f.append(new ByteBuffer[] {bytes("abcdef")});
      f.truncate(2);
      f.append(new ByteBuffer[] {bytes("XY")});
      assertEquals(4, f.size());
      assertEquals("abXY", read(f, 0, 4));
    }
  }

  @Test
  void createRefusesAnExistingNameAndDeleteForgetsIt() throws IOException {
    FileLayer files = files();
    files.create("a").close();
    assertThrows(IOException.class, () -> files.create("a"));
    assertTrue(files.list().contains("a"));
    files.delete("a");
    files.delete("a");
    assertFalse(files.list().contains("a"));
  }
}
