package dev.warren.amqp;

import dev.warren.amqp.method.Method;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * A whole AMQP command (spec 2.3.5): a method and, for the content-bearing methods ({@code
 * basic.publish}, {@code basic.deliver}, {@code basic.return}, {@code basic.get-ok}), its content
 * header and body.
 *
 * <p>Buffers: a command owns one reference to its header's property bytes and to its body. Whoever
 * holds the command owns it: pass it on (writing it to an {@link AmqpEncoder} hands it over; the
 * encoder releases it) or call {@link #release()} once. A body of size 0 is an empty buffer, never
 * null. Threads: one owner thread at a time, handed over through a queue.
 */
public final class Command {
  private final int channel;
  private final Method method;
  private final ContentHeader header;
  private final ByteBuf body;

  /** A command without content. */
  public Command(int channel, Method method) {
    this(channel, method, null, null);
  }

  /**
   * A command; takes ownership of {@code header} and {@code body} (unless this throws).
   *
   * @param header the content header, or null if the method carries no content
   * @param body the whole body ({@code header.bodySize()} readable bytes), or null if none
   * @throws IllegalArgumentException if header and body are not both present exactly when {@code
   *     method.hasContent()}, or the body's size differs from the header's
   */
  public Command(int channel, Method method, ContentHeader header, ByteBuf body) {
    this.channel = channel;
    this.method = Objects.requireNonNull(method, "method");
    if (method.hasContent() != (header != null) || (header != null) != (body != null)) {
      throw new IllegalArgumentException(
          method.name() + " with header " + header + " and body " + body);
    }
    if (header != null && header.bodySize() != body.readableBytes()) {
      throw new IllegalArgumentException(
          "body of " + body.readableBytes() + " bytes, header says " + header.bodySize());
    }
    this.header = header;
    this.body = body;
  }

  public int channel() {
    return channel;
  }

  public Method method() {
    return method;
  }

  /** The content header, or null if the method carries no content. Owned by this command. */
  public ContentHeader header() {
    return header;
  }

  /** The body, or null if the method carries no content. Owned by this command. */
  public ByteBuf body() {
    return body;
  }

  /** Releases the header and body, if any. Call once, and only as the command's owner. */
  public void release() {
    if (header != null) {
      header.release();
    }
    if (body != null) {
      body.release();
    }
  }

  @Override
  public String toString() {
    return "Command(channel="
        + channel
        + ", "
        + method
        + (header == null ? "" : ", " + header + ", body " + body.readableBytes() + " bytes")
        + ")";
  }
}
