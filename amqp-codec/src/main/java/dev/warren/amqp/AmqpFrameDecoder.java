package dev.warren.amqp;

import dev.warren.amqp.method.Method;
import dev.warren.amqp.method.MethodDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * The inbound half of the codec: checks the 8-byte protocol header (spec 4.2.2), then cuts the
 * stream into {@link Frame}s (spec 4.2.3) and decodes their payloads: methods into records, content
 * headers into {@link ContentHeader}s, bodies into retained slices (zero copy).
 *
 * <pre>
 * stream: AMQP 0 0 9 1 | frame | frame | ...
 * </pre>
 *
 * <p>Output: {@link ProtocolHeader#AMQP_0_9_1} once the client's header matched (the server then
 * sends connection.start), then one {@link Frame} per frame.
 *
 * <pre>
 * frame:  type (octet) | channel (short) | size (long) | payload (size octets) | 0xCE
 * </pre>
 *
 * <p>Errors do not go up as {@code DecoderException}s: the decoder fires the exception itself with
 * {@code ctx.fireExceptionCaught}, after the frames decoded before it. An error in the payload of a
 * whole frame leaves the stream in step, and later frames are still decoded (so that the peer's
 * close or close-ok is seen after the connection.close the error causes); after any other error (a
 * bad protocol header, frame type, size or frame-end) all later input is discarded. They are a
 * {@link ProtocolHeaderMismatchException} (answer with the protocol header and close), or a {@link
 * ConnectionException}: {@link ReplyCode#FRAME_ERROR} for an unknown frame type, a payload larger
 * than frame-max, a missing frame-end, a short content header or a heartbeat with a payload; {@link
 * ReplyCode#UNEXPECTED_FRAME} for a heartbeat off channel 0 or a content header whose weight is not
 * 0; whatever the {@link MethodDecoder} throws.
 *
 * <p>Frame-max bounds the payload, not the whole frame: as RabbitMQ, which tolerates the clients
 * that forget the 8 octets of frame overhead, a frame may be up to frame-max + 8 octets long.
 *
 * <p>It counts what it reads, for the connection's figures: every octet that reaches it from the
 * socket ({@link #bytesRead()}, whole frames or not) and every frame it cut ({@link
 * #framesRead()}); plain fields, no allocation.
 *
 * <p>Threads: one instance per connection, used only on its event loop (including {@link
 * #frameMax(int)} and the counters). Buffers: frames that carry a buffer are retained slices of the
 * cumulation buffer and belong to the next handler; note that a retained slice keeps the whole
 * network read buffer it came from alive.
 */
public final class AmqpFrameDecoder extends ByteToMessageDecoder {
  private static final int FRAME_HEADER_SIZE = 7;

  /** class-id, weight and body size, before the property flags. */
  private static final int CONTENT_HEADER_FIXED_SIZE = 12;

  /** The fixed part and one property flags word. */
  private static final int CONTENT_HEADER_MIN_SIZE = CONTENT_HEADER_FIXED_SIZE + 2;

  private int frameMax;
  private boolean protocolHeaderSeen;
  private boolean failed;
  private long bytesRead;
  private long framesRead;

  /**
   * @param frameMax the frame-max in force, e.g. {@link Frame#FRAME_MIN_SIZE} until
   *     connection.tune-ok (spec 4.2.3)
   */
  public AmqpFrameDecoder(int frameMax) {
    frameMax(frameMax);
  }

  /**
   * Sets the frame-max in force from now on (the one agreed in {@code connection.tune-ok}); frames
   * whose payload is larger are refused. Event-loop thread only.
   *
   * @throws IllegalArgumentException if smaller than {@link Frame#FRAME_MIN_SIZE}
   */
  public void frameMax(int frameMax) {
    if (frameMax < Frame.FRAME_MIN_SIZE) {
      throw new IllegalArgumentException(
          "frame-max " + frameMax + " is below the minimum " + Frame.FRAME_MIN_SIZE);
    }
    this.frameMax = frameMax;
  }

  public int frameMax() {
    return frameMax;
  }

  /** Octets received from the socket so far (RabbitMQ's {@code recv_oct}). Event-loop thread. */
  public long bytesRead() {
    return bytesRead;
  }

  /** Frames cut from the stream so far, heartbeats included. Event-loop thread. */
  public long framesRead() {
    return framesRead;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof ByteBuf in) {
      bytesRead += in.readableBytes();
    }
    super.channelRead(ctx, msg);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int start = in.readerIndex();
    try {
      if (!protocolHeaderSeen) {
        protocolHeaderSeen = readProtocolHeader(in);
        if (protocolHeaderSeen) {
          out.add(ProtocolHeader.AMQP_0_9_1);
        }
      } else {
        Frame frame = readFrame(in);
        if (frame != null) {
          out.add(frame);
        }
      }
    } catch (ProtocolHeaderMismatchException | ConnectionException e) {
      if (!protocolHeaderSeen || in.readerIndex() == start) {
        failed = true;
        in.skipBytes(in.readableBytes());
      }
      ctx.fireExceptionCaught(e);
    }
  }

  /** True once all 8 bytes matched; throws at the first byte that does not. */
  private static boolean readProtocolHeader(ByteBuf in) {
    int available = Math.min(in.readableBytes(), ProtocolHeader.LENGTH);
    for (int i = 0; i < available; i++) {
      if (in.getByte(in.readerIndex() + i) != ProtocolHeader.AMQP_0_9_1.byteAt(i)) {
        byte[] received = new byte[available];
        in.getBytes(in.readerIndex(), received);
        throw new ProtocolHeaderMismatchException(received);
      }
    }
    if (available < ProtocolHeader.LENGTH) {
      return false;
    }
    in.skipBytes(ProtocolHeader.LENGTH);
    return true;
  }

  /** One frame, or null if it has not arrived whole yet. */
  private Frame readFrame(ByteBuf in) {
    if (in.readableBytes() < FRAME_HEADER_SIZE) {
      return null;
    }
    int start = in.readerIndex();
    int type = in.getUnsignedByte(start);
    int channel = in.getUnsignedShort(start + 1);
    long size = in.getUnsignedInt(start + 3);
    if (type != Frame.FRAME_METHOD
        && type != Frame.FRAME_HEADER
        && type != Frame.FRAME_BODY
        && type != Frame.FRAME_HEARTBEAT) {
      throw frameError("unknown frame type " + type + " on channel " + channel);
    }
    if (size > frameMax) {
      // RabbitMQ's text: the payload size and the largest payload frame-max allows.
      throw frameError(
          "type "
              + type
              + ", all octets = <<>>: {frame_too_large,"
              + size
              + ","
              + (frameMax - Frame.FRAME_OVERHEAD)
              + "}");
    }
    int payloadSize = (int) size;
    if (in.readableBytes() < FRAME_HEADER_SIZE + payloadSize + 1) {
      return null;
    }
    int payloadStart = start + FRAME_HEADER_SIZE;
    int end = in.getUnsignedByte(payloadStart + payloadSize);
    if (end != Frame.FRAME_END) {
      throw frameError(
          String.format(
              "frame-end 0x%02x instead of 0xce after a frame of type %d on channel %d",
              end, type, channel));
    }
    in.skipBytes(FRAME_HEADER_SIZE + payloadSize + 1);
    framesRead++;
    return switch (type) {
      case Frame.FRAME_METHOD ->
          new MethodFrame(channel, readMethod(in.slice(payloadStart, payloadSize), channel));
      case Frame.FRAME_HEADER ->
          new ContentHeaderFrame(channel, readContentHeader(in, payloadStart, payloadSize));
      case Frame.FRAME_BODY ->
          new ContentBodyFrame(channel, in.retainedSlice(payloadStart, payloadSize));
      default -> heartbeat(channel, in.slice(payloadStart, payloadSize));
    };
  }

  /**
   * A method; as RabbitMQ, an error that names no method (malformed UTF-8) names it after all on
   * channel 0, where the connection decodes its own methods.
   */
  private static Method readMethod(ByteBuf payload, int channel) {
    try {
      return MethodDecoder.decode(payload);
    } catch (ConnectionException e) {
      if (channel != 0 || e.classId() != 0 || payload.capacity() < 4) {
        throw e;
      }
      throw new ConnectionException(
          e.replyCode(), e.text(), payload.getUnsignedShort(0), payload.getUnsignedShort(2));
    }
  }

  /**
   * A content header payload; the property flags and list are kept raw, as a retained slice.
   *
   * <pre>
   * class-id (short) | weight (short) | body size (longlong) | property flags + list
   * </pre>
   */
  private static ContentHeader readContentHeader(ByteBuf in, int start, int size) {
    if (size < CONTENT_HEADER_MIN_SIZE) {
      throw frameError("content header frame of only " + size + " bytes");
    }
    int classId = in.getUnsignedShort(start);
    int weight = in.getUnsignedShort(start + 2);
    if (weight != 0) {
      // RabbitMQ takes such a frame for something other than a content header.
      throw new ConnectionException(
          ReplyCode.UNEXPECTED_FRAME, "content header with weight " + weight + ", not 0");
    }
    long bodySize = in.getLong(start + 4);
    if (bodySize < 0) {
      throw frameError("content header with body size " + Long.toUnsignedString(bodySize));
    }
    return new ContentHeader(
        classId,
        bodySize,
        in.retainedSlice(start + CONTENT_HEADER_FIXED_SIZE, size - CONTENT_HEADER_FIXED_SIZE));
  }

  /**
   * A heartbeat belongs to the connection: on another channel it is UNEXPECTED_FRAME; and it is
   * empty: with a payload it is a FRAME_ERROR (RabbitMQ's codes and texts).
   */
  private static HeartbeatFrame heartbeat(int channel, ByteBuf payload) {
    String octets = "type " + Frame.FRAME_HEARTBEAT + ", all octets = " + Octets.format(payload);
    if (channel != 0) {
      throw new ConnectionException(ReplyCode.UNEXPECTED_FRAME, octets);
    }
    if (payload.isReadable()) {
      throw frameError(octets + ": unknown_frame");
    }
    return HeartbeatFrame.INSTANCE;
  }

  private static ConnectionException frameError(String text) {
    return new ConnectionException(ReplyCode.FRAME_ERROR, text);
  }
}
