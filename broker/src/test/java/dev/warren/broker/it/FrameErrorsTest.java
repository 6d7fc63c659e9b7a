package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warren.broker.it.RawAmqpClient.Args;
import dev.warren.broker.it.RawAmqpClient.Close;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Frames in the wrong place on an open connection, answered with RabbitMQ's reply codes, texts and
 * class and method ids (spec 4.2.3, 4.2.6, 4.2.7), and frame-max as RabbitMQ enforces it.
 */
class FrameErrorsTest {
  private static final String METHOD_EXPECTED =
      "UNEXPECTED_FRAME - expected method frame, got non method frame instead";

  @Test
  void heartbeatOnAChannelOtherThanZeroIsUnexpectedFrame() throws Exception {
    for (boolean open : new boolean[] {false, true}) {
      try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
        if (open) {
          raw.openChannel(1);
        }
        raw.sendFrame(RawAmqpClient.FRAME_HEARTBEAT, 1, new byte[0]);
        assertEquals(
            new Close(505, "UNEXPECTED_FRAME - type 8, all octets = <<>>", 0, 0),
            raw.expectConnectionClose(),
            open ? "open channel" : "channel not open");
      }
    }
  }

  /** A content header or body with no method before it, on a channel open or not. */
  private enum ContentWithoutMethod {
    HEADER_ON_AN_OPEN_CHANNEL,
    BODY_ON_AN_OPEN_CHANNEL,
    HEADER_ON_A_CHANNEL_NOT_OPEN,
    BODY_ON_A_CHANNEL_NOT_OPEN,
    BODY_AFTER_A_MESSAGE_OF_SIZE_ZERO
  }

  @ParameterizedTest
  @EnumSource(ContentWithoutMethod.class)
  void contentFrameWithoutAMethodIsUnexpectedFrame(ContentWithoutMethod c) throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      switch (c) {
        case HEADER_ON_AN_OPEN_CHANNEL -> {
          raw.openChannel(1);
          raw.sendContentHeader(1, 3);
        }
        case BODY_ON_AN_OPEN_CHANNEL -> {
          raw.openChannel(1);
          raw.sendFrame(RawAmqpClient.FRAME_BODY, 1, new byte[] {1, 2, 3});
        }
        case HEADER_ON_A_CHANNEL_NOT_OPEN -> raw.sendContentHeader(1, 3);
        case BODY_ON_A_CHANNEL_NOT_OPEN ->
            raw.sendFrame(RawAmqpClient.FRAME_BODY, 1, new byte[] {1, 2, 3});
        case BODY_AFTER_A_MESSAGE_OF_SIZE_ZERO -> {
          raw.openChannel(1);
          raw.sendMethod(1, publish("", AmqpSession.uniqueName("nowhere")));
          raw.sendContentHeader(1, 0);
          raw.sendFrame(RawAmqpClient.FRAME_BODY, 1, new byte[] {1});
        }
      }
      assertEquals(new Close(505, METHOD_EXPECTED, 0, 0), raw.expectConnectionClose());
    }
  }

  /** An oversized message announced by a header with no publish before it is still 505. */
  @Test
  void hugeContentHeaderWithoutAMethodIsUnexpectedFrame() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendContentHeader(1, 1L << 40);
      assertEquals(new Close(505, METHOD_EXPECTED, 0, 0), raw.expectConnectionClose());
    }
  }

  @Test
  void methodWhereAContentHeaderIsExpectedNamesThePendingMethod() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, publish("", AmqpSession.uniqueName("nowhere")));
      raw.sendMethod(1, new Args().method(90, 10));
      assertEquals(
          new Close(
              505,
              "UNEXPECTED_FRAME - expected content header for class 60, got non content header"
                  + " frame instead",
              60,
              40),
          raw.expectConnectionClose());
    }
  }

  @Test
  void headerOfAnotherClassIsUnexpectedFrame() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, publish("", AmqpSession.uniqueName("nowhere")));
      raw.sendFrame(
          RawAmqpClient.FRAME_HEADER,
          1,
          new Args().shortInt(50).shortInt(0).longLong(3).shortInt(0).bytes());
      assertEquals(
          new Close(
              505,
              "UNEXPECTED_FRAME - expected content header for class 60, got one for class 50"
                  + " instead",
              60,
              40),
          raw.expectConnectionClose());
    }
  }

  @Test
  void methodBeforeTheBodyIsWholeIsUnexpectedFrame() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, publish("", AmqpSession.uniqueName("nowhere")));
      raw.sendContentHeader(1, 3);
      raw.sendFrame(RawAmqpClient.FRAME_BODY, 1, new byte[] {1});
      raw.sendMethod(1, new Args().method(90, 10));
      assertEquals(
          new Close(
              505,
              "UNEXPECTED_FRAME - expected content body, got non content body frame instead",
              60,
              40),
          raw.expectConnectionClose());
    }
  }

  @Test
  void methodOnAChannelThatIsNotOpenIsChannelErrorNamingTheMethod() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.sendMethod(3, new Args().method(60, 70).shortInt(0).shortStr("q").bits(true));
      assertEquals(
          new Close(504, "CHANNEL_ERROR - expected 'channel.open'", 60, 70),
          raw.expectConnectionClose());
    }
  }

  @Test
  void secondChannelOpenIsChannelError() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, new Args().method(20, 10).shortStr(""));
      assertEquals(
          new Close(504, "CHANNEL_ERROR - second 'channel.open' seen", 20, 10),
          raw.expectConnectionClose());
    }
  }

  /** The channel the broker closed is there until the client's close-ok. */
  @Test
  void channelOpenBeforeTheCloseOkOfTheBrokersCloseIsChannelError() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, passiveDeclare(AmqpSession.uniqueName("missing")));
      raw.expectMethod(20, 40);
      raw.sendMethod(1, new Args().method(20, 10).shortStr(""));
      assertEquals(
          new Close(504, "CHANNEL_ERROR - second 'channel.open' seen", 20, 10),
          raw.expectConnectionClose());
    }
  }

  /** Methods only a server sends, or a class that has no business on a channel. */
  private enum NotForTheServer {
    CHANNEL_CLOSE_OK_UNASKED(new Args().method(20, 41), 20, 41),
    CHANNEL_FLOW_OK(new Args().method(20, 21).bits(true), 20, 21),
    CONNECTION_OPEN_ON_CHANNEL_1(
        new Args().method(10, 40).shortStr("/").shortStr("").bits(false), 10, 40),
    BASIC_GET_EMPTY(new Args().method(60, 72).shortStr(""), 60, 72);

    final Args method;
    final int classId;
    final int methodId;

    NotForTheServer(Args method, int classId, int methodId) {
      this.method = method;
      this.classId = classId;
      this.methodId = methodId;
    }
  }

  @ParameterizedTest
  @EnumSource(NotForTheServer.class)
  void methodTheServerDoesNotTakeIsCommandInvalid(NotForTheServer m) throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, m.method);
      assertEquals(
          new Close(503, "COMMAND_INVALID - unimplemented method", m.classId, m.methodId),
          raw.expectConnectionClose());
    }
  }

  /** RabbitMQ tolerates a frame 8 octets over frame-max: its payload may be frame-max octets. */
  @Test
  void bodyFrameWithAPayloadOfFrameMaxIsAcceptedAndOneOctetMoreIsFrameError() throws Exception {
    String q = AmqpSession.uniqueName("queue");
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 4096, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, queueDeclare(q, false));
      raw.expectMethod(50, 11);
      raw.sendMethod(1, publish("", q));
      raw.sendContentHeader(1, 4096);
      raw.sendFrame(RawAmqpClient.FRAME_BODY, 1, new byte[4096]);
      raw.sendMethod(1, new Args().method(60, 70).shortInt(0).shortStr(q).bits(true));
      raw.expectMethod(60, 71);
      assertEquals(RawAmqpClient.FRAME_HEADER, raw.readFrame().type());
      int body = 0;
      while (body < 4096) {
        body += raw.readFrame().payload().length; // in frames of the broker's choosing
      }
      assertEquals(4096, body, "the body, whole");
      raw.sendMethod(1, publish("", q));
      raw.sendContentHeader(1, 4097);
      raw.sendFrame(RawAmqpClient.FRAME_BODY, 1, new byte[4097]);
      assertEquals(
          new Close(
              501, "FRAME_ERROR - type 3, all octets = <<>>: {frame_too_large,4097,4088}", 0, 0),
          raw.expectConnectionClose());
    }
  }

  /**
   * RabbitMQ's max_message_size (128 MiB): a bigger body closes the channel with 406. RabbitMQ says
   * so once the body is in; Warren as soon as the content header announces it, and discards the
   * body frames that follow.
   */
  @Test
  void bodyOverTheMaxMessageSizeIsPreconditionFailed() throws Exception {
    long size = 128L * 1024 * 1024 + 1;
    byte[] chunk = new byte[131072 - 8];
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, publish("", AmqpSession.uniqueName("nowhere")));
      raw.sendContentHeader(1, size);
      for (long sent = 0; sent < size; sent += chunk.length) {
        int n = (int) Math.min(chunk.length, size - sent);
        raw.sendFrame(
            RawAmqpClient.FRAME_BODY, 1, n == chunk.length ? chunk : Arrays.copyOf(chunk, n));
      }
      assertEquals(
          new Close(
              406,
              "PRECONDITION_FAILED - message size 134217729 is larger than configured max size"
                  + " 134217728",
              60,
              40),
          raw.expectChannelClose(1));
      raw.openChannel(2);
    }
  }

  @Test
  void truncatedArgumentsAreFrameErrorNamingTheMethod() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, new Args().method(50, 10).shortInt(0).shortStr("q"));
      assertEquals(
          new Close(501, "FRAME_ERROR - cannot decode <<0,0,1,113>>", 50, 10),
          raw.expectConnectionClose());
    }
  }

  @Test
  void octetsAfterTheArgumentsAreFrameError() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, new Args().method(90, 10).octet(7));
      assertEquals(
          new Close(501, "FRAME_ERROR - cannot decode <<7>>", 90, 10), raw.expectConnectionClose());
    }
  }

  @Test
  void methodFrameWithoutAMethodIdIsFrameError() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendFrame(RawAmqpClient.FRAME_METHOD, 1, new byte[] {'A', 'B'});
      assertEquals(
          new Close(501, "FRAME_ERROR - type 1, all octets = <<\"AB\">>: unknown_frame", 0, 0),
          raw.expectConnectionClose());
    }
  }

  /** A reply text is a shortstr: RabbitMQ cuts a longer one to 252 octets and "...". */
  @Test
  void replyTextLongerThanAShortstrIsCut() throws Exception {
    String name = "it." + "n".repeat(252);
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, passiveDeclare(name));
      Close close = raw.expectChannelClose(1);
      assertEquals(404, close.replyCode());
      String expected = ("NOT_FOUND - no queue '" + name).substring(0, 252) + "...";
      assertEquals(expected, close.replyText());
      assertEquals(255, close.replyText().getBytes(StandardCharsets.UTF_8).length);
      raw.openChannel(1);
    }
  }

  private static Args publish(String exchange, String routingKey) {
    return new Args()
        .method(60, 40)
        .shortInt(0)
        .shortStr(exchange)
        .shortStr(routingKey)
        .bits(false, false);
  }

  private static Args passiveDeclare(String queue) {
    return queueDeclare(queue, true);
  }

  /** queue.declare, exclusive unless passive. */
  private static Args queueDeclare(String queue, boolean passive) {
    return new Args()
        .method(50, 10)
        .shortInt(0)
        .shortStr(queue)
        .bits(passive, false, !passive, false, false)
        .table(Map.of());
  }
}
