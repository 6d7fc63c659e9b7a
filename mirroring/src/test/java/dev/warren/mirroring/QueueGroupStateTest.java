package dev.warren.mirroring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.storage.RecoveredLog;
import dev.warren.storage.StoredMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

/**
 * The queue group's replicated state, entry by entry as every replica applies them: appends whose
 * id does not increase are refused (a retried append does not duplicate), acks, purges and deletes
 * do what the storage SPI says, and a snapshot restores the same state.
 */
class QueueGroupStateTest {
  private static final long Q = 7;

  private final QueueGroupState state = new QueueGroupState();

  @Test
  void aRetriedAppendIsRefusedAndTheMessageIsHeldOnce() {
    assertTrue(state.apply(append(Q, 1, "a")));
    assertTrue(state.apply(append(Q, 2, "b")));
    assertFalse(state.apply(append(Q, 2, "b")), "the same append again");
    assertFalse(state.apply(append(Q, 1, "late")), "an older id");
    assertEquals(2, state.size(Q));
    assertEquals(List.of("a", "b"), bodies(state.read(Q, new long[] {1, 2})));
    assertEquals(3, state.recovered(Q).nextId());
  }

  @Test
  void acksPurgesAndDeletesRemoveWhatTheySay() {
    state.apply(append(Q, 1, "a"));
    state.apply(append(Q, 2, "b"));
    state.apply(append(Q + 1, 1, "other"));
    state.apply(decode(QueueGroupEntry.of(QueueGroupEntry.Op.ACK, Q, 1)));
    assertNull(state.read(Q, new long[] {1}).get(0));
    state.apply(decode(QueueGroupEntry.of(QueueGroupEntry.Op.PURGE, Q)));
    assertEquals(0, state.size(Q));
    assertEquals(3, state.recovered(Q).nextId(), "ids stay above every id appended");

    state.apply(decode(QueueGroupEntry.of(QueueGroupEntry.Op.DELETE, Q)));
    assertFalse(state.apply(append(Q, 9, "after")), "a deleted queue takes nothing more");
    assertEquals(1, state.size(Q + 1), "other queues keep theirs");
  }

  @Test
  void aNewLeaderRecoversEveryMessageFlaggedRedelivered() {
    state.apply(append(Q, 4, "a"));
    state.apply(append(Q, 5, "b"));
    RecoveredLog recovered = state.recovered(Q);
    assertEquals(2, recovered.messages().size());
    assertEquals(4, recovered.messages().id(0));
    assertTrue(recovered.messages().redelivered(0) && recovered.messages().redelivered(1));
    assertEquals(6, recovered.nextId());
  }

  @Test
  void aReturnedMessagesDeliveryCountReachesTheNextLeaderAndSurvivesASnapshot() throws Exception {
    state.apply(append(Q, 1, "a"));
    state.apply(append(Q, 2, "b"));
    state.apply(decode(QueueGroupEntry.returned(Q, 1, 2)));
    state.apply(decode(QueueGroupEntry.returned(Q, 1, 3)));
    assertTrue(state.apply(decode(QueueGroupEntry.returned(Q, 9, 1))), "not held: nothing");
    assertEquals(3, state.recovered(Q).deliveryCount(1), "the last count");
    assertEquals(0, state.recovered(Q).deliveryCount(2), "never returned");

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    state.write(new DataOutputStream(bytes));
    QueueGroupState restored = new QueueGroupState();
    restored.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(3, restored.recovered(Q).deliveryCount(1));
    assertEquals(List.of("a", "b"), bodies(restored.read(Q, new long[] {1, 2})));

    ByteString entry = QueueGroupEntry.returned(Q, 1, 3);
    for (int length = 0; length < entry.size(); length++) {
      ByteString cut = entry.substring(0, length);
      assertThrows(IllegalArgumentException.class, () -> QueueGroupEntry.decode(cut), "" + length);
    }
  }

  @Test
  void aMessageBeingDeadLetteredIsHandedToTheNextLeaderAsSuchAndSurvivesASnapshot()
      throws Exception {
    state.apply(append(Q, 1, "a"));
    state.apply(append(Q, 2, "b"));
    state.apply(decode(QueueGroupEntry.returned(Q, 2, 4)));
    state.apply(decode(QueueGroupEntry.deadLettering(Q, 2, 3)));
    assertEquals(3, state.recovered(Q).deadLettering(2));
    assertEquals(4, state.recovered(Q).deliveryCount(2));
    assertEquals(-1, state.recovered(Q).deadLettering(1));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    state.write(new DataOutputStream(bytes));
    QueueGroupState restored = new QueueGroupState();
    restored.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(3, restored.recovered(Q).deadLettering(2));
    assertEquals(4, restored.recovered(Q).deliveryCount(2));
    assertEquals(List.of("a", "b"), bodies(restored.read(Q, new long[] {1, 2})));

    state.apply(decode(QueueGroupEntry.of(QueueGroupEntry.Op.ACK, Q, 2)));
    assertEquals(-1, state.recovered(Q).deadLettering(2), "its dead letter was safe: gone");
  }

  @Test
  void aSnapshotRestoresTheSameState() throws Exception {
    state.apply(append(Q, 1, "a"));
    state.apply(append(Q, 2, "b"));
    state.apply(decode(QueueGroupEntry.of(QueueGroupEntry.Op.DELIVERED, Q, 2)));
    state.apply(decode(QueueGroupEntry.of(QueueGroupEntry.Op.DELETE, Q + 1)));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    state.write(new DataOutputStream(bytes));

    QueueGroupState restored = new QueueGroupState();
    restored.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(List.of("a", "b"), bodies(restored.read(Q, new long[] {1, 2})));
    assertFalse(restored.apply(append(Q, 2, "again")));
    assertFalse(restored.apply(append(Q + 1, 1, "x")), "still deleted");
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    restored.write(new DataOutputStream(again));
    assertEquals(
        ByteString.copyFrom(bytes.toByteArray()), ByteString.copyFrom(again.toByteArray()));
  }

  @Test
  void entriesDecodeToWhatWasEncodedAndMalformedOnesAreRefused() {
    ByteBuf metadata = Unpooled.copiedBuffer("meta", StandardCharsets.UTF_8);
    ByteBuf body = Unpooled.copiedBuffer("body", StandardCharsets.UTF_8);
    ByteString bytes = QueueGroupEntry.append(Q, 42, metadata, body);
    metadata.release();
    body.release();
    QueueGroupEntry e = QueueGroupEntry.decode(bytes);
    assertEquals(QueueGroupEntry.Op.APPEND, e.op());
    assertEquals(Q, e.queueId());
    assertEquals(42, e.messageId());
    assertEquals("meta", e.metadata().toStringUtf8());
    assertEquals("body", e.body().toStringUtf8());
    for (int length = 0; length < 22; length++) {
      ByteString cut = bytes.substring(0, length);
      assertThrows(IllegalArgumentException.class, () -> QueueGroupEntry.decode(cut), "" + length);
    }
    assertThrows(
        IllegalArgumentException.class,
        () ->
            QueueGroupEntry.decode(ByteString.copyFrom(new byte[] {1, 9, 0, 0, 0, 0, 0, 0, 0, 0})));
  }

  private static QueueGroupEntry append(long queue, long id, String text) {
    ByteBuf metadata = Unpooled.buffer(0);
    ByteBuf body = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    try {
      return decode(QueueGroupEntry.append(queue, id, metadata, body));
    } finally {
      body.release();
    }
  }

  private static QueueGroupEntry decode(ByteString bytes) {
    return QueueGroupEntry.decode(bytes);
  }

  private static List<String> bodies(List<StoredMessage> read) {
    return read.stream()
        .map(
            m -> {
              String text = m.body().toString(StandardCharsets.UTF_8);
              m.release();
              return text;
            })
        .toList();
  }
}
