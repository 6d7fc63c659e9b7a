package dev.warren.broker.amqp;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats of one connection (spec 4.2.7), on its event loop. Every half interval a check runs: a
 * heartbeat frame goes out if nothing was flushed since the last check, and a peer from which
 * nothing was read for four checks in a row (two intervals, as RabbitMQ) is disconnected.
 *
 * <p>Activity is two flags the connection sets as it reads and flushes, so traffic costs nothing
 * more. (Netty's {@code IdleStateHandler} tracks writes with a listener on every write's promise:
 * an allocation and a callback per delivery.)
 */
final class Heartbeats {
  private static final int SILENT_CHECKS = 4;

  private final Runnable beat;
  private final Runnable silent;
  private ScheduledFuture<?> checks;
  private boolean read;
  private boolean flushed;
  private int silentChecks;

  /** {@code beat} sends a heartbeat frame; {@code silent} disconnects a peer that went quiet. */
  Heartbeats(Runnable beat, Runnable silent) {
    this.beat = beat;
    this.silent = silent;
  }

  void start(EventExecutor loop, int intervalSeconds) {
    long half = intervalSeconds * 1000L / 2;
    checks = loop.scheduleAtFixedRate(this::check, half, half, TimeUnit.MILLISECONDS);
  }

  void stop() {
    if (checks != null) {
      checks.cancel(false);
    }
  }

  void read() {
    read = true;
  }

  void flushed() {
    flushed = true;
  }

  private void check() {
    if (read) {
      read = false;
      silentChecks = 0;
    } else if (++silentChecks >= SILENT_CHECKS) {
      stop();
      silent.run();
      return;
    }
    if (!flushed) {
      beat.run();
    }
    flushed = false;
  }
}
