package dev.warren.broker.metadata;

import dev.warren.mirroring.MetadataApplier;
import dev.warren.mirroring.MetadataEntry;
import dev.warren.mirroring.MetadataGroup;
import dev.warren.mirroring.MetadataSnapshot;
import dev.warren.persistence.definitions.DefinitionStore;
import dev.warren.persistence.definitions.DefinitionWriter;
import dev.warren.persistence.definitions.LogPosition;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata writer: the one place definitions change (DESIGN.md sections 2 and 5). It owns the
 * node's {@link DefinitionStore} and runs the tasks that change definitions, one at a time, in the
 * order they were submitted, on the metadata thread ({@value #THREAD_NAME}). H2 blocks on disk, so
 * event loops never touch the store: they submit a task and continue when its future completes.
 *
 * <p>A change that needs no disk (a transient queue declared, a transient binding) would pay two
 * thread hops for nothing; so when the writer is idle, such a change runs at once on the caller's
 * thread, holding the writer's role (never blocking: a caller that finds the role taken queues its
 * change behind the others). One writer at a time, in order, still: a change that turns out to need
 * the store ({@link #change}: it asks for it with {@link StoreNeeded}) is handed, with the role, to
 * the metadata thread, which runs it before anything queued after it.
 *
 * <p>In a cluster ({@link #replicate}), tasks write through a {@link ClusterWriter}: their commands
 * are committed through the metadata log before they reach the store, and the entries other nodes
 * commit are applied here by the same thread, in log order ({@link #applyCommitted}). On a single
 * node the tasks write to the store itself, and no cluster code runs.
 *
 * <p>Threads: {@link #call} and {@link #change} from any thread. Futures complete on the thread
 * that ran the task: their callbacks must hand off (to a connection's outbox) and never block.
 * {@link #applyCommitted} from Ratis' apply thread. {@link #close} once, after the event loops have
 * stopped.
 */
public final class MetadataProxy implements MetadataApplier, AutoCloseable {
  public static final String THREAD_NAME = "metadata";

  private static final Logger LOG = LoggerFactory.getLogger(MetadataProxy.class);

  /** The most {@link #close} waits for the tasks already submitted. */
  private static final long CLOSE_WAIT_SECONDS = 10;

  /** Thrown by a change running away from the metadata thread that needs the store after all. */
  public static final class StoreNeeded extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final StoreNeeded INSTANCE = new StoreNeeded();

    private StoreNeeded() {
      super(null, null, false, false);
    }
  }

  /** A task and the future of its result. */
  private record Task<T>(Function<DefinitionWriter, T> work, CompletableFuture<T> done) {
    void run(DefinitionWriter store) {
      T result;
      try {
        result = work.apply(store);
      } catch (RuntimeException | Error e) {
        done.completeExceptionally(e);
        return;
      }
      done.complete(result);
    }
  }

  private final Queue<Task<?>> tasks = new ConcurrentLinkedQueue<>();

  /** Committed entries and snapshots of the metadata log, in log order (a cluster only). */
  private final Queue<ClusterWriter.Step> steps = new ConcurrentLinkedQueue<>();

  /** Set once by {@link #replicate}; null on a single node. */
  private volatile ClusterWriter cluster;

  /** Held by whoever is running a change: the metadata thread or, briefly, a caller. */
  private final AtomicBoolean writing = new AtomicBoolean();

  /** A caller's change that needs the store, handed to the metadata thread with the role. */
  private volatile Task<?> handedOver;

  private volatile boolean closing;
  private final Thread thread;

  /** Touched only by the metadata thread once it runs. */
  private final DefinitionStore store;

  private final CompletableFuture<Void> stopped = new CompletableFuture<>();

  private MetadataProxy(DefinitionStore store) {
    this.store = store;
    this.thread = new Thread(this::loop, THREAD_NAME);
    thread.setDaemon(true);
  }

  /**
   * Opens the store in {@code directory} and starts the metadata thread, which owns it from then
   * on.
   *
   * @throws dev.warren.persistence.definitions.DefinitionStoreException if the store cannot be
   *     opened (then no thread is started)
   */
  public static MetadataProxy open(Path directory) {
    MetadataProxy proxy = new MetadataProxy(DefinitionStore.open(directory));
    proxy.thread.start();
    return proxy;
  }

  /**
   * Runs {@code task} with the store on the metadata thread, after every task submitted before it.
   * The future completes there with the task's result or exception; once the proxy is closed it
   * fails with {@link RejectedExecutionException}.
   */
  public <T> CompletableFuture<T> call(Function<DefinitionWriter, T> task) {
    CompletableFuture<T> done = new CompletableFuture<>();
    if (closing) {
      done.completeExceptionally(new RejectedExecutionException("metadata thread stopped"));
      return done;
    }
    tasks.add(new Task<>(task, done));
    wakeWriter();
    return done;
  }

  /**
   * Runs a change of definitions, in order with every other task: at once on the caller's thread
   * when the writer is idle, with no store (null), or else on the metadata thread with it. A change
   * given no store that needs it throws {@link StoreNeeded}: it is then run again on the metadata
   * thread, before anything submitted after it. So a change must not alter anything before it knows
   * whether it needs the store.
   */
  public <T> CompletableFuture<T> change(Function<DefinitionWriter, T> task) {
    if (closing
        || !tasks.isEmpty()
        || !steps.isEmpty()
        || handedOver != null
        || !writing.compareAndSet(false, true)) {
      return call(task);
    }
    CompletableFuture<T> done = new CompletableFuture<>();
    T result;
    try {
      result = task.apply(null);
    } catch (StoreNeeded needed) {
      handedOver = new Task<>(task, done); // the metadata thread takes over, role and all
      LockSupport.unpark(thread);
      return done;
    } catch (RuntimeException | Error e) {
      release();
      done.completeExceptionally(e);
      return done;
    }
    release();
    done.complete(result); // callbacks run without the role
    return done;
  }

  private void release() {
    writing.set(false);
    if (!tasks.isEmpty() || !steps.isEmpty()) {
      wakeWriter();
    }
  }

  /**
   * Makes this node's writer a member of the cluster's metadata group: from now on every change is
   * committed through {@code group} before it is stored, and the entries the group commits are
   * applied here and put into effect with {@code effects}. Called once at start-up, after the
   * definitions are rebuilt and before any client connects; blocks until the writer has switched.
   */
  void replicate(MetadataGroup group, CommittedEffects effects, long commitTimeoutNanos) {
    call(store -> {
          cluster = new ClusterWriter(this.store, group, effects, steps, commitTimeoutNanos);
          LOG.info(
              "node {}: definitions replicated through the metadata group; store at log index {}",
              group.nodeName(),
              cluster.appliedIndex());
          return null;
        })
        .join();
    wakeWriter();
  }

  /**
   * A committed entry of the metadata log, handed to the writer: applied (to the store, then put
   * into effect) in log order on the metadata thread. Ratis' apply thread calls this; the future
   * completes once the entry is applied here.
   */
  @Override
  public CompletableFuture<Void> applyCommitted(MetadataEntry entry, LogPosition position) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    steps.add(new ClusterWriter.Committed(entry, position, done));
    wakeWriter();
    return done;
  }

  /** Ratis takes a snapshot: the store's definitions, read by the writer in log order. */
  @Override
  public CompletableFuture<MetadataSnapshot> snapshot() {
    CompletableFuture<MetadataSnapshot> done = new CompletableFuture<>();
    steps.add(new ClusterWriter.TakeSnapshot(done));
    wakeWriter();
    return done;
  }

  /** Ratis has a snapshot for this node: the writer catches up to it, in log order. */
  @Override
  public void install(MetadataSnapshot snapshot) {
    steps.add(new ClusterWriter.InstallSnapshot(snapshot));
    wakeWriter();
  }

  /** What tasks write through: the cluster's writer, or the store itself. */
  private DefinitionWriter writer() {
    ClusterWriter c = cluster;
    return c == null ? store : c;
  }

  private void wakeWriter() {
    LockSupport.unpark(thread);
  }

  private void loop() {
    while (true) {
      Task<?> taken = handedOver;
      if (taken != null) {
        handedOver = null; // the role came with it
        taken.run(writer());
        drain();
        continue;
      }
      if ((!tasks.isEmpty() || (cluster != null && !steps.isEmpty()))
          && writing.compareAndSet(false, true)) {
        drain();
        continue;
      }
      if (closing && tasks.isEmpty() && handedOver == null) {
        break;
      }
      LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
    }
    // The store is closed: what the metadata group handed over since is not applied here (the
    // log keeps it for the next start), and Ratis, stopping next, must not wait for it.
    ClusterWriter.Step left;
    while ((left = steps.poll()) != null) {
      ClusterWriter.abandon(left);
    }
    stopped.complete(null);
  }

  /** Applies committed entries and runs queued tasks while holding the role, then gives it up. */
  private void drain() {
    while (true) {
      ClusterWriter c = cluster;
      ClusterWriter.Step step = c == null ? null : steps.poll();
      if (step != null) {
        c.run(step);
        continue;
      }
      Task<?> next = tasks.poll();
      if (next == null) {
        break;
      }
      next.run(writer());
    }
    writing.set(false);
  }

  /**
   * Runs the tasks already submitted, closes the store on the metadata thread and stops it (waiting
   * boundedly). Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closing) {
      return;
    }
    tasks.add(
        new Task<>(
            s -> {
              try {
                store.close();
              } catch (RuntimeException e) {
                LOG.error("cannot close the definitions store in {}", store.directory(), e);
              }
              return null;
            },
            new CompletableFuture<>()));
    closing = true;
    wakeWriter();
    try {
      stopped.get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.error(
          "the metadata thread did not stop within {} s; definitions store left open",
          CLOSE_WAIT_SECONDS);
    }
  }
}
