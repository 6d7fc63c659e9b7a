package dev.warren.broker.metadata;

import dev.warren.mirroring.MetadataEntry;
import dev.warren.mirroring.MetadataGroup;
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

  /** A committed entry for the writer, and the future Ratis waits on. */
  record Committed(MetadataEntry entry, LogPosition position, CompletableFuture<Void> done) {}

  private final DefinitionStore store;
  private final MetadataGroup group;
  private final CommittedEffects effects;
  private final Queue<Committed> committed;
  private final long timeoutNanos;

  /** Names this process's entries: a restarted node never mistakes an old entry for its own. */
  private final String origin;

  private long sequence;
  private long appliedIndex;

  ClusterWriter(
      DefinitionStore store,
      MetadataGroup group,
      CommittedEffects effects,
      Queue<Committed> committed,
      long timeoutNanos) {
    this.store = store;
    this.group = group;
    this.effects = effects;
    this.committed = committed;
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
      Committed next = committed.poll();
      if (next != null) {
        if (next.entry().isFrom(origin, mine.sequence())) {
          return applyOwn(next);
        }
        applyCommitted(next);
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

  /**
   * An entry this writer is not waiting for (another node's, or one of its own whose change gave up
   * waiting): into the store, then into effect. One the store holds already (replayed at restart)
   * is skipped.
   */
  void applyCommitted(Committed next) {
    LogPosition at = next.position();
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
