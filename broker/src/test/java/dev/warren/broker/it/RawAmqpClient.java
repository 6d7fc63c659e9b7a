package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A deliberately tiny AMQP 0-9-1 client over a plain {@link Socket}, for tests that must send what
 * a well-behaved client library never would. It shares no code with the broker's codec.
 *
 * <pre>
 * frame:   type:u8 | channel:u16 | size:u32 | payload[size] | frame-end:u8 (0xCE)
 * method:  class-id:u16 | method-id:u16 | arguments
 * header:  class-id:u16 | weight:u16 (0) | body-size:u64 | property-flags:u16 | properties
 * </pre>
 *
 * <p>Owned by the test thread; blocking I/O with a read timeout so nothing hangs.
 */
public final class RawAmqpClient implements AutoCloseable {
  public static final byte[] AMQP_0_9_1_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};
  public static final int FRAME_METHOD = 1;
  public static final int FRAME_HEADER = 2;
  public static final int FRAME_BODY = 3;
  public static final int FRAME_HEARTBEAT = 8;
  public static final int FRAME_END = 0xCE;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawAmqpClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Opens a TCP connection to the broker under test; nothing is sent yet. */
  public static RawAmqpClient connect() throws IOException {
    return connect(TestBroker.address());
  }

  /** Opens a TCP connection to the broker at {@code a}; nothing is sent yet. */
  public static RawAmqpClient connect(InetSocketAddress a) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(a.getHostString(), a.getPort()), 5_000);
    s.setSoTimeout(5_000);
    s.setTcpNoDelay(true);
    return new RawAmqpClient(s);
  }

  /** Connects and completes the handshake as guest on "/" with the given tune-ok values. */
  public static RawAmqpClient open(int channelMax, int frameMax, int heartbeat) throws IOException {
    return open(TestBroker.address(), channelMax, frameMax, heartbeat);
  }

  /** As {@link #open(int, int, int)}, against the broker at {@code a}. */
  public static RawAmqpClient open(InetSocketAddress a, int channelMax, int frameMax, int heartbeat)
      throws IOException {
    RawAmqpClient c = connect(a);
    c.startOk("guest", "guest");
    c.readTune();
    c.tuneOk(channelMax, frameMax, heartbeat);
    c.openVhost("/");
    return c;
  }

  // ---------------------------------------------------------------- sending

  public void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  public void sendFrame(int type, int channel, byte[] payload) throws IOException {
    sendFrame(type, channel, payload, FRAME_END);
  }

  public void sendFrame(int type, int channel, byte[] payload, int frameEnd) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 8);
    DataOutputStream d = new DataOutputStream(frame);
    d.writeByte(type);
    d.writeShort(channel);
    d.writeInt(payload.length);
    d.write(payload);
    d.writeByte(frameEnd);
    send(frame.toByteArray());
  }

  public void sendMethod(int channel, Args method) throws IOException {
    sendFrame(FRAME_METHOD, channel, method.bytes());
  }

  /** A content header frame for class basic with no properties. */
  public void sendContentHeader(int channel, long bodySize) throws IOException {
    sendFrame(
        FRAME_HEADER,
        channel,
        new Args().shortInt(60).shortInt(0).longLong(bodySize).shortInt(0).bytes());
  }

  public void sendHeartbeat() throws IOException {
    sendFrame(FRAME_HEARTBEAT, 0, new byte[0]);
  }

  // ---------------------------------------------------------------- handshake

  /** Sends the protocol header and reads connection.start. */
  public Frame start() throws IOException {
    send(AMQP_0_9_1_HEADER);
    return expectMethod(10, 10);
  }

  /**
   * {@link #start()}, then connection.start-ok with PLAIN and the authentication_failure_close
   * capability.
   */
  public void startOk(String user, String password) throws IOException {
    startOk(user, password, true);
  }

  public void startOk(String user, String password, boolean authFailureCloseCapability)
      throws IOException {
    start();
    Map<String, Object> capabilities = new LinkedHashMap<>();
    capabilities.put("authentication_failure_close", authFailureCloseCapability);
    Map<String, Object> clientProperties = new LinkedHashMap<>();
    clientProperties.put("product", "warren raw test client");
    clientProperties.put("capabilities", capabilities);
    sendMethod(0, startOkArguments(user, password, clientProperties));
  }

  /** connection.start-ok with PLAIN for {@code user}, and the given client properties. */
  public static Args startOkArguments(
      String user, String password, Map<String, Object> clientProperties) {
    byte[] response = ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
    return new Args()
        .method(10, 11)
        .table(clientProperties)
        .shortStr("PLAIN")
        .longStr(response)
        .shortStr("en_US");
  }

  /** Reads connection.tune. */
  public Tune readTune() throws IOException {
    DataInputStream a = expectMethod(10, 30).arguments();
    return new Tune(a.readUnsignedShort(), a.readInt(), a.readUnsignedShort());
  }

  public void tuneOk(int channelMax, int frameMax, int heartbeat) throws IOException {
    sendMethod(
        0, new Args().method(10, 31).shortInt(channelMax).longInt(frameMax).shortInt(heartbeat));
  }

  /** Sends connection.open and expects connection.open-ok. */
  public void openVhost(String vhost) throws IOException {
    sendConnectionOpen(vhost);
    expectMethod(10, 41);
  }

  public void sendConnectionOpen(String vhost) throws IOException {
    sendMethod(0, new Args().method(10, 40).shortStr(vhost).shortStr("").bits(false));
  }

  /** Sends channel.open and expects channel.open-ok. */
  public void openChannel(int channel) throws IOException {
    sendMethod(channel, new Args().method(20, 10).shortStr(""));
    expectMethod(20, 11);
  }

  // ---------------------------------------------------------------- receiving

  /** Reads one frame, checking the frame-end octet. */
  public Frame readFrame() throws IOException {
    int type = in.readUnsignedByte();
    int channel = in.readUnsignedShort();
    int size = in.readInt();
    byte[] payload = new byte[size];
    in.readFully(payload);
    int end = in.readUnsignedByte();
    assertEquals(FRAME_END, end, "frame-end octet from the broker");
    return new Frame(type, channel, payload);
  }

  /** Reads frames, skipping heartbeats, until a method frame. */
  public Frame readMethod() throws IOException {
    while (true) {
      Frame f = readFrame();
      if (f.type() != FRAME_HEARTBEAT) {
        assertEquals(FRAME_METHOD, f.type(), "expected a method frame");
        return f;
      }
    }
  }

  /** Reads the next method and asserts its class and method ids. */
  public Frame expectMethod(int classId, int methodId) throws IOException {
    Frame f = readMethod();
    assertEquals(
        classId + "." + methodId,
        f.classId() + "." + f.methodId(),
        () -> "unexpected method " + f.describe());
    return f;
  }

  /** Reads until connection.close, answers close-ok, and returns the close. */
  public Close expectConnectionClose() throws IOException {
    Close close = Close.parse(expectMethod(10, 50));
    sendMethod(0, new Args().method(10, 51));
    return close;
  }

  /** Reads until channel.close on {@code channel}, answers close-ok, and returns the close. */
  public Close expectChannelClose(int channel) throws IOException {
    Frame f = expectMethod(20, 40);
    assertEquals(channel, f.channel(), "channel.close on the wrong channel");
    sendMethod(channel, new Args().method(20, 41));
    return Close.parse(f);
  }

  /** The broker's first 8 octets (a protocol header when it rejects ours). */
  public byte[] readBytes(int n) throws IOException {
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  /**
   * Reads and discards everything until the broker closes the socket; returns false if it is still
   * open after {@code timeout}.
   */
  public boolean closedByBrokerWithin(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (in.read() < 0) {
          return true;
        }
      } catch (EOFException | SocketException e) {
        return true;
      } catch (SocketTimeoutException e) {
        // keep waiting until the deadline
      }
    }
    return false;
  }

  /** Fails unless the broker closes the socket within {@code timeout} without sending a byte. */
  public void assertClosedSilentlyWithin(Duration timeout) throws IOException {
    setReadTimeout(timeout);
    int b;
    try {
      b = in.read();
    } catch (SocketException e) {
      return;
    } catch (SocketTimeoutException e) {
      throw new AssertionError("socket still open after " + timeout, e);
    }
    assertEquals(-1, b, "expected the broker to close the socket without sending anything");
  }

  /**
   * Fails unless the connection ends within five seconds, either with a connection.close carrying
   * {@code acceptableCode} (answered with close-ok) or by the broker dropping the socket without a
   * close method, which is what RabbitMQ 3.10 does when its connection process crashes on input it
   * cannot parse.
   */
  public void assertConnectionEnds(int acceptableCode) throws IOException {
    setReadTimeout(Duration.ofSeconds(5));
    while (true) {
      Frame f;
      try {
        f = readFrame();
      } catch (EOFException | SocketException e) {
        return;
      }
      if (f.type() == FRAME_METHOD && f.classId() == 10 && f.methodId() == 50) {
        assertEquals(acceptableCode, Close.parse(f).replyCode(), "connection.close reply code");
        sendMethod(0, new Args().method(10, 51));
        return;
      }
      assertEquals(FRAME_HEARTBEAT, f.type(), () -> "unexpected " + f.describe());
    }
  }

  /** Fails if any octet arrives within {@code quiet}; the socket closing is fine. */
  public void assertNothingReceivedWithin(Duration quiet) throws IOException {
    setReadTimeout(quiet);
    try {
      int b = in.read();
      assertEquals(-1, b, "the broker sent data where it should have stayed silent");
    } catch (SocketTimeoutException | SocketException e) {
      // silence, or the broker closed: both fine
    }
  }

  /** The client's port of the socket (the broker's peer port). */
  public int localPort() {
    return socket.getLocalPort();
  }

  public void setReadTimeout(Duration timeout) {
    try {
      socket.setSoTimeout((int) timeout.toMillis());
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  // ---------------------------------------------------------------- values

  /** Values of connection.tune. */
  public record Tune(int channelMax, int frameMax, int heartbeat) {}

  /** A connection.close or channel.close. */
  public record Close(int replyCode, String replyText, int classId, int methodId) {
    static Close parse(Frame f) throws IOException {
      DataInputStream a = f.arguments();
      int code = a.readUnsignedShort();
      String text = Args.readShortStr(a);
      return new Close(code, text, a.readUnsignedShort(), a.readUnsignedShort());
    }
  }

  /** One frame as read from the wire. */
  public record Frame(int type, int channel, byte[] payload) {
    public int classId() {
      return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

    public int methodId() {
      return ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF);
    }

    /** The method arguments, after class and method ids. */
    public DataInputStream arguments() {
      return new DataInputStream(new ByteArrayInputStream(payload, 4, payload.length - 4));
    }

    String describe() {
      return type == FRAME_METHOD
          ? "method " + classId() + "." + methodId() + " on channel " + channel
          : "frame type " + type + " on channel " + channel + " " + Arrays.toString(payload);
    }
  }

  /** Builds method arguments (and other payloads) field by field, big-endian. */
  public static final class Args {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final DataOutputStream data = new DataOutputStream(buffer);

    public Args method(int classId, int methodId) {
      return shortInt(classId).shortInt(methodId);
    }

    public Args octet(int v) {
      return write(() -> data.writeByte(v));
    }

    public Args shortInt(int v) {
      return write(() -> data.writeShort(v));
    }

    public Args longInt(int v) {
      return write(() -> data.writeInt(v));
    }

    public Args longLong(long v) {
      return write(() -> data.writeLong(v));
    }

    public Args shortStr(String s) {
      return shortStr(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A shortstr of these octets, UTF-8 or not. */
    public Args shortStr(byte[] b) {
      return write(
          () -> {
            data.writeByte(b.length);
            data.write(b);
          });
    }

    public Args longStr(byte[] b) {
      return write(
          () -> {
            data.writeInt(b.length);
            data.write(b);
          });
    }

    /** Consecutive bits packed into octets, first bit in the least significant position. */
    public Args bits(boolean... bits) {
      for (int i = 0; i < bits.length; i += 8) {
        int octet = 0;
        for (int j = 0; j < 8 && i + j < bits.length; j++) {
          if (bits[i + j]) {
            octet |= 1 << j;
          }
        }
        octet(octet);
      }
      return this;
    }

    /** A field table of booleans, strings and nested tables. */
    public Args table(Map<String, Object> table) {
      Args entries = new Args();
      for (Map.Entry<String, Object> e : table.entrySet()) {
        entries.shortStr(e.getKey());
        Object v = e.getValue();
        if (v instanceof Boolean b) {
          entries.octet('t').octet(b ? 1 : 0);
        } else if (v instanceof String s) {
          entries.octet('S').longStr(s.getBytes(StandardCharsets.UTF_8));
        } else if (v instanceof Integer i) {
          entries.octet('I').longInt(i);
        } else if (v instanceof Map<?, ?> m) {
          Map<String, Object> nested = new LinkedHashMap<>();
          m.forEach((k, x) -> nested.put((String) k, x));
          entries.octet('F').table(nested);
        } else {
          throw new IllegalArgumentException("unsupported table value " + v);
        }
      }
      return rawTable(entries.bytes());
    }

    /** A field table whose entries are given as raw octets, prefixed by their length. */
    public Args rawTable(byte[] entries) {
      return longStr(entries);
    }

    public Args raw(byte[] bytes) {
      return write(() -> data.write(bytes));
    }

    public byte[] bytes() {
      return buffer.toByteArray();
    }

    static String readShortStr(DataInputStream in) throws IOException {
      byte[] b = new byte[in.readUnsignedByte()];
      in.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    }

    private interface Write {
      void run() throws IOException;
    }

    private Args write(Write w) {
      try {
        w.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }
  }
}
