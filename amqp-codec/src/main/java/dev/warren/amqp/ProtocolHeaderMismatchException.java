package dev.warren.amqp;

import java.util.Arrays;

/**
 * The peer's first bytes were not {@code AMQP\0\0\9\1}. The spec (4.2.2) asks the server to answer
 * with {@link ProtocolHeader#AMQP_0_9_1} and close the socket; no {@code connection.close} is sent,
 * so this is not an {@link AmqpException}. Immutable.
 */
public final class ProtocolHeaderMismatchException extends RuntimeException {
  private final byte[] received;

  public ProtocolHeaderMismatchException(byte[] received) {
    super("unsupported protocol header " + Arrays.toString(received));
    this.received = received.clone();
  }

  /** The bytes received (at most 8; fewer if a mismatch was seen before all 8 arrived). */
  public byte[] received() {
    return received.clone();
  }
}
