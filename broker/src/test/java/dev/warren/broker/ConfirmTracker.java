package dev.warren.broker;

import com.rabbitmq.client.ConfirmListener;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Publisher confirms by id: the publisher registers each publish sequence number before it
 * publishes, and each basic.ack settles that number, or with {@code multiple} every outstanding
 * number up to it (AMQP 0-9-1 confirm extension). A basic.nack settles them as not confirmed.
 *
 * <p>Every publish holds one permit of {@code window} until it is settled, which bounds the
 * unconfirmed messages in flight. {@link #sent} runs on the publisher thread, the listener methods
 * on the client's connection thread.
 */
final class ConfirmTracker implements ConfirmListener {
  private final NavigableMap<Long, String> outstanding = new ConcurrentSkipListMap<>();
  private final Consumer<String> confirmed;
  private final Consumer<String> nacked;
  private final Semaphore window;

  ConfirmTracker(Consumer<String> confirmed, Consumer<String> nacked, Semaphore window) {
    this.confirmed = confirmed;
    this.nacked = nacked;
    this.window = window;
  }

  /** Before the publish of {@code id} as {@code seqNo}, once the caller holds a window permit. */
  void sent(long seqNo, String id) {
    outstanding.put(seqNo, id);
  }

  /** Published but neither acked nor nacked yet. */
  int outstanding() {
    return outstanding.size();
  }

  @Override
  public void handleAck(long deliveryTag, boolean multiple) {
    settle(deliveryTag, multiple, confirmed);
  }

  @Override
  public void handleNack(long deliveryTag, boolean multiple) {
    settle(deliveryTag, multiple, nacked);
  }

  private void settle(long deliveryTag, boolean multiple, Consumer<String> outcome) {
    if (!multiple) {
      String id = outstanding.remove(deliveryTag);
      if (id != null) {
        outcome.accept(id);
        window.release();
      }
      return;
    }
    for (Map.Entry<Long, String> e = outstanding.firstEntry();
        e != null && e.getKey() <= deliveryTag;
        e = outstanding.firstEntry()) {
      if (outstanding.remove(e.getKey()) != null) {
        outcome.accept(e.getValue());
        window.release();
      }
    }
  }
}
