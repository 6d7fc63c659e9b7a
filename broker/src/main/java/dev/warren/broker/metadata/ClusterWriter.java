package dev.warren.broker.metadata;

import dev.warren.mirroring.MetadataEntry;
import dev.warren.mirroring.MetadataGroup;
import dev.warren.mirroring.MetadataSnapshot;
import dev.warren.mirroring.MetadataUnavailableException;
import dev.warren.persistence.definitions.Applied;
import dev.warren.persistence.definitions.DefinitionCommand;
import dev.warren.persistence.definitions.DefinitionStore;
import dev.warren.persistence.definitions.DefinitionWriter;
import dev.warren.persistence.definitions.Definitions;
import dev.warren.persistence.definitions.InvalidCommandException;
import dev.warren.persistence.definitions.LogPosition;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata writer's {@link DefinitionWriter} in a cluster: a change's commands become one entry
 * of the replicated metadata log ({@link MetadataGroup}), and are applied to this node's store when
 * that entry comes back committed, in log order with the entries the other nodes made. While a
 * change waits for its entry, the writer applies the committed entries that come before it ({@link
 * #applyCommitted}: store, then live state through {@link CommittedEffects}); its own entry it
 * applies to the store only, and returns, so that the change goes on to put itself into effect as
 * on a single node. So every node applies every entry in the same order, through the same store
 * code, and a change's caller hears of it only once it is committed and applied here.
 *
 * <p>A change that is not committed within the cluster's commit timeout fails with {@link
 * MetadataUnavailableException}, having changed nothing here.
 *
 * <p>Threads: the metadata thread only (it owns the store); {@link MetadataProxy} hands it the
 * committed entries through a queue and wakes it.
 */
final class ClusterWriter implements DefinitionWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterWriter.class);

  /** What the writer does for the metadata group, in log order. */
  sealed interface Step permits Committed, TakeSnapshot, InstallSnapshot {}

  /** A committed entry for the writer, and the future Ratis waits on. */
  record Committed(MetadataEntry entry, LogPosition position, CompletableFuture<Void> done)
      implements Step {}

  /** Ratis takes a snapshot: the store's definitions as of the last entry applied. */
  record TakeSnapshot(CompletableFuture<MetadataSnapshot> done) implements Step {}

  /** Ratis installed (or found at start) a snapshot: catch up to it unless the store has. */
  record InstallSnapshot(MetadataSnapshot snapshot) implements Step {}

  private final DefinitionStore store;
  private final MetadataGroup group;
  private final CommittedEffects effects;
  private final Queue<Step> steps;
  private final long timeoutNanos;

  /** Names this process's entries: a restarted node never mistakes an old entry for its own. */
  private final String origin;

  private long sequence;
  private long appliedIndex;

  ClusterWriter(
      DefinitionStore store,
      MetadataGroup group,
      CommittedEffects effects,
      Queue<Step> steps,
      long timeoutNanos) {
    this.store = store;
    this.group = group;
    this.effects = effects;
    this.steps = steps;
    this.timeoutNanos = timeoutNanos;
    this.origin = group.nodeName() + "/" + UUID.randomUUID();
    this.appliedIndex = store.logPosition().index();
  }

  /** The index of the last entry this node's store applied. */
  long appliedIndex() {
    return appliedIndex;
  }

  @Override
  public List<Applied> applyAll(List<? extends DefinitionCommand> commands) {
    MetadataEntry mine = new MetadataEntry(origin, ++sequence, List.copyOf(commands));
    CompletableFuture<Void> submitted = group.submit(mine);
    long deadline = System.nanoTime() + timeoutNanos;
    while (true) {
      Step next = steps.poll();
      if (next != null) {
        if (next instanceof Committed c && c.entry().isFrom(origin, mine.sequence())) {
          return applyOwn(c);
        }
        run(next);
        continue;
      }
      if (submitted.isCompletedExceptionally()) {
        throw unavailable(submitted);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new MetadataUnavailableException(
            "metadata store unavailable: the change was not committed and applied here within "
                + timeoutNanos / 1_000_000
                + " ms",
            null);
      }
      LockSupport.parkNanos(this, left);
    }
  }

  private static MetadataUnavailableException unavailable(CompletableFuture<Void> submitted) {
    try {
      submitted.get();
      throw new IllegalStateException("not failed");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof MetadataUnavailableException unavailable) {
        return unavailable;
      }
      return new MetadataUnavailableException("metadata store unavailable: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new MetadataUnavailableException("metadata store unavailable: interrupted", e);
    }
  }

  /** The writer's own entry, committed: into the store; the change itself does the rest. */
  private List<Applied> applyOwn(Committed mine) {
    LOG.debug(
        "node {}: own entry {} #{}: {}",
        group.nodeName(),
        mine.position().index(),
        mine.entry().sequence(),
        mine.entry().commands());
    try {
      List<Applied> applied = store.applyLogged(mine.entry().commands(), mine.position());
      appliedIndex = mine.position().index();
      mine.done().complete(null);
      return applied;
    } catch (InvalidCommandException refused) {
      appliedIndex = mine.position().index();
      mine.done().complete(null);
      throw refused;
    } catch (RuntimeException failed) {
      mine.done().completeExceptionally(failed);
      throw failed;
    }
  }

  /** Fails a step the writer will never do (it has stopped). */
  static void abandon(Step step) {
    RejectedExecutionException stopped = new RejectedExecutionException("metadata thread stopped");
    if (step instanceof Committed c) {
      c.done().completeExceptionally(stopped);
    } else if (step instanceof TakeSnapshot t) {
      t.done().completeExceptionally(stopped);
    }
  }

  /** Does one step for the metadata group. */
  void run(Step step) {
    if (step instanceof Committed c) {
      applyCommitted(c);
    } else if (step instanceof TakeSnapshot t) {
      try {
        t.done().complete(MetadataSnapshot.of(store.logPosition(), store.load()));
      } catch (RuntimeException e) {
        t.done().completeExceptionally(e);
      }
    } else if (step instanceof InstallSnapshot i) {
      install(i.snapshot());
    }
  }

  /**
   * Brings this node's definitions to those of {@code snapshot}, as one entry at its position: the
   * differences (deletes of what it lacks, puts of what is new or changed) go through the store and
   * into effect as any committed entry. Nothing if the store has applied that position already.
   */
  private void install(MetadataSnapshot snapshot) {
    LogPosition at = snapshot.position();
    if (at.index() <= appliedIndex) {
      return;
    }
    List<DefinitionCommand> changes = snapshot.changesFrom(store.load());
    List<Applied> applied;
    try {
      applied = store.applyLogged(changes, at);
    } catch (RuntimeException failed) {
      LOG.error(
          "node {}: the metadata snapshot at log index {} cannot be installed; this node's"
              + " definitions now lag the cluster's",
          group.nodeName(),
          at.index(),
          failed);
      return;
    }
    appliedIndex = at.index();
    try {
      effects.apply(changes, applied);
    } catch (RuntimeException failed) {
      LOG.error(
          "node {}: the metadata snapshot at log index {} is stored but not all of it could be put"
              + " into effect",
          group.nodeName(),
          at.index(),
          failed);
    }
    LOG.info(
        "node {}: definitions brought to the metadata snapshot at log index {} ({} changes)",
        group.nodeName(),
        at.index(),
        changes.size());
  }

  /**
   * An entry this writer is not waiting for (another node's, or one of its own whose change gave up
   * waiting): into the store, then into effect. One the store holds already (replayed at restart)
   * is skipped.
   */
  private void applyCommitted(Committed next) {
    LogPosition at = next.position();
    LOG.debug(
        "node {}: committed entry {} from {} #{}: {}",
        group.nodeName(),
        at.index(),
        next.entry().origin(),
        next.entry().sequence(),
        next.entry().commands());
    if (at.index() <= appliedIndex) {
      next.done().complete(null);
      return;
    }
    List<Applied> applied;
    try {
      applied = store.applyLogged(next.entry().commands(), at);
    } catch (InvalidCommandException refused) {
      appliedIndex = at.index();
      LOG.debug("committed entry {} refused here as on its origin: {}", at, refused.getMessage());
      next.done().complete(null);
      return;
    } catch (RuntimeException failed) {
      LOG.error(
          "node {}: committed metadata entry {} cannot be stored; this node's definitions now"
              + " lag the cluster's",
          group.nodeName(),
          at,
          failed);
      next.done().completeExceptionally(failed);
      return;
    }
    appliedIndex = at.index();
    try {
      effects.apply(next.entry().commands(), applied);
    } catch (RuntimeException failed) {
      LOG.error(
          "node {}: committed metadata entry {} is stored but could not be put into effect: {}",
          group.nodeName(),
          at,
          next.entry().commands(),
          failed);
    }
    next.done().complete(null);
  }

  @Override
  public Definitions load() {
    return store.load();
  }
}
