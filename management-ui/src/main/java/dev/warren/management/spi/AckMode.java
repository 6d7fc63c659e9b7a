package dev.warren.management.spi;

/** What happens to messages taken by {@code POST /api/queues/{vhost}/{queue}/get}. */
public enum AckMode {
  /** Taken, then put back where they were, flagged redelivered. */
  ACK_REQUEUE_TRUE("ack_requeue_true"),
  /** Taken and acked: gone. */
  ACK_REQUEUE_FALSE("ack_requeue_false"),
  /** Rejected and requeued. */
  REJECT_REQUEUE_TRUE("reject_requeue_true"),
  /** Rejected without requeue: dead-lettered where the queue says so. */
  REJECT_REQUEUE_FALSE("reject_requeue_false");

  private final String word;

  AckMode(String word) {
    this.word = word;
  }

  /** RabbitMQ's JSON value for the mode. */
  public String word() {
    return word;
  }
}
