package dev.warren.amqp;

import dev.warren.amqp.method.Method;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * The outbound half of the codec: writes {@link Command}s, {@link HeartbeatFrame}s and {@link
 * ProtocolHeader}s as frames (spec 4.2.3). A command becomes a method frame, then for content a
 * content header frame and body frames of at most {@code frameMax - 8} payload bytes each:
 *
 * <pre>
 * [method frame][header frame][1 3 ch size]  body slice  [CE][1 3 ch size]  body slice  [CE]
 * `--------------- pooled buffer --------'  (no copy)   `- pooled buffer -'  (no copy)  `--'
 * </pre>
 *
 * <p>The frame bytes go into one pooled buffer; the body is written as retained slices of the
 * command's body, never copied; the pieces go down the pipeline as consecutive buffers.
 *
 * <p>It counts what it writes, for the connection's figures: octets ({@link #bytesWritten()}) and
 * frames ({@link #framesWritten()}) as they are encoded, which is before the socket has sent them;
 * plain fields, no allocation.
 *
 * <p>Threads: one instance per connection, used only on its event loop (including {@link
 * #frameMax(int)} and the counters). Buffers: the encoder owns every {@code Command} written to it
 * and releases its header and body once encoded, also when encoding fails; the slices it emits keep
 * the body alive until the socket has written them.
 */
public final class AmqpEncoder extends MessageToMessageEncoder<Object> {
  private static final int FRAME_HEADER_SIZE = 7;

  private int frameMax;
  private long bytesWritten;
  private long framesWritten;

  /**
   * @param frameMax the largest frame to send, overhead included
   */
  public AmqpEncoder(int frameMax) {
    frameMax(frameMax);
  }

  /**
   * Sets the largest frame sent from now on, overhead included (the {@code frame-max} agreed in
   * {@code connection.tune-ok}). Event-loop thread only.
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

  /** Octets encoded so far: frames and the protocol header (RabbitMQ's {@code send_oct}). */
  public long bytesWritten() {
    return bytesWritten;
  }

  /** Frames encoded so far, heartbeats included. Event-loop thread. */
  public long framesWritten() {
    return framesWritten;
  }

  @Override
  public boolean acceptOutboundMessage(Object msg) {
    return msg instanceof Command || msg instanceof HeartbeatFrame || msg instanceof ProtocolHeader;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
    if (msg instanceof Command command) {
      try {
        encodeCommand(ctx, command, out);
      } finally {
        command.release();
      }
    } else if (msg instanceof HeartbeatFrame) {
      bytesWritten += Frame.FRAME_OVERHEAD;
      framesWritten++;
      out.add(
          ctx.alloc()
              .buffer(Frame.FRAME_OVERHEAD)
              .writeByte(Frame.FRAME_HEARTBEAT)
              .writeShort(0)
              .writeInt(0)
              .writeByte(Frame.FRAME_END));
    } else {
      ByteBuf buffer = ctx.alloc().buffer(ProtocolHeader.LENGTH);
      ((ProtocolHeader) msg).writeTo(buffer);
      bytesWritten += ProtocolHeader.LENGTH;
      out.add(buffer);
    }
  }

  private void encodeCommand(ChannelHandlerContext ctx, Command command, List<Object> out) {
    ByteBuf body = command.body();
    int bodySize = body == null ? 0 : body.readableBytes();
    int maxPayload = frameMax - Frame.FRAME_OVERHEAD;
    int bodyFrames = (bodySize + maxPayload - 1) / maxPayload;
    ByteBuf frames = ctx.alloc().buffer();
    try {
      writeMethodFrame(frames, command.channel(), command.method());
      if (command.header() != null) {
        writeHeaderFrame(frames, command.channel(), command.header());
      }
      if (bodyFrames == 0) {
        count(frames, command, 0, 0);
        out.add(frames.retain());
        return;
      }
      // frames: [methods + header + body header 0] [CE + body header 1] ... [CE]
      int[] segmentEnds = new int[bodyFrames + 1];
      for (int i = 0; i < bodyFrames; i++) {
        if (i > 0) {
          frames.writeByte(Frame.FRAME_END);
        }
        int payloadSize = Math.min(maxPayload, bodySize - i * maxPayload);
        frames.writeByte(Frame.FRAME_BODY).writeShort(command.channel()).writeInt(payloadSize);
        segmentEnds[i] = frames.writerIndex();
      }
      frames.writeByte(Frame.FRAME_END);
      segmentEnds[bodyFrames] = frames.writerIndex();
      count(frames, command, bodyFrames, bodySize);

      // Emitted as separate buffers, not a CompositeByteBuf: the socket gathers them by memory
      // address (writev), which costs less than a composite's per-component NIO buffers.
      int segmentStart = frames.readerIndex();
      for (int i = 0; i <= bodyFrames; i++) {
        out.add(frames.retainedSlice(segmentStart, segmentEnds[i] - segmentStart));
        segmentStart = segmentEnds[i];
        if (i < bodyFrames) {
          int offset = i * maxPayload;
          int payloadSize = Math.min(maxPayload, bodySize - offset);
          out.add(body.retainedSlice(body.readerIndex() + offset, payloadSize));
        }
      }
    } finally {
      frames.release();
    }
  }

  /** Counts a command whose frames, body aside, are in {@code frames}. */
  private void count(ByteBuf frames, Command command, int bodyFrames, int bodySize) {
    bytesWritten += frames.readableBytes() + bodySize;
    framesWritten += (command.header() != null ? 2 : 1) + bodyFrames;
  }

  private void writeMethodFrame(ByteBuf frames, int channel, Method method) {
    int start = frames.writerIndex();
    frames.writeByte(Frame.FRAME_METHOD).writeShort(channel).writeInt(0);
    method.encode(frames);
    endFrame(frames, start, method.name());
  }

  private void writeHeaderFrame(ByteBuf frames, int channel, ContentHeader header) {
    int start = frames.writerIndex();
    frames.writeByte(Frame.FRAME_HEADER).writeShort(channel).writeInt(0);
    header.encode(frames);
    endFrame(frames, start, "content header");
  }

  /** Fills in the size of the frame that began at {@code start} and writes its frame-end. */
  private void endFrame(ByteBuf frames, int start, String what) {
    int payloadSize = frames.writerIndex() - start - FRAME_HEADER_SIZE;
    if (payloadSize > frameMax - Frame.FRAME_OVERHEAD) {
      throw new IllegalArgumentException(
          what + " frame of " + payloadSize + " payload bytes exceeds frame-max " + frameMax);
    }
    frames.setInt(start + 3, payloadSize);
    frames.writeByte(Frame.FRAME_END);
  }
}
