package dev.warren.queue;

import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;

/**
 * A published message as queues hold it: where it was published, its encoded content properties and
 * its body. Immutable apart from the reference count.
 *
 * <p>Buffers: the message owns {@code properties} (the raw property flags and list, exactly as the
 * publisher sent them, so deliveries re-send them without re-encoding) and {@code body}; both are
 * released when the count reaches zero. Every queue that holds the message holds one reference;
 * fan-out to N queues shares one body. Whoever is handed a message with "ownership" must release it
 * exactly once.
 */
public final class Message extends AbstractReferenceCounted {
  private final String exchange;
  private final String routingKey;
  private final ByteBuf properties;
  private final ByteBuf body;
  private final boolean persistent;

  /** Takes ownership of both buffers. */
  public Message(
      String exchange, String routingKey, ByteBuf properties, ByteBuf body, boolean persistent) {
    this.exchange = exchange;
    this.routingKey = routingKey;
    this.properties = properties;
    this.body = body;
    this.persistent = persistent;
  }

  public String exchange() {
    return exchange;
  }

  public String routingKey() {
    return routingKey;
  }

  /** The raw property bytes; borrowed: retain a duplicate to keep them past this message. */
  public ByteBuf properties() {
    return properties;
  }

  /** The body; borrowed: retain a duplicate to keep it past this message. */
  public ByteBuf body() {
    return body;
  }

  public int bodySize() {
    return body.readableBytes();
  }

  /** Delivery mode 2. */
  public boolean persistent() {
    return persistent;
  }

  @Override
  public Message retain() {
    super.retain();
    return this;
  }

  @Override
  public Message touch(Object hint) {
    body.touch(hint);
    return this;
  }

  @Override
  protected void deallocate() {
    properties.release();
    body.release();
  }
}
