package dev.warren.queue;

/**
 * A subscription to a queue (basic.consume), implemented by whoever turns deliveries into frames.
 * Every method is called on the queue's owner thread and must return at once without blocking.
 */
public interface QueueConsumer {
  /** The consumer tag, as the client knows it. */
  String tag();

  /** basic.consume no-ack: the queue forgets a message as soon as it is delivered. */
  boolean noAck();

  /** The {@code x-priority} consume argument; higher priorities are served first. */
  int priority();

  /**
   * Reserves room for one delivery (prefetch window, socket writability). A reservation is always
   * followed by {@link #deliver}. When this returns false the queue stops offering until {@link
   * MessageQueue#resume()} is called for this consumer.
   */
  boolean tryReserve();

  /**
   * Whether the last {@link #tryReserve} failed only because the consumer's connection has enough
   * waiting to be written: it takes messages as fast as the network carries them, and {@link
   * MessageQueue#resume()} follows once that drains.
   */
  default boolean waitsForConnection() {
    return false;
  }

  /**
   * What this consumer's deliveries wait for when it {@link #waitsForConnection}: consumers that
   * return the same object share it, so while one of them waits for it none of the others is
   * offered the message in its place (a lower-priority consumer of the same connection never takes
   * what a higher one waits to be able to take). By default each consumer is alone.
   */
  default Object connection() {
    return this;
  }

  /**
   * On a single-active-consumer queue only: this consumer became the one that receives ({@code
   * true}) or one that waits for it to go ({@code false}).
   */
  default void singleActive(boolean active) {}

  /**
   * Gives back a reservation that no delivery followed: the queue reserved room before asking
   * another node for messages, and fewer came. Only a queue that forwards to its log's leader calls
   * it.
   */
  default void unreserve() {}

  /** Hands over a delivery; the consumer owns {@code delivery.message()} from now on. */
  void deliver(Delivery delivery);

  /** The queue was deleted under the consumer (the server-sent basic.cancel). */
  void cancelledByQueue(MessageQueue queue);
}
