package dev.warren.broker.vhost;

import dev.warren.queue.Scheduler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Queue timers on a Netty event loop (its timer wheel), with the JVM's monotonic clock for
 * deadlines and the system clock for the publish times queues store.
 */
public record EventLoopScheduler(EventExecutor loop) implements Scheduler {
  @Override
  public long nowMillis() {
    return System.nanoTime() / 1_000_000;
  }

  @Override
  public long epochMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public Cancellable schedule(Runnable task, long delayMillis) {
    ScheduledFuture<?> timer = loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    return () -> timer.cancel(false);
  }
}
