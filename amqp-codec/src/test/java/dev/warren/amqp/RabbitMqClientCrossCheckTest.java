package dev.warren.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.LongStringHelper;
import com.rabbitmq.client.impl.ValueReader;
import com.rabbitmq.client.impl.ValueWriter;
import dev.warren.amqp.method.AmqpClass;
import dev.warren.amqp.method.BasicAck;
import dev.warren.amqp.method.BasicCancel;
import dev.warren.amqp.method.BasicConsume;
import dev.warren.amqp.method.BasicDeliver;
import dev.warren.amqp.method.BasicGetOk;
import dev.warren.amqp.method.BasicNack;
import dev.warren.amqp.method.BasicPublish;
import dev.warren.amqp.method.BasicQos;
import dev.warren.amqp.method.BasicRecoverAsync;
import dev.warren.amqp.method.BasicReject;
import dev.warren.amqp.method.BasicReturn;
import dev.warren.amqp.method.ChannelClose;
import dev.warren.amqp.method.ChannelOpenOk;
import dev.warren.amqp.method.ConfirmSelect;
import dev.warren.amqp.method.ConnectionOpen;
import dev.warren.amqp.method.ConnectionStart;
import dev.warren.amqp.method.ConnectionStartOk;
import dev.warren.amqp.method.ConnectionTune;
import dev.warren.amqp.method.ExchangeBind;
import dev.warren.amqp.method.ExchangeDeclare;
import dev.warren.amqp.method.ExchangeUnbind;
import dev.warren.amqp.method.Method;
import dev.warren.amqp.method.QueueBind;
import dev.warren.amqp.method.QueueDeclareOk;
import dev.warren.amqp.method.QueueDelete;
import dev.warren.amqp.method.QueueUnbind;
import dev.warren.amqp.method.TxSelect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Our codec against the real RabbitMQ Java client's serialization: bytes the client writes decode
 * to the values it was given, and bytes we write read back correctly with the client's reader.
 */
class RabbitMqClientCrossCheckTest {
  private static final int FRAME_MAX = 131072;

  private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);

  @AfterEach
  void noBufferIsLeft() {
    Frames.assertNoLeak(alloc);
  }

  /** Every type the Java client's ValueWriter writes, as the client holds it. */
  private static Map<String, Object> clientTable() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("inner", "v");
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("string", "caf\u00e9");
    table.put("longstr", LongStringHelper.asLongString("ls"));
    table.put("int", -42);
    table.put("decimal", new BigDecimal("-12.345"));
    table.put("date", new Date(1_700_000_000_000L));
    table.put("table", nested);
    table.put("byte", (byte) -1);
    table.put("double", 2.5d);
    table.put("float", -0.5f);
    table.put("long", Long.MIN_VALUE);
    table.put("short", (short) -7);
    table.put("bool", true);
    table.put("bytes", new byte[] {0, 1, (byte) 0xff});
    table.put("void", null);
    table.put("list", Arrays.asList(1, "a", null));
    table.put("array", new Object[] {2L, false});
    return table;
  }

  /** What our decoder must read from {@link #clientTable()}. */
  private static Map<String, Object> ourTable() {
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("string", LongString.of("caf\u00e9"));
    table.put("longstr", LongString.of("ls"));
    table.put("int", -42);
    table.put("decimal", new BigDecimal("-12.345"));
    table.put("date", new Date(1_700_000_000_000L));
    table.put("table", Map.of("inner", LongString.of("v")));
    table.put("byte", (byte) -1);
    table.put("double", 2.5d);
    table.put("float", -0.5f);
    table.put("long", Long.MIN_VALUE);
    table.put("short", (short) -7);
    table.put("bool", true);
    table.put("bytes", new byte[] {0, 1, (byte) 0xff});
    table.put("void", null);
    table.put("list", Arrays.asList(1, LongString.of("a"), null));
    table.put("array", List.of(2L, false));
    return table;
  }

  /** A form of a table that compares by content across both libraries' types. */
  private static Object normalize(Object value) {
    if (value instanceof byte[] bytes) {
      return "bytes " + ByteBufUtil.hexDump(bytes);
    } else if (value instanceof Object[] array) {
      return normalize(Arrays.asList(array));
    } else if (value instanceof LongString s) {
      return "longstr " + ByteBufUtil.hexDump(s.bytes());
    } else if (value instanceof com.rabbitmq.client.LongString s) {
      return "longstr " + ByteBufUtil.hexDump(s.getBytes());
    } else if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, normalize(v)));
      return out;
    } else if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(normalize(v)));
      return out;
    }
    return value;
  }

  @Test
  void tableWrittenByTheClientDecodesToEveryType() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ValueWriter writer = new ValueWriter(new DataOutputStream(bytes));
    writer.writeTable(clientTable());
    writer.flush();
    ByteBuf in = Unpooled.wrappedBuffer(bytes.toByteArray());
    try {
      assertEquals(normalize(ourTable()), normalize(FieldTable.decode(in)));
    } finally {
      in.release();
    }
  }

  @Test
  void tableWeWriteIsReadByTheClient() throws IOException {
    ByteBuf out = Unpooled.buffer();
    try {
      FieldTable.encode(ourTable(), out);
      ValueReader reader =
          new ValueReader(new DataInputStream(new ByteArrayInputStream(ByteBufUtil.getBytes(out))));
      Map<String, Object> expected = clientTable();
      expected.put("string", LongStringHelper.asLongString("caf\u00e9"));
      expected.put("table", Map.of("inner", LongStringHelper.asLongString("v")));
      expected.put("list", Arrays.asList(1, LongStringHelper.asLongString("a"), null));
      assertEquals(normalize(expected), normalize(reader.readTable()));
    } finally {
      out.release();
    }
  }

  /** Pairs of a client method and the record our decoder must produce from its bytes. */
  private static List<Object[]> methodPairs() {
    LongString response = LongString.of("\0guest\0guest");
    return List.of(
        new Object[] {
          new AMQImpl.Connection.Start(
              0,
              9,
              clientTableWithoutArrays(),
              LongStringHelper.asLongString("PLAIN AMQPLAIN"),
              LongStringHelper.asLongString("en_US")),
          new ConnectionStart(
              0,
              9,
              ourTableWithoutArrays(),
              LongString.of("PLAIN AMQPLAIN"),
              LongString.of("en_US"))
        },
        new Object[] {
          new AMQImpl.Connection.StartOk(
              Map.of("product", "x"),
              "PLAIN",
              LongStringHelper.asLongString(response.bytes()),
              "en_US"),
          new ConnectionStartOk(Map.of("product", LongString.of("x")), "PLAIN", response, "en_US")
        },
        new Object[] {
          new AMQImpl.Connection.Tune(2047, 131072, 60), new ConnectionTune(2047, 131072, 60)
        },
        new Object[] {
          new AMQImpl.Connection.Open("/", "", true), new ConnectionOpen("/", "", true)
        },
        new Object[] {
          new AMQImpl.Channel.OpenOk(LongStringHelper.asLongString("")),
          new ChannelOpenOk(LongString.EMPTY)
        },
        new Object[] {
          new AMQImpl.Channel.Close(404, "NOT_FOUND - no queue 'q'", 50, 10),
          new ChannelClose(404, "NOT_FOUND - no queue 'q'", 50, 10)
        },
        new Object[] {
          new AMQImpl.Exchange.Declare(
              0, "ex", "headers", false, true, true, false, false, Map.of("a", 1)),
          new ExchangeDeclare(0, "ex", "headers", false, true, true, false, false, Map.of("a", 1))
        },
        new Object[] {
          new AMQImpl.Exchange.Bind(0, "d", "s", "rk", true, Map.of()),
          new ExchangeBind(0, "d", "s", "rk", true, Map.of())
        },
        new Object[] {
          new AMQImpl.Exchange.Unbind(0, "d", "s", "rk", false, Map.of()),
          new ExchangeUnbind(0, "d", "s", "rk", false, Map.of())
        },
        new Object[] {
          new AMQImpl.Queue.DeclareOk("amq.gen-1", 1_000_000, 3),
          new QueueDeclareOk("amq.gen-1", 1_000_000, 3)
        },
        new Object[] {
          new AMQImpl.Queue.Bind(0, "q", "x", "a.b", false, Map.of("x-match", "all")),
          new QueueBind(0, "q", "x", "a.b", false, Map.of("x-match", LongString.of("all")))
        },
        new Object[] {
          new AMQImpl.Queue.Unbind(0, "q", "x", "a.b", Map.of()),
          new QueueUnbind(0, "q", "x", "a.b", Map.of())
        },
        new Object[] {
          new AMQImpl.Queue.Delete(0, "q", true, false, true),
          new QueueDelete(0, "q", true, false, true)
        },
        new Object[] {new AMQImpl.Basic.Qos(0, 250, true), new BasicQos(0, 250, true)},
        new Object[] {
          new AMQImpl.Basic.Consume(0, "q", "ctag", false, true, true, false, Map.of()),
          new BasicConsume(0, "q", "ctag", false, true, true, false, Map.of())
        },
        new Object[] {new AMQImpl.Basic.Cancel("ctag", true), new BasicCancel("ctag", true)},
        new Object[] {
          new AMQImpl.Basic.Publish(0, "amq.topic", "a.b.c", true, false),
          new BasicPublish(0, "amq.topic", "a.b.c", true, false)
        },
        new Object[] {
          new AMQImpl.Basic.Return(312, "NO_ROUTE", "x", "rk"),
          new BasicReturn(312, "NO_ROUTE", "x", "rk")
        },
        new Object[] {
          new AMQImpl.Basic.Deliver("ctag", Long.MAX_VALUE, true, "x", "rk"),
          new BasicDeliver("ctag", Long.MAX_VALUE, true, "x", "rk")
        },
        new Object[] {
          new AMQImpl.Basic.GetOk(9, false, "", "q", 12), new BasicGetOk(9, false, "", "q", 12)
        },
        new Object[] {new AMQImpl.Basic.Ack(77, true), new BasicAck(77, true)},
        new Object[] {new AMQImpl.Basic.Nack(78, true, false), new BasicNack(78, true, false)},
        new Object[] {new AMQImpl.Basic.Reject(79, true), new BasicReject(79, true)},
        new Object[] {new AMQImpl.Basic.RecoverAsync(true), new BasicRecoverAsync(true)},
        new Object[] {new AMQImpl.Confirm.Select(true), new ConfirmSelect(true)},
        new Object[] {new AMQImpl.Tx.Select(), new TxSelect()});
  }

  /** The client reads arrays back as lists, so its own equals needs list-only tables. */
  private static Map<String, Object> clientTableWithoutArrays() {
    Map<String, Object> table = clientTable();
    table.remove("array");
    table.remove("bytes");
    return table;
  }

  private static Map<String, Object> ourTableWithoutArrays() {
    Map<String, Object> table = ourTable();
    table.remove("array");
    table.remove("bytes");
    return table;
  }

  @Test
  void methodFramesWrittenByTheClientDecodeToTheSameValues() throws IOException {
    for (Object[] pair : methodPairs()) {
      com.rabbitmq.client.impl.Method clientMethod = (com.rabbitmq.client.impl.Method) pair[0];
      byte[] bytes = clientBytes(clientMethod.toFrame(3));
      List<Object> frames = decode(bytes);
      assertEquals(1, frames.size());
      MethodFrame frame = (MethodFrame) frames.get(0);
      assertEquals(3, frame.channel());
      assertEquals(
          normalize(components((Method) pair[1])),
          normalize(components(frame.method())),
          clientMethod.protocolMethodName());
    }
  }

  @Test
  void methodFramesWeWriteAreByteForByteTheClientsAndReadByIt() throws IOException {
    for (Object[] pair : methodPairs()) {
      Method ours = (Method) pair[1];
      com.rabbitmq.client.impl.Method theirs = (com.rabbitmq.client.impl.Method) pair[0];
      byte[] ourBytes = firstFrame(encode(commandOf(ours)));
      byte[] clientBytes = clientBytes(theirs.toFrame(4));
      if (!(ours instanceof ConnectionStart)) {
        // The client keeps server-properties in a hash map: same entries, another order.
        assertEquals(ByteBufUtil.hexDump(clientBytes), ByteBufUtil.hexDump(ourBytes), ours.name());
      }
      List<com.rabbitmq.client.impl.Frame> frames = clientFrames(ourBytes);
      assertEquals(4, frames.get(0).channel);
      // Methods without arguments have no equals of their own in the client: compare the text.
      assertEquals(
          AMQImpl.readMethodFrom(clientFrames(clientBytes).get(0).getInputStream()).toString(),
          AMQImpl.readMethodFrom(frames.get(0).getInputStream()).toString(),
          ours.name());
    }
  }

  @Test
  void contentWrittenByTheClientAssemblesIntoTheSameProperties() throws IOException {
    AMQP.BasicProperties clientProps =
        new AMQP.BasicProperties(
            "application/json",
            "gzip",
            Map.of("x-retries", 3, "who", "me"),
            2,
            5,
            "corr",
            "amq.rabbitmq.reply-to",
            "60000",
            "m-1",
            new Date(1_700_000_001_000L),
            "order.created",
            "guest",
            "app",
            "cluster");
    byte[] body = new byte[300_000];
    Arrays.fill(body, (byte) 'z');
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    new AMQImpl.Basic.Publish(0, "x", "rk", false, false).toFrame(1).writeTo(out);
    clientProps.toFrame(1, body.length).writeTo(out);
    for (int offset = 0; offset < body.length; offset += FRAME_MAX - 8) {
      int length = Math.min(FRAME_MAX - 8, body.length - offset);
      com.rabbitmq.client.impl.Frame.fromBodyFragment(1, body, offset, length).writeTo(out);
    }
    CommandAssembler assembler = new CommandAssembler(alloc);
    Command command = null;
    for (Object frame : decode(bytes.toByteArray())) {
      Command done = assembler.feed((Frame) frame);
      command = done != null ? done : command;
    }
    try {
      assertEquals(new BasicPublish(0, "x", "rk", false, false), command.method());
      assertEquals(
          new BasicProperties(
              "application/json",
              "gzip",
              Map.of("x-retries", 3, "who", LongString.of("me")),
              2,
              5,
              "corr",
              "amq.rabbitmq.reply-to",
              "60000",
              "m-1",
              new Date(1_700_000_001_000L),
              "order.created",
              "guest",
              "app",
              "cluster"),
          command.header().properties());
      assertEquals(ByteBufUtil.hexDump(body), ByteBufUtil.hexDump(command.body()));
    } finally {
      command.release();
    }
  }

  @Test
  void contentWeWriteIsReadByTheClient() throws IOException {
    BasicProperties props =
        new BasicProperties(
            "text/plain",
            null,
            Map.of("h", LongString.of("v")),
            1,
            null,
            null,
            "reply",
            null,
            "id",
            new Date(5_000L),
            null,
            null,
            "app",
            null);
    byte[] body = new byte[FRAME_MAX];
    Arrays.fill(body, (byte) 3);
    ContentHeader header = ContentHeader.of(AmqpClass.BASIC, body.length, props, alloc);
    Command command =
        new Command(
            2,
            new BasicDeliver("c", 1, false, "", "q"),
            header,
            alloc.heapBuffer().writeBytes(body));
    List<com.rabbitmq.client.impl.Frame> frames = clientFrames(encode(command));
    assertEquals(4, frames.size());
    assertEquals(
        new AMQImpl.Basic.Deliver("c", 1, false, "", "q"),
        AMQImpl.readMethodFrom(frames.get(0).getInputStream()));
    AMQP.BasicProperties read =
        (AMQP.BasicProperties) AMQImpl.readContentHeaderFrom(frames.get(1).getInputStream());
    assertEquals(body.length, read.getBodySize());
    assertEquals("text/plain", read.getContentType());
    assertEquals(null, read.getContentEncoding());
    assertEquals(
        Map.of("h", LongStringHelper.asLongString("v")).toString(), read.getHeaders().toString());
    assertEquals(1, read.getDeliveryMode());
    assertEquals("reply", read.getReplyTo());
    assertEquals("id", read.getMessageId());
    assertEquals(new Date(5_000L), read.getTimestamp());
    assertEquals("app", read.getAppId());
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    received.write(frames.get(2).getPayload());
    received.write(frames.get(3).getPayload());
    assertEquals(FRAME_MAX - 8, frames.get(2).getPayload().length);
    assertEquals(ByteBufUtil.hexDump(body), ByteBufUtil.hexDump(received.toByteArray()));
  }

  /** A command of {@code method}, with an empty body if it carries content. */
  private Command commandOf(Method method) {
    if (!method.hasContent()) {
      return new Command(4, method);
    }
    ContentHeader header = ContentHeader.of(AmqpClass.BASIC, 0, BasicProperties.EMPTY, alloc);
    return new Command(4, method, header, Unpooled.EMPTY_BUFFER);
  }

  /** The first frame of an encoded stream. */
  private static byte[] firstFrame(byte[] bytes) {
    int size = Unpooled.wrappedBuffer(bytes).getInt(3);
    return Arrays.copyOf(bytes, size + Frame.FRAME_OVERHEAD);
  }

  private static Object components(Method method) {
    List<Object> values = new ArrayList<>();
    for (var component : method.getClass().getRecordComponents()) {
      try {
        values.add(component.getAccessor().invoke(method));
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    return values;
  }

  private static byte[] clientBytes(com.rabbitmq.client.impl.Frame frame) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    frame.writeTo(new DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  /** Our decoder's frames from {@code bytes} (after a protocol header). */
  private List<Object> decode(byte[] bytes) {
    EmbeddedChannel channel = new EmbeddedChannel(new AmqpFrameDecoder(FRAME_MAX));
    channel.config().setAllocator(alloc);
    channel.writeInbound(alloc.heapBuffer().writeBytes(ProtocolHeader.AMQP_0_9_1.bytes()));
    channel.writeInbound(alloc.heapBuffer().writeBytes(bytes));
    assertEquals(ProtocolHeader.AMQP_0_9_1, channel.readInbound());
    List<Object> frames = new ArrayList<>();
    for (Object frame; (frame = channel.readInbound()) != null; ) {
      frames.add(frame);
    }
    channel.finishAndReleaseAll();
    return frames;
  }

  /** The bytes our encoder writes for {@code command}. */
  private byte[] encode(Command command) {
    EmbeddedChannel channel = new EmbeddedChannel(new AmqpEncoder(FRAME_MAX));
    channel.config().setAllocator(alloc);
    channel.writeOutbound(command);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
      bytes.writeBytes(ByteBufUtil.getBytes(out));
      out.release();
    }
    channel.finishAndReleaseAll();
    return bytes.toByteArray();
  }

  private static List<com.rabbitmq.client.impl.Frame> clientFrames(byte[] bytes)
      throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    List<com.rabbitmq.client.impl.Frame> frames = new ArrayList<>();
    while (in.available() > 0) {
      frames.add(com.rabbitmq.client.impl.Frame.readFrom(in, FRAME_MAX));
    }
    return frames;
  }
}
