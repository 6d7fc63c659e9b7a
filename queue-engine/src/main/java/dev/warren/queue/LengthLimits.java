package dev.warren.queue;

import dev.warren.queue.QueueSettings.Overflow;

/**
 * {@code x-max-length}, {@code x-max-length-bytes} and {@code x-overflow}, over ready messages only
 * (unacked ones do not count), as RabbitMQ counts them. Drop-head lets a publish in and then drops
 * the oldest while a limit is exceeded; reject-publish refuses a publish that would exceed one
 * (length + 1 > max, bytes + body > max). Stateless; used on the queue's thread.
 */
final class LengthLimits {
  private final long maxLength;
  private final long maxBytes;
  private final Overflow overflow;

  LengthLimits(QueueSettings settings) {
    this.maxLength = settings.maxLength();
    this.maxBytes = settings.maxLengthBytes();
    this.overflow = settings.overflow() == null ? Overflow.DROP_HEAD : settings.overflow();
  }

  boolean bounded() {
    return maxLength >= 0 || maxBytes >= 0;
  }

  /** Reject-publish: whether {@code message} must be refused. */
  boolean refuses(ReadyMessages ready, Message message) {
    return overflow != Overflow.DROP_HEAD
        && ((maxLength >= 0 && ready.size() >= maxLength)
            || (maxBytes >= 0 && ready.bytes() + message.bodySize() > maxBytes));
  }

  /** Whether a refused message is dead-lettered (reject-publish-dlx) rather than dropped. */
  boolean deadLettersRefused() {
    return overflow == Overflow.REJECT_PUBLISH_DLX;
  }

  /** Drop-head: whether the head must go. */
  boolean exceeded(ReadyMessages ready) {
    return overflow == Overflow.DROP_HEAD
        && ((maxLength >= 0 && ready.size() > maxLength)
            || (maxBytes >= 0 && ready.bytes() > maxBytes));
  }
}
