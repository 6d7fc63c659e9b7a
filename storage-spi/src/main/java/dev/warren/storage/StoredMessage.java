package dev.warren.storage;

import io.netty.buffer.ByteBuf;

/**
 * A message read back from a {@link MessageLog} or {@link SpillStore}: the two parts it was written
 * with. The receiver owns both buffers and must release each once, for instance with {@link
 * #release()}.
 */
public record StoredMessage(long messageId, ByteBuf metadata, ByteBuf body) {

  /** Releases both buffers. */
  public void release() {
    metadata.release();
    body.release();
  }
}
