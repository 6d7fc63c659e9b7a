package dev.warren.amqp;

import io.netty.util.ReferenceCounted;

/**
 * A content header frame (type 2). The receiver owns {@code header} (a retained slice of the
 * inbound buffer): pass the frame to a {@link CommandAssembler} or release it. Event-loop thread.
 */
public record ContentHeaderFrame(int channel, ContentHeader header)
    implements Frame, ReferenceCounted {
  @Override
  public int refCnt() {
    return header.refCnt();
  }

  @Override
  public ContentHeaderFrame retain() {
    header.retain();
    return this;
  }

  @Override
  public ContentHeaderFrame retain(int increment) {
    header.retain(increment);
    return this;
  }

  @Override
  public ContentHeaderFrame touch() {
    header.touch();
    return this;
  }

  @Override
  public ContentHeaderFrame touch(Object hint) {
    header.touch(hint);
    return this;
  }

  @Override
  public boolean release() {
    return header.release();
  }

  @Override
  public boolean release(int decrement) {
    return header.release(decrement);
  }
}
