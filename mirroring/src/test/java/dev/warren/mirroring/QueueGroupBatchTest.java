package dev.warren.mirroring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

/**
 * Several queue-group entries in one log entry: the state machine reads back exactly the entries
 * the batch was made of, in order, reads a plain entry as itself, and refuses a batch cut short or
 * with bytes after its entries (so a damaged batch is never applied in part as if whole).
 */
class QueueGroupBatchTest {
  private static final long Q = 7;

  @Test
  void aBatchReadsBackAsItsEntriesInOrder() {
    ByteString append = append(1, "body");
    ByteString ack = QueueGroupEntry.of(QueueGroupEntry.Op.ACK, Q, 1);
    ByteString barrier = QueueGroupEntry.of(QueueGroupEntry.Op.BARRIER, Q + 1, 99);

    List<ByteString> read =
        QueueGroupBatch.entries(QueueGroupBatch.of(List.of(append, ack, barrier)));

    assertEquals(List.of(append, ack, barrier), read);
    QueueGroupEntry first = QueueGroupEntry.decode(read.get(0));
    assertEquals(QueueGroupEntry.Op.APPEND, first.op());
    assertEquals("body", first.body().toStringUtf8());
    assertEquals(99, QueueGroupEntry.decode(read.get(2)).messageId());
  }

  @Test
  void aPlainEntryReadsAsItself() {
    ByteString ack = QueueGroupEntry.of(QueueGroupEntry.Op.ACK, Q, 5);
    assertEquals(List.of(ack), QueueGroupBatch.entries(ack));
    ByteString returned = QueueGroupEntry.returned(Q, 5, 2);
    assertEquals(List.of(returned), QueueGroupBatch.entries(returned), "whatever its op");
    ByteString lettering = QueueGroupEntry.deadLettering(Q, 5, 1);
    assertEquals(List.of(lettering), QueueGroupBatch.entries(lettering));
    for (QueueGroupEntry.Op op : QueueGroupEntry.Op.values()) {
      assertNotEquals(QueueGroupBatch.OP, op.code(), op + " takes the batch's op");
    }
    ByteString append = append(2, "x");
    assertEquals(List.of(append), QueueGroupBatch.entries(append));
  }

  @Test
  void aBatchCutShortOrWithTrailingBytesIsRefused() {
    ByteString batch =
        QueueGroupBatch.of(
            List.of(append(1, "one"), QueueGroupEntry.of(QueueGroupEntry.Op.ACK, Q, 1)));
    for (int length = 2; length < batch.size(); length++) {
      ByteString cut = batch.substring(0, length);
      assertThrows(IllegalArgumentException.class, () -> QueueGroupBatch.entries(cut), "" + length);
    }
    ByteString padded = batch.concat(ByteString.copyFrom(new byte[] {0}));
    assertThrows(IllegalArgumentException.class, () -> QueueGroupBatch.entries(padded));
  }

  private static ByteString append(long id, String text) {
    ByteBuf metadata = Unpooled.buffer(0);
    ByteBuf body = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    try {
      return QueueGroupEntry.append(Q, id, metadata, body);
    } finally {
      body.release();
    }
  }
}
