package dev.warren.amqp;

/**
 * One AMQP frame (spec 4.2.3), as emitted by {@link AmqpFrameDecoder}. Frames that hold a buffer
 * ({@link ContentHeaderFrame}, {@link ContentBodyFrame}) are {@link
 * io.netty.util.ReferenceCounted}: whoever receives one owns it and must release it or pass it on
 * (usually to a {@link CommandAssembler}). Created and consumed on the connection's event loop.
 *
 * <pre>
 * 0      1         3             7                  size+7 size+8
 * +------+---------+-------------+  +------------+  +-----------+
 * | type | channel |    size     |  |  payload   |  | frame-end |
 * +------+---------+-------------+  +------------+  +-----------+
 *  octet   short       long          size octets       0xCE
 * </pre>
 */
public sealed interface Frame
    permits MethodFrame, ContentHeaderFrame, ContentBodyFrame, HeartbeatFrame {
  /** Frame type of a method frame. */
  int FRAME_METHOD = 1;

  /** Frame type of a content header frame. */
  int FRAME_HEADER = 2;

  /** Frame type of a content body frame. */
  int FRAME_BODY = 3;

  /** Frame type of a heartbeat frame. */
  int FRAME_HEARTBEAT = 8;

  /** The smallest frame-max a peer may negotiate, and the limit before {@code connection.tune}. */
  int FRAME_MIN_SIZE = 4096;

  /** The octet that ends every frame. */
  int FRAME_END = 0xCE;

  /** Octets of a frame that are not payload: type, channel, size and frame-end. */
  int FRAME_OVERHEAD = 8;

  /** The channel number, 0 for the connection itself. */
  int channel();
}
