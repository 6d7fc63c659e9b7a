package dev.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCounted;
import java.util.Objects;

/**
 * The content header of a message (spec 4.2.6.1): class id, body size and the properties, kept as
 * the raw bytes that came off the wire so that they can be stored and forwarded without being
 * decoded and encoded again.
 *
 * <pre>
 * +----------+--------+-----------+----------------+---------------+
 * | class-id | weight | body size | property flags | property list |
 * +----------+--------+-----------+----------------+---------------+
 *   short      short 0  longlong    short, ...        rawProperties = flags + list
 * </pre>
 *
 * <p>Buffers: this object owns one reference to {@link #rawProperties()}; {@link #release()} gives
 * it up. {@link #retainedDuplicate()} gives a second owner (e.g. each queue of a fan-out) its own
 * reference. Threads: created on the event loop, then may be handed to one other thread at a time
 * (with the usual happens-before of a queue hand-off); {@link #properties()} caches an immutable
 * value and is safe under a benign race.
 */
public final class ContentHeader implements ReferenceCounted {
  private final int classId;
  private final long bodySize;
  private final ByteBuf rawProperties;
  private BasicProperties properties;

  /**
   * Takes ownership of {@code rawProperties} (property flags and list, readable bytes only).
   *
   * @throws IllegalArgumentException if {@code bodySize} is negative
   */
  public ContentHeader(int classId, long bodySize, ByteBuf rawProperties) {
    this(classId, bodySize, rawProperties, null);
  }

  private ContentHeader(
      int classId, long bodySize, ByteBuf rawProperties, BasicProperties properties) {
    if (bodySize < 0) {
      throw new IllegalArgumentException("negative body size " + bodySize);
    }
    this.classId = classId;
    this.bodySize = bodySize;
    this.rawProperties = Objects.requireNonNull(rawProperties, "rawProperties");
    this.properties = properties;
  }

  /**
   * Encodes {@code properties} into a new buffer from {@code alloc}; the result owns it.
   *
   * @throws IllegalArgumentException if a property cannot be encoded (see {@link
   *     BasicProperties#encode})
   */
  public static ContentHeader of(
      int classId, long bodySize, BasicProperties properties, ByteBufAllocator alloc) {
    ByteBuf raw = alloc.buffer();
    try {
      properties.encode(raw);
    } catch (RuntimeException e) {
      raw.release();
      throw e;
    }
    return new ContentHeader(classId, bodySize, raw, properties);
  }

  public int classId() {
    return classId;
  }

  public long bodySize() {
    return bodySize;
  }

  /**
   * The property flags and list as received (or as encoded by {@link #of}). Still owned by this
   * header: do not release it, and do not move its reader index (use {@code duplicate()}).
   */
  public ByteBuf rawProperties() {
    return rawProperties;
  }

  /**
   * The properties, decoded on first use from {@link #rawProperties()} and cached.
   *
   * @throws ConnectionException {@link ReplyCode#SYNTAX_ERROR} if the property bytes are malformed
   */
  public BasicProperties properties() {
    BasicProperties decoded = properties;
    if (decoded == null) {
      decoded = BasicProperties.decode(rawProperties.duplicate());
      properties = decoded;
    }
    return decoded;
  }

  /** A header sharing the same bytes, holding its own reference to them; release both. */
  public ContentHeader retainedDuplicate() {
    return new ContentHeader(classId, bodySize, rawProperties.retainedDuplicate(), properties);
  }

  /**
   * Writes the content header frame payload (class-id, weight 0, body size, flags and list) to
   * {@code out}. Copies the property bytes, which are small; the caller keeps ownership of {@code
   * out} and this header keeps its own reference.
   */
  public void encode(ByteBuf out) {
    out.writeShort(classId);
    out.writeShort(0);
    out.writeLong(bodySize);
    out.writeBytes(rawProperties, rawProperties.readerIndex(), rawProperties.readableBytes());
  }

  @Override
  public int refCnt() {
    return rawProperties.refCnt();
  }

  @Override
  public ContentHeader retain() {
    rawProperties.retain();
    return this;
  }

  @Override
  public ContentHeader retain(int increment) {
    rawProperties.retain(increment);
    return this;
  }

  @Override
  public ContentHeader touch() {
    rawProperties.touch();
    return this;
  }

  @Override
  public ContentHeader touch(Object hint) {
    rawProperties.touch(hint);
    return this;
  }

  /** Gives up this header's reference to the property bytes. */
  @Override
  public boolean release() {
    return rawProperties.release();
  }

  @Override
  public boolean release(int decrement) {
    return rawProperties.release(decrement);
  }

  @Override
  public String toString() {
    return "ContentHeader(classId="
        + classId
        + ", bodySize="
        + bodySize
        + ", "
        + rawProperties.readableBytes()
        + " property bytes)";
  }
}
