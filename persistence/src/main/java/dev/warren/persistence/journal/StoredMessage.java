package dev.warren.persistence.journal;

import io.netty.buffer.ByteBuf;

/**
 * A message read back from the journal. The caller owns both buffers and must release each once,
 * for instance with {@link #release()}; they are slices of one buffer, so the memory is returned
 * when both are released.
 */
public record StoredMessage(long queueId, long messageId, ByteBuf properties, ByteBuf body) {

  /** Releases both buffers. */
  public void release() {
    properties.release();
    body.release();
  }
}
