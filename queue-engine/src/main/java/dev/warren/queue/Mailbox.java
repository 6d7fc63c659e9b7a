package dev.warren.queue;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jctools.queues.MpscUnboundedArrayQueue;

/**
 * Runs tasks one at a time, in the order they were offered, on an underlying executor: the
 * single-writer discipline of DESIGN.md section 2. Whatever state the tasks touch has one owner at
 * a time, and no lock.
 *
 * <p>Any thread may call {@link #execute}. When the caller is already on the executor's thread, is
 * not itself inside a mailbox task, and nothing is queued or running, the task runs at once,
 * without a hop through the executor. Tasks run in batches of at most {@value #BATCH}; after each
 * batch {@code afterBatch} runs (a connection flushes its socket there), then the mailbox yields
 * the thread to others.
 */
public final class Mailbox implements Executor {
  private static final int BATCH = 1024;

  /**
   * Whether the current thread is running some mailbox's task. A task never runs another mailbox's
   * task inline: actors calling each other back on one thread (a queue delivering into a
   * connection's outbox, whose writes resume the queue) would otherwise nest without end and never
   * give the thread back to its event loop.
   */
  private static final FastThreadLocal<Boolean> INSIDE =
      new FastThreadLocal<>() {
        @Override
        protected Boolean initialValue() {
          return Boolean.FALSE;
        }
      };

  private final Executor executor;
  private final OwnerThread owner;
  private final Runnable afterBatch;
  private final Queue<Runnable> tasks = new MpscUnboundedArrayQueue<>(256);
  private final AtomicBoolean running = new AtomicBoolean();
  private final Runnable drain = this::drain;

  /** Tells whether the calling thread is the one the executor runs tasks on. */
  @FunctionalInterface
  public interface OwnerThread {
    boolean isCurrent();
  }

  public Mailbox(Executor executor, OwnerThread owner, Runnable afterBatch) {
    this.executor = executor;
    this.owner = owner;
    this.afterBatch = afterBatch;
  }

  @Override
  public void execute(Runnable task) {
    if (owner.isCurrent()
        && !INSIDE.get()
        && tasks.isEmpty()
        && running.compareAndSet(false, true)) {
      INSIDE.set(true);
      try {
        task.run();
        afterBatch.run();
      } finally {
        INSIDE.set(false);
        release();
      }
      return;
    }
    tasks.offer(task);
    if (running.compareAndSet(false, true)) {
      executor.execute(drain);
    }
  }

  /** True while tasks are waiting; callers use it to push back on producers. */
  public boolean hasBacklog(int threshold) {
    return tasks.size() > threshold;
  }

  private void drain() {
    INSIDE.set(true);
    try {
      for (int i = 0; i < BATCH; i++) {
        Runnable task = tasks.poll();
        if (task == null) {
          break;
        }
        task.run();
      }
      afterBatch.run();
    } finally {
      INSIDE.set(false);
      release();
    }
  }

  private void release() {
    running.set(false);
    if (!tasks.isEmpty() && running.compareAndSet(false, true)) {
      executor.execute(drain);
    }
  }
}
