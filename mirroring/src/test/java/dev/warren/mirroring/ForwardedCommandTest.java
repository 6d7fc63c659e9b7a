package dev.warren.mirroring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.mirroring.ForwardedCommand.Op;
import dev.warren.mirroring.ForwardedCommand.Sender;
import dev.warren.storage.RemoteQueue;
import dev.warren.storage.StoredMessage;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

/** Forwarded commands and their replies read back as written; a truncated one is refused. */
class ForwardedCommandTest {
  private static final Sender N2 = new Sender("n2", -7_000_000_000L);

  @Test
  void aBatchOfPublishesReadsBackInOrder() {
    ByteString bytes =
        ForwardedCommand.publish(
            N2,
            7,
            List.of(
                new byte[][] {ascii("meta1"), ascii("body1")},
                new byte[][] {ascii(""), ascii("b2")}));
    ForwardedCommand c = ForwardedCommand.decode(bytes);
    assertEquals(Op.PUBLISH, c.op());
    assertEquals(7, c.queueId());
    assertEquals(2, c.messages().size());
    assertEquals("meta1", c.messages().get(0)[0].toStringUtf8());
    assertEquals("body1", c.messages().get(0)[1].toStringUtf8());
    assertEquals("", c.messages().get(1)[0].toStringUtf8());
    assertEquals("b2", c.messages().get(1)[1].toStringUtf8());
  }

  @Test
  void getsAcksAndRejectsReadBack() {
    ForwardedCommand get =
        ForwardedCommand.decode(ForwardedCommand.get(N2, 3, true, 64, 99, 12, 7));
    assertEquals(Op.GET, get.op());
    assertTrue(get.flag());
    assertEquals(64, get.max());
    assertEquals(99, get.token());
    assertEquals(12, get.consumer());
    assertEquals(7, get.priority());
    ForwardedCommand contend = ForwardedCommand.decode(ForwardedCommand.contend(N2, 3, 12, -4));
    assertEquals(Op.CONTEND, contend.op());
    assertEquals(12, contend.consumer());
    assertEquals(-4, contend.priority());
    ForwardedCommand cancel = ForwardedCommand.decode(ForwardedCommand.cancel(N2, 3, 99));
    assertEquals(Op.CANCEL, cancel.op());
    assertEquals(99, cancel.token());
    ForwardedCommand ack =
        ForwardedCommand.decode(ForwardedCommand.settle(N2, 3, Op.ACK, new long[] {5, 9}, true));
    assertEquals(Op.ACK, ack.op());
    assertArrayEquals(new long[] {5, 9}, ack.ids());
    assertTrue(ack.flag(), "an ack a transaction waits for is answered once applied");
    assertFalse(
        ForwardedCommand.decode(ForwardedCommand.settle(N2, 3, Op.ACK, new long[] {5}, false))
            .flag());
    ForwardedCommand reject =
        ForwardedCommand.decode(ForwardedCommand.settle(N2, 3, Op.REJECT, new long[] {4}, true));
    assertTrue(reject.flag());
    assertArrayEquals(new long[] {4}, reject.ids());
    assertEquals(Op.PURGE, ForwardedCommand.decode(ForwardedCommand.of(N2, Op.PURGE, 3)).op());
  }

  @Test
  void aGetsReplyReadsBackWithItsFlagsAndCounts() {
    RemoteQueue.Delivered d =
        new RemoteQueue.Delivered(
            new StoredMessage(
                42, Unpooled.copiedBuffer(ascii("m")), Unpooled.copiedBuffer(ascii("body"))),
            true,
            3,
            1);
    List<RemoteQueue.Delivered> back =
        ForwardedCommand.delivered(ForwardedCommand.delivered(List.of(d)));
    assertEquals(1, back.size());
    RemoteQueue.Delivered b = back.get(0);
    assertEquals(42, b.message().messageId());
    assertTrue(b.redelivered());
    assertEquals(3, b.messageCount());
    assertEquals(1, b.deliveryCount());
    assertEquals("body", b.message().body().toString(StandardCharsets.US_ASCII));
    b.message().release();
  }

  @Test
  void everyCommandNamesItsSenderAndIncarnation() {
    Sender joined = new Sender("n4@host-é", 42);
    ForwardedCommand hello = ForwardedCommand.decode(ForwardedCommand.of(joined, Op.HELLO, 0));
    assertEquals(Op.HELLO, hello.op());
    assertEquals(joined, hello.sender());
    assertEquals(
        N2, ForwardedCommand.decode(ForwardedCommand.get(N2, 3, false, 1, 5, 0, 0)).sender());
    assertThrows(IllegalArgumentException.class, () -> new Sender("n".repeat(256), 1));
  }

  @Test
  void everyTruncationIsRefused() {
    for (ByteString whole :
        List.of(
            ForwardedCommand.publish(
                N2, 1, List.<byte[][]>of(new byte[][] {ascii("mm"), ascii("bb")})),
            ForwardedCommand.get(N2, 1, false, 2, 7, 3, 1),
            ForwardedCommand.contend(N2, 1, 3, 1),
            ForwardedCommand.cancel(N2, 1, 7),
            ForwardedCommand.settle(N2, 1, Op.REJECT, new long[] {1, 2}, false))) {
      for (int n = 0; n < whole.size(); n++) {
        ByteString cut = whole.substring(0, n);
        assertThrows(IllegalArgumentException.class, () -> ForwardedCommand.decode(cut), "" + n);
      }
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
