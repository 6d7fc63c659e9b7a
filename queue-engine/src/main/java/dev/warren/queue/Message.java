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
  private final int priority;
  private final long expirationMillis;
  private final MemoryLedger ledger;
  private final int heapCost;

  /** A message not counted in any {@link MemoryLedger} (tests). */
  public Message(
      String exchange,
      String routingKey,
      ByteBuf properties,
      ByteBuf body,
      boolean persistent,
      int priority,
      long expirationMillis) {
    this(exchange, routingKey, properties, body, persistent, priority, expirationMillis, null);
  }

  /**
   * Takes ownership of both buffers.
   *
   * @param priority the priority property (0 when absent)
   * @param expirationMillis the expiration property in milliseconds, or -1 when absent
   * @param ledger counts the heap this message holds until its last reference goes; null for none
   */
  public Message(
      String exchange,
      String routingKey,
      ByteBuf properties,
      ByteBuf body,
      boolean persistent,
      int priority,
      long expirationMillis,
      MemoryLedger ledger) {
    this.ledger = ledger;
    this.heapCost = MemoryLedger.MESSAGE + 2 * (exchange.length() + routingKey.length());
    if (ledger != null) {
      ledger.add(heapCost);
    }
    this.exchange = exchange;
    this.routingKey = routingKey;
    this.properties = properties;
    this.body = body;
    this.persistent = persistent;
    this.priority = priority;
    this.expirationMillis = expirationMillis;
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

  /** The priority property, 0 when absent. */
  public int priority() {
    return priority;
  }

  /** The per-message TTL (expiration property) in milliseconds, or -1. */
  public long expirationMillis() {
    return expirationMillis;
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
    if (ledger != null) {
      ledger.add(-heapCost);
    }
  }
}
