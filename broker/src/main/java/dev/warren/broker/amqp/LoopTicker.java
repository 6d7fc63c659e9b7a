package dev.warren.broker.amqp;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The once-a-second tick of the connections of one event loop: one scheduled task per loop, not one
 * per connection. With a timer each, 10,000 idle connections woke their loop thousands of times a
 * second (each timer due at its own moment), about a fifth of a core spent in epoll wake-ups; with
 * one per loop, once a second.
 *
 * <p>Thread: the event loop's only; each loop has its own ticker, made on first use and started
 * with its first connection.
 */
final class LoopTicker {
  static final long TICK_MILLIS = 1000;

  private static final FastThreadLocal<LoopTicker> OF_LOOP =
      new FastThreadLocal<>() {
        @Override
        protected LoopTicker initialValue() {
          return new LoopTicker();
        }
      };

  /** In order of arrival, so a tick serves the oldest connections first. */
  private final Set<AmqpConnection> connections = new LinkedHashSet<>();

  private boolean started;

  private LoopTicker() {}

  /** The ticker of the calling event loop. Only on {@code loop}'s thread. */
  static LoopTicker of(EventLoop loop) {
    assert loop.inEventLoop();
    LoopTicker ticker = OF_LOOP.get();
    if (!ticker.started) {
      ticker.started = true;
      loop.scheduleAtFixedRate(ticker::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }
    return ticker;
  }

  void add(AmqpConnection connection) {
    connections.add(connection);
  }

  void remove(AmqpConnection connection) {
    connections.remove(connection);
  }

  /** Ticks every connection, iterating a copy: a connection that a tick closes removes itself. */
  private void tick() {
    for (AmqpConnection c : connections.toArray(new AmqpConnection[0])) {
      c.tick();
    }
  }
}
