package dev.warren.amqp;

import dev.warren.amqp.method.Method;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Assembles the frames of one channel into {@link Command}s (spec 4.2.6): a method frame, and for a
 * content-bearing method a content header frame and body frames whose sizes add up to the header's
 * body size.
 *
 * <pre>
 *            method without content -> Command
 *   IDLE ---------------------------------------------.
 *     |  method with content                           |
 *     v                                                |
 *   EXPECT_HEADER --header, body size 0--> Command     |
 *     |  header, body size > 0                         |
 *     v                                                |
 *   EXPECT_BODY --body frames reach body size--> Command
 * </pre>
 *
 * <p>Threads: one instance per channel, used only on the connection's event loop. Buffers: {@link
 * #feed} takes ownership of the frame it is given, also when it throws; a body that came in one
 * frame is that frame's slice, a body over several frames is a {@link CompositeByteBuf} of their
 * slices (never copied). {@link #release()} frees a partly assembled command (call it when the
 * channel closes).
 */
public final class CommandAssembler {
  /**
   * RabbitMQ's reply text (with {@link ReplyCode#UNEXPECTED_FRAME}) for a content header or body
   * where a method must come: on a channel with no content-bearing method pending.
   */
  public static final String METHOD_EXPECTED =
      "expected method frame, got non method frame instead";

  private final ByteBufAllocator alloc;
  private Method method;
  private int channel;
  private ContentHeader header;
  private ByteBuf body;
  private long remaining;

  /** {@code alloc} creates the composite buffers of bodies that span several frames. */
  public CommandAssembler(ByteBufAllocator alloc) {
    this.alloc = alloc;
  }

  /**
   * Adds a frame; returns the command it completes (owned by the caller), or null if more frames
   * are needed. Heartbeat frames are ignored.
   *
   * @throws ConnectionException {@link ReplyCode#UNEXPECTED_FRAME} if the frame does not fit the
   *     state (a header or body without a content method, a method before the content is whole, a
   *     header of another class, a body beyond the declared size); the partial command is released
   */
  public Command feed(Frame frame) {
    if (frame instanceof MethodFrame methodFrame) {
      return onMethod(methodFrame);
    } else if (frame instanceof ContentHeaderFrame headerFrame) {
      return onHeader(headerFrame);
    } else if (frame instanceof ContentBodyFrame bodyFrame) {
      return onBody(bodyFrame);
    }
    return null;
  }

  /** True while a content-bearing method waits for its header or body. */
  public boolean isAssembling() {
    return method != null;
  }

  /** Releases the partly assembled command, if any, and returns to the idle state. */
  public void release() {
    if (header != null) {
      header.release();
    }
    if (body != null) {
      body.release();
    }
    method = null;
    header = null;
    body = null;
    remaining = 0;
  }

  private Command onMethod(MethodFrame frame) {
    if (method != null) {
      throw unexpected("non content header frame");
    }
    if (!frame.method().hasContent()) {
      return new Command(frame.channel(), frame.method());
    }
    method = frame.method();
    channel = frame.channel();
    return null;
  }

  private Command onHeader(ContentHeaderFrame frame) {
    if (method == null) {
      frame.release();
      throw withoutMethod();
    }
    if (header != null || frame.channel() != channel) {
      frame.release();
      throw unexpected("non content header frame");
    }
    int classId = frame.header().classId();
    if (classId != method.classId()) {
      frame.release();
      throw unexpected("one for class " + classId);
    }
    header = frame.header();
    remaining = header.bodySize();
    if (remaining == 0) {
      return complete(Unpooled.EMPTY_BUFFER);
    }
    return null;
  }

  private Command onBody(ContentBodyFrame frame) {
    if (method == null) {
      frame.release();
      throw withoutMethod();
    }
    if (header == null || frame.channel() != channel) {
      frame.release();
      throw unexpected("non content header frame");
    }
    ByteBuf payload = frame.payload();
    if (payload.readableBytes() > remaining) {
      long declared = header.bodySize();
      int size = payload.readableBytes();
      frame.release();
      Method pending = method;
      release();
      // RabbitMQ would wait on for a body that can never add up; we stop at the first excess.
      throw new ConnectionException(
          ReplyCode.UNEXPECTED_FRAME,
          "content body frame of " + size + " bytes exceeds the declared body size " + declared,
          pending.classId(),
          pending.methodId());
    }
    remaining -= payload.readableBytes();
    if (body == null && remaining == 0) {
      return complete(payload);
    }
    if (!payload.isReadable()) {
      payload.release();
      return null;
    }
    if (body == null) {
      body = payload;
    } else {
      CompositeByteBuf composite;
      if (body instanceof CompositeByteBuf existing) {
        composite = existing;
      } else {
        composite = alloc.compositeBuffer(Integer.MAX_VALUE);
        composite.addComponent(true, body);
        body = composite;
      }
      composite.addComponent(true, payload);
    }
    return remaining == 0 ? complete(body) : null;
  }

  private Command complete(ByteBuf wholeBody) {
    Command command = new Command(channel, method, header, wholeBody);
    method = null;
    header = null;
    body = null;
    return command;
  }

  /**
   * The error for a frame that breaks the content of the pending method, in RabbitMQ's words: a
   * content header was expected and {@code instead} came, or a content body and something else
   * came. Releases the partial command.
   */
  private ConnectionException unexpected(String instead) {
    Method pending = method;
    String text =
        header == null
            ? "expected content header for class " + pending.classId() + ", got " + instead
            : "expected content body, got non content body frame";
    release();
    return new ConnectionException(
        ReplyCode.UNEXPECTED_FRAME, text + " instead", pending.classId(), pending.methodId());
  }

  /** A content frame with no content-bearing method before it, in RabbitMQ's words. */
  private static ConnectionException withoutMethod() {
    return new ConnectionException(ReplyCode.UNEXPECTED_FRAME, METHOD_EXPECTED);
  }
}
