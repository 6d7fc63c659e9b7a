package dev.warren.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The record format byte by byte, as the README draws it. */
class RecordsTest {

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Test
  void anAckRecordIsLengthCrcTypeQueueAndMessage() {
    byte[] record = bytes(Records.control(RecordType.ACK, 0x0102, 0x0A0B));
    byte[] body = HexFormat.of().parseHex("02" + "0000000000000102" + "0000000000000a0b");
    CRC32C crc = new CRC32C();
    crc.update(body);
    ByteBuffer expected = ByteBuffer.allocate(25).putInt(17).putInt((int) crc.getValue()).put(body);
    assertArrayEquals(expected.array(), record);
  }

  @Test
  void anEnqueueRecordCarriesFlagsPropertiesLengthPropertiesAndBody() {
    ByteBuffer[] props = {ByteBuffer.wrap(new byte[] {'p', 'p'})};
    ByteBuffer[] body = {ByteBuffer.wrap(new byte[] {'b'}), ByteBuffer.wrap(new byte[] {'c'})};
    ByteBuffer header = Records.enqueueHeader(3, 4, Records.FLAG_DELIVERED, props, body);
    ByteBuffer whole = ByteBuffer.allocate(34).put(header.duplicate()).put("ppbc".getBytes());
    whole.flip();
    assertEquals(26, whole.getInt(0));
    assertEquals(RecordType.ENQUEUE.code, whole.get(8));
    assertEquals(3, whole.getLong(9));
    assertEquals(4, whole.getLong(17));
    assertEquals(Records.FLAG_DELIVERED, whole.get(25));
    assertEquals(2, whole.getInt(26));
    RecordMeta meta = Records.decode(9, 100, whole);
    assertEquals(
        new RecordMeta(9, 100, 34, whole.getInt(4), RecordType.ENQUEUE, 3, 4, (byte) 1), meta);
    assertEquals(2, props[0].remaining(), "the crc must not consume the caller's buffers");
  }

  @Test
  void aRecordWithAFlippedBitOrAnImpossibleLengthDoesNotDecode() {
    ByteBuffer record = Records.control(RecordType.PURGE, 1, 2);
    record.put(20, (byte) (record.get(20) ^ 1));
    assertNull(Records.decode(1, 0, record));
    ByteBuffer zeros = ByteBuffer.allocate(25);
    assertNull(Records.decode(1, 0, zeros));
  }
}
