package dev.warren.queue;

import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jctools.queues.MpscUnboundedArrayQueue;

/**
 * Runs tasks one at a time, in the order they were offered, on an underlying executor: the
 * single-writer discipline of DESIGN.md section 2. Whatever state the tasks touch has one owner at
 * a time, and no lock.
 *
 * <p>Any thread may call {@link #execute}. When the caller is already on the executor's thread and
 * nothing is queued or running, the task runs at once, without a hop through the executor. Tasks
 * run in batches of at most {@value #BATCH}; after each batch {@code afterBatch} runs (a connection
 * flushes its socket there), then the mailbox yields the thread to others.
 */
public final class Mailbox implements Executor {
  private static final int BATCH = 1024;

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
    if (owner.isCurrent() && tasks.isEmpty() && running.compareAndSet(false, true)) {
      try {
        task.run();
        afterBatch.run();
      } finally {
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
