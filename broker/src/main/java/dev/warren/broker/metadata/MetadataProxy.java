package dev.warren.broker.metadata;

import dev.warren.persistence.definitions.DefinitionStore;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata thread ({@value #THREAD_NAME}): it owns the node's {@link DefinitionStore} and runs
 * the tasks that read or change it, one at a time, in the order they were submitted (DESIGN.md
 * sections 2 and 5). H2 blocks on disk, so event loops never call the store: they submit a task
 * here and continue when its future completes.
 *
 * <p>Threads: {@link #call} from any thread. Futures complete on the metadata thread, so their
 * callbacks must hand off (to a connection's outbox) and never block. {@link #close} once, after
 * the event loops have stopped.
 */
public final class MetadataProxy implements AutoCloseable {
  public static final String THREAD_NAME = "metadata";

  private static final Logger LOG = LoggerFactory.getLogger(MetadataProxy.class);

  /** The most {@link #close} waits for the tasks already submitted. */
  private static final long CLOSE_WAIT_SECONDS = 10;

  private final ExecutorService executor;

  /** Touched only on the metadata thread. */
  private final DefinitionStore store;

  private boolean closed;

  private MetadataProxy(ExecutorService executor, DefinitionStore store) {
    this.executor = executor;
    this.store = store;
  }

  /**
   * Starts the metadata thread and opens the store in {@code directory} on it.
   *
   * @throws dev.warren.persistence.definitions.DefinitionStoreException if the store cannot be
   *     opened (then no thread is left running)
   */
  public static MetadataProxy open(Path directory) {
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, THREAD_NAME);
              t.setDaemon(true);
              return t;
            });
    try {
      return new MetadataProxy(
          executor, executor.submit(() -> DefinitionStore.open(directory)).get());
    } catch (ExecutionException e) {
      executor.shutdown();
      if (e.getCause() instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      throw new IllegalStateException("cannot open the definitions store", e.getCause());
    } catch (InterruptedException e) {
      executor.shutdown();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted opening the definitions store", e);
    }
  }

  /**
   * Runs {@code task} with the store on the metadata thread, after every task submitted before it.
   * The future completes there with the task's result or exception; once the proxy is closed it
   * fails with {@link RejectedExecutionException}.
   */
  public <T> CompletableFuture<T> call(Function<DefinitionStore, T> task) {
    try {
      return CompletableFuture.supplyAsync(() -> task.apply(store), executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Runs the tasks already submitted, closes the store on the metadata thread and stops it (waiting
   * boundedly). Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    executor.execute(
        () -> {
          try {
            store.close();
          } catch (RuntimeException e) {
            LOG.error("cannot close the definitions store in {}", store.directory(), e);
          }
        });
    executor.shutdown();
    try {
      if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LOG.error(
            "the metadata thread did not stop within {} s; definitions store left open",
            CLOSE_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
