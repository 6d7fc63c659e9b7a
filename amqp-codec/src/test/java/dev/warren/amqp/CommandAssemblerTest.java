package dev.warren.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.amqp.method.AmqpClass;
import dev.warren.amqp.method.BasicAck;
import dev.warren.amqp.method.BasicPublish;
import dev.warren.amqp.method.ChannelOpen;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-channel command state machine (spec 4.2.6). */
class CommandAssemblerTest {
  private static final BasicPublish PUBLISH = new BasicPublish(0, "", "q", false, false);

  private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
  private final CommandAssembler assembler = new CommandAssembler(alloc);

  @AfterEach
  void noBufferIsLeft() {
    assembler.release();
    Frames.assertNoLeak(alloc);
  }

  private MethodFrame publish() {
    return new MethodFrame(1, PUBLISH);
  }

  private ContentHeaderFrame header(int classId, long bodySize) {
    return new ContentHeaderFrame(
        1, ContentHeader.of(classId, bodySize, BasicProperties.EMPTY, alloc));
  }

  private ContentBodyFrame body(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    return new ContentBodyFrame(1, alloc.heapBuffer(bytes.length).writeBytes(bytes));
  }

  @Test
  void methodWithoutContentIsACommandAtOnce() {
    Command command = assembler.feed(new MethodFrame(3, new ChannelOpen("")));
    assertEquals(3, command.channel());
    assertEquals(new ChannelOpen(""), command.method());
    assertNull(command.header());
    assertNull(command.body());
  }

  @Test
  void singleBodyFrameBecomesTheBodyItself() {
    assertNull(assembler.feed(publish()));
    assertNull(assembler.feed(header(AmqpClass.BASIC, 5)));
    ContentBodyFrame frame = body("hello");
    Command command = assembler.feed(frame);
    assertSame(frame.payload(), command.body());
    assertEquals(PUBLISH, command.method());
    assertEquals(5, command.header().bodySize());
    command.release();
  }

  @Test
  void bodyOverSeveralFramesBecomesACompositeOfTheFrames() {
    assembler.feed(publish());
    assembler.feed(header(AmqpClass.BASIC, 11));
    assertNull(assembler.feed(body("hello")));
    assertNull(assembler.feed(body("")));
    assertNull(assembler.feed(body(" ")));
    Command command = assembler.feed(body("world"));
    CompositeByteBuf composite = assertInstanceOf(CompositeByteBuf.class, command.body());
    assertEquals(3, composite.numComponents());
    assertEquals("hello world", command.body().toString(StandardCharsets.US_ASCII));
    assertFalse(assembler.isAssembling());
    command.release();
  }

  @Test
  void zeroSizeBodyCompletesAtTheHeader() {
    assembler.feed(publish());
    Command command = assembler.feed(header(AmqpClass.BASIC, 0));
    assertEquals(0, command.body().readableBytes());
    command.release();
  }

  @Test
  void heartbeatsBetweenContentFramesAreIgnored() {
    assembler.feed(publish());
    assertNull(assembler.feed(HeartbeatFrame.INSTANCE));
    assembler.feed(header(AmqpClass.BASIC, 1));
    assertNull(assembler.feed(HeartbeatFrame.INSTANCE));
    assembler.feed(body("x")).release();
  }

  @Test
  void assemblerIsReusableAfterACommand() {
    assembler.feed(publish());
    assembler.feed(header(AmqpClass.BASIC, 1));
    assembler.feed(body("a")).release();
    assembler.feed(publish());
    assembler.feed(header(AmqpClass.BASIC, 1));
    Command second = assembler.feed(body("b"));
    assertEquals("b", second.body().toString(StandardCharsets.US_ASCII));
    second.release();
  }

  @Test
  void headerWithoutAContentMethodIsAnUnexpectedFrame() {
    ContentHeaderFrame frame = header(AmqpClass.BASIC, 1);
    assertUnexpected(frame);
    assertEquals(0, frame.refCnt());
  }

  @Test
  void bodyWithoutAContentMethodIsAnUnexpectedFrame() {
    ContentBodyFrame frame = body("x");
    assertUnexpected(frame);
    assertEquals(0, frame.refCnt());
  }

  @Test
  void bodyBeforeTheHeaderIsAnUnexpectedFrame() {
    assembler.feed(publish());
    ConnectionException e = assertUnexpected(body("x"));
    assertEquals(BasicPublish.CLASS_ID, e.classId());
    assertEquals(BasicPublish.METHOD_ID, e.methodId());
  }

  @Test
  void methodBeforeTheBodyIsWholeIsAnUnexpectedFrameAndFreesThePartialCommand() {
    assembler.feed(publish());
    ContentHeaderFrame header = header(AmqpClass.BASIC, 10);
    assembler.feed(header);
    ContentBodyFrame part = body("hello");
    assembler.feed(part);
    assertTrue(assembler.isAssembling());
    assertUnexpected(new MethodFrame(1, new BasicAck(1, false)));
    assertEquals(0, header.refCnt());
    assertEquals(0, part.refCnt());
    assertFalse(assembler.isAssembling());
  }

  @Test
  void secondHeaderIsAnUnexpectedFrame() {
    assembler.feed(publish());
    assembler.feed(header(AmqpClass.BASIC, 10));
    ConnectionException e = assertUnexpected(header(AmqpClass.BASIC, 10));
    assertEquals("expected content body, got non content body frame instead", e.text());
    assertEquals(60, e.classId());
    assertEquals(40, e.methodId());
  }

  @Test
  void headerOfAnotherClassIsAnUnexpectedFrame() {
    assembler.feed(publish());
    ConnectionException e = assertUnexpected(header(AmqpClass.QUEUE, 1));
    assertEquals("expected content header for class 60, got one for class 50 instead", e.text());
  }

  @Test
  void methodWhereAHeaderIsExpectedIsAnUnexpectedFrameNamingThePendingMethod() {
    assembler.feed(publish());
    ConnectionException e = assertUnexpected(new MethodFrame(1, new BasicAck(1, false)));
    assertEquals(
        "expected content header for class 60, got non content header frame instead", e.text());
    assertEquals(60, e.classId());
    assertEquals(40, e.methodId());
  }

  @Test
  void contentWithoutAMethodIsAnUnexpectedFrameInRabbitMqsWords() {
    ConnectionException e = assertUnexpected(body("abc"));
    assertEquals(CommandAssembler.METHOD_EXPECTED, e.text());
    assertEquals(0, e.classId());
    e = assertUnexpected(header(AmqpClass.BASIC, 3));
    assertEquals(CommandAssembler.METHOD_EXPECTED, e.text());
  }

  @Test
  void bodyLargerThanTheDeclaredSizeIsAnUnexpectedFrame() {
    assembler.feed(publish());
    assembler.feed(header(AmqpClass.BASIC, 4));
    assembler.feed(body("abc"));
    ConnectionException e = assertUnexpected(body("de"));
    assertTrue(e.text().contains("declared body size 4"), e.text());
    assertEquals(60, e.classId());
    assertEquals(40, e.methodId());
  }

  @Test
  void releaseFreesAPartialCommand() {
    assembler.feed(publish());
    ContentHeaderFrame header = header(AmqpClass.BASIC, 10);
    assembler.feed(header);
    ContentBodyFrame part = body("hello");
    assembler.feed(part);
    assembler.release();
    assertEquals(0, header.refCnt());
    assertEquals(0, part.refCnt());
  }

  private ConnectionException assertUnexpected(Frame frame) {
    ConnectionException e = assertThrows(ConnectionException.class, () -> assembler.feed(frame));
    assertEquals(ReplyCode.UNEXPECTED_FRAME, e.replyCode());
    assertFalse(assembler.isAssembling());
    return e;
  }

  @Test
  void commandRefusesABodyOfTheWrongSize() {
    ContentHeader header = ContentHeader.of(AmqpClass.BASIC, 3, BasicProperties.EMPTY, alloc);
    ByteBuf body = alloc.heapBuffer().writeByte(1);
    try {
      assertThrows(IllegalArgumentException.class, () -> new Command(1, PUBLISH, header, body));
      assertThrows(IllegalArgumentException.class, () -> new Command(1, PUBLISH));
    } finally {
      header.release();
      body.release();
    }
  }
}
