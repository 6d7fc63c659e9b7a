package dev.warren.mirroring;

import dev.warren.persistence.definitions.CommandFormatException;
import dev.warren.persistence.definitions.LogPosition;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of the metadata group: each committed entry is a {@link MetadataEntry}, handed
 * to the node's {@link MetadataApplier} (the broker's metadata writer), which applies it to H2 and
 * to the live broker state. The state proper is H2: this class keeps none, so it is deterministic
 * by construction (the commands carry every value; apply reads no clock).
 *
 * <p>Snapshots: {@link #takeSnapshot} writes the definitions as of the last applied entry (a {@link
 * MetadataSnapshot} from the applier, taken in log order) to a file of Ratis' snapshot storage
 * ({@code snapshot.TERM_INDEX}, with its MD5), after which Ratis may purge the log up to it. A node
 * that lags behind the purged log is sent that file by the leader; Ratis then calls {@link
 * #reinitialize}, and the applier changes the node's definitions to the snapshot's. The store
 * records the position of the last entry it applied, so entries replayed at restart that it already
 * holds are skipped.
 *
 * <p>Threads: Ratis' state machine updater calls {@link #applyTransaction}, {@link #takeSnapshot}
 * and {@link #reinitialize}, one at a time in log order; the futures complete on the broker's
 * metadata thread.
 */
final class MetadataStateMachine extends SnapshotFileStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);

  /** The most a snapshot waits for the applier (which may be waiting for a change to commit). */
  private static final long SNAPSHOT_WAIT_SECONDS = 60;

  private final String nodeName;
  private final MetadataApplier applier;
  private volatile String leader;

  MetadataStateMachine(String nodeName, MetadataApplier applier) {
    this.nodeName = nodeName;
    this.applier = applier;
  }

  /** The node leading the metadata group as this node last heard, or null while it knows none. */
  String leader() {
    return leader;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
    LogEntryProto logged = transaction.getLogEntry();
    TermIndex at = TermIndex.valueOf(logged);
    MetadataEntry entry;
    try {
      entry = MetadataEntry.decode(logged.getStateMachineLogEntry().getLogData().toByteArray());
    } catch (CommandFormatException e) {
      // Written by a node of another version: every node of this version skips it alike.
      LOG.error("metadata log entry {} cannot be read, skipped: {}", at, e.getMessage());
      applied(at);
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
    return applier
        .applyCommitted(entry, new LogPosition(at.getTerm(), at.getIndex()))
        .thenApply(
            applied -> {
              applied(at);
              return Message.EMPTY;
            });
  }

  /**
   * Ratis applied an entry that is not the state machine's (a configuration change, a leader's
   * no-op): counted as applied, as the base class does, but never backwards: an entry of ours
   * before it may complete later, on the metadata thread.
   */
  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    applied(TermIndex.valueOf(term, index));
  }

  private synchronized void applied(TermIndex at) {
    if (at.getIndex() > getLastAppliedTermIndex().getIndex()) {
      setLastAppliedTermIndex(at);
    }
  }

  /** The snapshot's definitions, which the applier catches up to unless its store has. */
  @Override
  protected void load(Path file, TermIndex at) throws IOException {
    MetadataSnapshot snapshot;
    try {
      snapshot = MetadataSnapshot.decode(Files.readAllBytes(file));
    } catch (CommandFormatException e) {
      throw new IOException("metadata snapshot " + file + " cannot be read: " + e.getMessage(), e);
    }
    LOG.info(
        "node {}: metadata snapshot at log index {} ({} definitions) loaded",
        nodeName,
        snapshot.position().index(),
        snapshot.commands().size());
    applier.install(snapshot);
    synchronized (this) {
      setLastAppliedTermIndex(at);
    }
  }

  @Override
  public long takeSnapshot() throws IOException {
    MetadataSnapshot snapshot;
    try {
      snapshot = applier.snapshot().get(SNAPSHOT_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted taking a metadata snapshot", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("cannot take a metadata snapshot: " + e, e);
    }
    LogPosition at = snapshot.position();
    if (at.index() <= 0) {
      return RaftLog.INVALID_LOG_INDEX;
    }
    File file = storage.getSnapshotFile(at.term(), at.index());
    Path written = file.toPath().resolveSibling(file.getName() + ".tmp");
    Files.write(written, snapshot.encode());
    Files.move(written, file.toPath(), StandardCopyOption.ATOMIC_MOVE);
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
    storage.updateLatestSnapshot(
        new SingleFileSnapshotInfo(
            new FileInfo(file.toPath(), md5), TermIndex.valueOf(at.term(), at.index())));
    LOG.info(
        "node {}: metadata snapshot at log index {} ({} definitions)",
        nodeName,
        at.index(),
        snapshot.commands().size());
    return at.index();
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeader) {
    String before = leader;
    leader = newLeader == null ? null : newLeader.toString();
    LOG.info(
        "node {}: metadata group leader is now {} (was {})",
        nodeName,
        leader == null ? "unknown" : leader,
        before == null ? "unknown" : before);
  }
}
