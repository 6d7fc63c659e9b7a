package dev.warren.persistence.journal;

/** The kinds of journal record; {@link #code} is the type byte on disk (see README, "Records"). */
public enum RecordType {
  /** A message stored for a queue: queue id, message id, flags, properties, body. */
  ENQUEUE(1),
  /** The message is settled (acked, or dropped by the queue): it is not recovered. */
  ACK(2),
  /** The message was handed to a consumer once: it is recovered with redelivered=true. */
  DELIVERED(3),
  /** Every message of the queue with an id up to the record's message id is gone. */
  PURGE(4),
  /** Every message of the queue is gone; the queue id is never used again. */
  DELETE_QUEUE(5);

  private static final RecordType[] BY_CODE = new RecordType[6];

  static {
    for (RecordType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  final byte code;

  RecordType(int code) {
    this.code = (byte) code;
  }

  /** The type with this code, or {@code null} when the byte names no type. */
  static RecordType of(byte code) {
    return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  /** Whether the record removes messages (and so must outlive the records it removes). */
  boolean isTombstone() {
    return this == ACK || this == PURGE || this == DELETE_QUEUE;
  }
}
