package dev.warren.stress;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/**
 * Publishes on one channel in confirm mode and records every publish and every confirm in its
 * {@link Ledger.Log}: each message's id travels in its message-id property, and the publish
 * sequence number of the channel maps each basic.ack or basic.nack (single or multiple) back to the
 * ids it settles. At most {@code window} messages await their confirm at a time.
 *
 * <p>Threads: {@link #publish} and {@link #publishUntil} on one thread (the channel's publisher);
 * the confirm callbacks on the client's connection thread.
 */
final class ConfirmingPublisher {
  private static final long WINDOW_POLL_MILLIS = 50;

  private final Channel channel;
  private final Ledger.Log log;
  private final Semaphore window;
  private final ConcurrentSkipListMap<Long, Long> outstanding = new ConcurrentSkipListMap<>();

  ConfirmingPublisher(Channel channel, Ledger.Log log, int window) throws IOException {
    this.channel = channel;
    this.log = log;
    this.window = new Semaphore(window);
    channel.confirmSelect();
    channel.addConfirmListener((tag, multiple) -> settle(tag, multiple, true), this::nacked);
  }

  Channel channel() {
    return channel;
  }

  private void nacked(long tag, boolean multiple) {
    settle(tag, multiple, false);
  }

  private void settle(long tag, boolean multiple, boolean ack) {
    if (multiple) {
      ConcurrentNavigableMap<Long, Long> settled = outstanding.headMap(tag, true);
      for (Map.Entry<Long, Long> e : settled.entrySet()) {
        if (outstanding.remove(e.getKey()) != null) {
          log.confirmed(e.getValue(), ack);
          window.release();
        }
      }
    } else {
      Long id = outstanding.remove(tag);
      if (id != null) {
        log.confirmed(id, ack);
        window.release();
      }
    }
  }

  /**
   * Publishes one message once the window has room; false, without publishing, when {@code stop}
   * says so or the channel closed while waiting for room.
   */
  boolean publish(
      String exchange, String routingKey, boolean persistent, byte[] body, BooleanSupplier stop)
      throws IOException, InterruptedException {
    while (!window.tryAcquire(WINDOW_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
      if (stop.getAsBoolean() || !channel.isOpen()) {
        return false;
      }
    }
    if (stop.getAsBoolean()) {
      window.release();
      return false;
    }
    long id = log.publish();
    outstanding.put(channel.getNextPublishSeqNo(), id);
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .messageId(Long.toString(id))
            .deliveryMode(persistent ? 2 : 1)
            .build();
    channel.basicPublish(exchange, routingKey, props, body);
    return true;
  }

  /**
   * Publishes until {@code stop} says so or the channel closes (a broker that closes it or dies
   * ends the loop; that is the scenario's to judge); returns how many were published.
   */
  long publishUntil(
      BooleanSupplier stop,
      String exchange,
      LongFunction<String> routingKey,
      boolean persistent,
      byte[] body) {
    long n = 0;
    try {
      while (!stop.getAsBoolean()
          && publish(exchange, routingKey.apply(n), persistent, body, stop)) {
        n++;
      }
    } catch (IOException | RuntimeException e) {
      // The channel or connection closed under the publisher; what was confirmed stays counted.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return n;
  }

  /** Waits until every publish is confirmed, the channel closes, or {@code timeout} passes. */
  boolean awaitConfirms(Duration timeout) throws InterruptedException {
    return Waits.until(() -> outstanding.isEmpty() || !channel.isOpen(), timeout)
        && outstanding.isEmpty();
  }

  /** Publishes still waiting for their confirm. */
  int unconfirmed() {
    return outstanding.size();
  }
}
