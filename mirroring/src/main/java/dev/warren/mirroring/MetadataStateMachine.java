package dev.warren.mirroring;

import dev.warren.persistence.definitions.CommandFormatException;
import dev.warren.persistence.definitions.LogPosition;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of the metadata group: each committed entry is a {@link MetadataEntry}, handed
 * to the node's {@link MetadataApplier} (the broker's metadata writer), which applies it to H2 and
 * to the live broker state. The state proper is H2: this class keeps none, so it is deterministic
 * by construction (the commands carry every value; apply reads no clock).
 *
 * <p>Snapshots: none yet (Ratis' auto-trigger stays off, so the log is kept whole and a lagging or
 * restarted node catches up from it). The store records the position of the last entry it applied,
 * so entries replayed at restart that it already holds are skipped.
 *
 * <p>Threads: Ratis' state machine updater calls {@link #applyTransaction}, one entry at a time in
 * log order; the futures complete on the broker's metadata thread.
 */
final class MetadataStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);

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
      updateLastAppliedTermIndex(at);
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
    return applier
        .applyCommitted(entry, new LogPosition(at.getTerm(), at.getIndex()))
        .thenApply(
            applied -> {
              updateLastAppliedTermIndex(at);
              return Message.EMPTY;
            });
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
