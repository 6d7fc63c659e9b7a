package dev.warren.queue;

import dev.warren.queue.QueueSettings.Overflow;

/** Builds {@link QueueSettings} for tests, starting from "nothing set". */
final class Settings {
  private long messageTtl = -1;
  private long expires = -1;
  private long maxLength = -1;
  private long maxLengthBytes = -1;
  private Overflow overflow = Overflow.DROP_HEAD;
  private String deadLetterExchange;
  private int maxPriority;
  private boolean singleActiveConsumer;
  private long deliveryLimit = -1;

  static Settings settings() {
    return new Settings();
  }

  Settings messageTtl(long millis) {
    messageTtl = millis;
    return this;
  }

  Settings expires(long millis) {
    expires = millis;
    return this;
  }

  Settings maxLength(long n) {
    maxLength = n;
    return this;
  }

  Settings maxLengthBytes(long n) {
    maxLengthBytes = n;
    return this;
  }

  Settings overflow(Overflow o) {
    overflow = o;
    return this;
  }

  /** A dead-letter exchange named "dlx". */
  Settings deadLettering() {
    deadLetterExchange = "dlx";
    return this;
  }

  Settings maxPriority(int n) {
    maxPriority = n;
    return this;
  }

  Settings singleActiveConsumer() {
    singleActiveConsumer = true;
    return this;
  }

  Settings deliveryLimit(long n) {
    deliveryLimit = n;
    return this;
  }

  QueueSettings build() {
    return new QueueSettings(
        messageTtl,
        expires,
        maxLength,
        maxLengthBytes,
        overflow,
        deadLetterExchange,
        null,
        maxPriority,
        singleActiveConsumer,
        deliveryLimit,
        -1);
  }
}
