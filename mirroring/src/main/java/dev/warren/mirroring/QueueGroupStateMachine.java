package dev.warren.mirroring;

import dev.warren.storage.Leadership;
import dev.warren.storage.RecoveredLog;
import dev.warren.storage.RemoteQueue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one queue group on this node: applies each committed {@link QueueGroupEntry}
 * to the group's {@link QueueGroupState}, in log order (a log entry may hold a {@link
 * QueueGroupBatch} of them), and answers 1 (applied) or 0 (refused) for each. It tells the queues
 * of the group that live on this node when this node starts and stops leading the group ({@link
 * Leadership}): a queue serves only on its group's leader.
 *
 * <p>Leading: from Ratis' {@code notifyLeaderReady} (this node's first entry as leader is
 * committed) until it hears of another leader or none. A queue that becomes leader recovers through
 * a barrier entry ({@link #barrier}): once that entry is applied here, every entry committed before
 * it is too, so the state read then is the log's.
 *
 * <p>Snapshots: every {@code snapshotEvery} entries, the whole state to {@code
 * sm/snapshot.TERM_INDEX} (with its MD5; format in {@link QueueGroupState#write}, after the term
 * and index as two i64), after which Ratis purges the log up to it; a lagging follower is sent the
 * file and loads it in {@link #reinitialize}.
 *
 * <p>Threads: Ratis' state machine updater applies, snapshots and reinitializes; leadership events
 * come on Ratis' threads and are passed to the queues as they come (queues hand off).
 */
final class QueueGroupStateMachine extends SnapshotFileStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(QueueGroupStateMachine.class);

  static final Message APPLIED = Message.valueOf(ByteString.copyFrom(new byte[] {1}));
  static final Message REFUSED = Message.valueOf(ByteString.copyFrom(new byte[] {0}));

  private final String nodeName;
  private final int index;
  private final QueueGroupState state = new QueueGroupState();

  /** The queues of this node in the group; its monitor orders subscriptions and leader changes. */
  private final Map<Long, Leadership> queues = new ConcurrentHashMap<>();

  private final Map<Long, Barrier> barriers = new ConcurrentHashMap<>();

  /** The queues of this node in the group, as they serve commands forwarded by other nodes. */
  private final Map<Long, RemoteQueue> served = new ConcurrentHashMap<>();

  /** What the queues here lent to other nodes while this node leads. */
  private final Loans loans =
      new Loans(served::get, node -> served.values().forEach(q -> q.nodeGone(node)));

  /** Told of each leader this node learns of, other than itself (it greets it). */
  private volatile Consumer<String> greeter = leader -> {};

  /** Forwarded commands waiting for their queue to be made here, by queue id. */
  private final Map<Long, CompletableFuture<RemoteQueue>> awaited = new ConcurrentHashMap<>();

  private final long waitMillis;

  private volatile boolean leading;
  private volatile String leader;

  private record Barrier(long queueId, CompletableFuture<RecoveredLog> recovered) {}

  /**
   * @param waitMillis how long a forwarded command waits for its queue to be made here (its
   *     definition committed by the metadata group, applied here a little after the sender's node)
   */
  QueueGroupStateMachine(String nodeName, int index, long waitMillis) {
    this.nodeName = nodeName;
    this.index = index;
    this.waitMillis = waitMillis;
  }

  QueueGroupState state() {
    return state;
  }

  /** The node leading the group as this node last heard, or null. */
  String leader() {
    return leader;
  }

  /** Whether this node leads the group and may serve its queues. */
  boolean leading() {
    return leading;
  }

  /**
   * The queue {@code queueId} of this node follows the group's leadership from now on; told at once
   * if this node leads it, or which node does.
   */
  void subscribe(long queueId, Leadership leadership) {
    synchronized (queues) {
      queues.put(queueId, leadership);
      String other = leader;
      if (leading) {
        leadership.becameLeader();
      } else if (other != null && !other.equals(nodeName)) {
        leadership.follows(other);
      }
    }
  }

  void unsubscribe(long queueId) {
    queues.remove(queueId);
    served.remove(queueId);
    loans.forget(queueId);
  }

  /** {@code greeter} is told of each leader this node learns of, other than itself. */
  void greetLeadersWith(Consumer<String> greeter) {
    this.greeter = greeter;
  }

  /**
   * Node {@code node} was seen stopped: the messages it took from the queues here, while this node
   * leads, go back to them ({@link Loans}).
   */
  void nodeStopped(String node) {
    int recalled = loans.recall(node);
    if (recalled > 0) {
      LOG.info(
          "node {}: queue group {}: node {} stopped; {} messages it took requeued",
          nodeName,
          index,
          node,
          recalled);
    }
  }

  /** Commands other nodes forward to the queue {@code queueId} go to {@code here}. */
  void serve(long queueId, RemoteQueue here) {
    served.put(queueId, here);
    CompletableFuture<RemoteQueue> waiting = awaited.remove(queueId);
    if (waiting != null) {
      waiting.complete(here);
    }
  }

  /** The queue {@code queueId} of this node once it is made here, within {@link #waitMillis}. */
  private CompletableFuture<RemoteQueue> served(long queueId) {
    RemoteQueue queue = served.get(queueId);
    if (queue != null) {
      return CompletableFuture.completedFuture(queue);
    }
    CompletableFuture<RemoteQueue> waiting =
        awaited.computeIfAbsent(
            queueId,
            id -> {
              CompletableFuture<RemoteQueue> made = new CompletableFuture<>();
              made.orTimeout(waitMillis, TimeUnit.MILLISECONDS)
                  .whenComplete((q, failure) -> awaited.remove(id, made));
              return made;
            });
    queue = served.get(queueId);
    if (queue != null) {
      waiting.complete(queue);
    }
    return waiting;
  }

  /**
   * A command forwarded by a node that follows the group ({@link ForwardedCommand}): Ratis hands
   * read-only requests to the leader's state machine only. Handed to the queue, whose own thread
   * runs it; the reply goes back once the queue answered (a publish: once committed). A queue not
   * made here yet (the sender's node applied its definition first) is waited for, at most {@link
   * #waitMillis}. Fails when this node does not lead the group, the queue is not made in time, or
   * it refuses (it does not serve here any more: the sender nacks or refuses in turn).
   */
  @Override
  public CompletableFuture<Message> query(Message request) {
    ForwardedCommand c;
    try {
      c = ForwardedCommand.decode(request.getContent());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (!leading) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("node " + nodeName + " does not lead queue group " + index));
    }
    long generation = loans.heardFrom(c.sender());
    if (c.op() == ForwardedCommand.Op.HELLO) {
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
    if (c.op() == ForwardedCommand.Op.CANCEL) {
      int back = loans.cancel(c.sender(), c.token());
      if (back > 0) {
        LOG.info(
            "node {}: queue group {}: a GET of node {} failed there; {} messages it took requeued",
            nodeName,
            index,
            c.sender().node(),
            back);
      }
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
    return served(c.queueId())
        .thenCompose(queue -> serve(queue, c, generation))
        .thenApply(Message::valueOf);
  }

  /** {@code generation}: {@link Loans#heardFrom}'s token for the sender as the command came. */
  private CompletableFuture<ByteString> serve(
      RemoteQueue queue, ForwardedCommand c, long generation) {
    return switch (c.op()) {
      case PUBLISH -> publish(queue, c.messages());
      case GET ->
          queue
              .from(c.sender().node())
              .get(c.flag(), c.max(), c.consumer(), c.priority())
              .thenApply(
                  taken -> {
                    if (!c.flag()) {
                      long[] ids = new long[taken.size()];
                      for (int i = 0; i < ids.length; i++) {
                        ids[i] = taken.get(i).message().messageId();
                      }
                      loans.lent(c.sender(), generation, c.queueId(), c.token(), ids);
                    }
                    return ForwardedCommand.delivered(taken);
                  });
      case ACK -> {
        loans.settled(c.sender().node(), c.queueId(), c.ids());
        yield queue.ack(c.ids(), c.flag()).thenApply(done -> ByteString.EMPTY);
      }
      case REJECT -> {
        loans.settled(c.sender().node(), c.queueId(), c.ids());
        yield queue.reject(c.ids(), c.flag()).thenApply(done -> ByteString.EMPTY);
      }
      case CONTEND ->
          queue
              .from(c.sender().node())
              .contend(c.consumer(), c.priority())
              .thenApply(done -> ByteString.EMPTY);
      case COUNTS -> queue.counts().thenApply(ForwardedCommand::counts);
      case PURGE -> queue.purge().thenApply(ForwardedCommand::count);
      case HELLO, CANCEL -> CompletableFuture.completedFuture(ByteString.EMPTY);
    };
  }

  /** Every message of a PUBLISH, in order; the reply once each is settled. */
  private static CompletableFuture<ByteString> publish(
      RemoteQueue queue, List<ByteString[]> messages) {
    boolean[] accepted = new boolean[messages.size()];
    CompletableFuture<?>[] settled = new CompletableFuture<?>[messages.size()];
    for (int i = 0; i < settled.length; i++) {
      int at = i;
      ByteString[] m = messages.get(i);
      settled[i] = queue.publish(wrap(m[0]), wrap(m[1])).thenAccept(ok -> accepted[at] = ok);
    }
    return CompletableFuture.allOf(settled).thenApply(all -> ForwardedCommand.accepted(accepted));
  }

  /** The bytes of a forwarded message as a buffer of their own (shared, no copy). */
  private static ByteBuf wrap(ByteString bytes) {
    return Unpooled.wrappedBuffer(bytes.asReadOnlyByteBuffer());
  }

  /**
   * Waits for the barrier entry with {@code token} (written by this node for {@code queueId}) to be
   * applied here; the future then has the queue's log as of that entry.
   */
  CompletableFuture<RecoveredLog> barrier(long token, long queueId) {
    CompletableFuture<RecoveredLog> recovered = new CompletableFuture<>();
    barriers.put(token, new Barrier(queueId, recovered));
    return recovered;
  }

  void forgetBarrier(long token) {
    barriers.remove(token);
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
    LogEntryProto logged = transaction.getLogEntry();
    TermIndex at = TermIndex.valueOf(logged);
    Message reply;
    try {
      List<ByteString> entries =
          QueueGroupBatch.entries(logged.getStateMachineLogEntry().getLogData());
      byte[] results = new byte[entries.size()];
      for (int i = 0; i < results.length; i++) {
        results[i] = (byte) (apply(entries.get(i), at) ? 1 : 0);
      }
      reply =
          results.length == 1
              ? (results[0] == 1 ? APPLIED : REFUSED)
              : Message.valueOf(UnsafeByteOperations.unsafeWrap(results));
    } catch (IllegalArgumentException e) {
      // Written by a node of another version: every node of this version skips it alike.
      LOG.error(
          "queue group {} log entry {} cannot be read, skipped: {}", index, at, e.getMessage());
      reply = REFUSED;
    }
    updateLastAppliedTermIndex(at);
    return CompletableFuture.completedFuture(reply);
  }

  /** Applies one entry of the log entry at {@code at}; false when refused or unreadable. */
  private boolean apply(ByteString data, TermIndex at) {
    QueueGroupEntry entry;
    try {
      entry = QueueGroupEntry.decode(data);
    } catch (IllegalArgumentException e) {
      LOG.error(
          "queue group {} log entry {}: an entry cannot be read, skipped: {}",
          index,
          at,
          e.getMessage());
      return false;
    }
    boolean applied = state.apply(entry);
    if (entry.op() == QueueGroupEntry.Op.BARRIER) {
      Barrier b = barriers.remove(entry.messageId());
      if (b != null) {
        b.recovered().complete(state.recovered(b.queueId()));
      }
    }
    return applied;
  }

  /** The group's state as of the snapshot: its own term and index lead the file. */
  @Override
  protected void load(Path file, TermIndex at) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      long term = in.readLong();
      long applied = in.readLong();
      state.read(in);
      setLastAppliedTermIndex(TermIndex.valueOf(term, applied));
    }
    LOG.info(
        "node {}: queue group {} snapshot at log index {} loaded", nodeName, index, at.getIndex());
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex at = getLastAppliedTermIndex();
    if (at == null || at.getIndex() <= 0) {
      return RaftLog.INVALID_LOG_INDEX;
    }
    File file = storage.getSnapshotFile(at.getTerm(), at.getIndex());
    Path written = file.toPath().resolveSibling(file.getName() + ".tmp");
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(written)))) {
      out.writeLong(at.getTerm());
      out.writeLong(at.getIndex());
      state.write(out);
    }
    Files.move(written, file.toPath(), StandardCopyOption.ATOMIC_MOVE);
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), at));
    LOG.info("node {}: queue group {} snapshot at log index {}", nodeName, index, at.getIndex());
    return at.getIndex();
  }

  @Override
  public void notifyLeaderReady() {
    LOG.info("node {}: leads queue group {}", nodeName, index);
    synchronized (queues) {
      leading = true;
      queues.values().forEach(Leadership::becameLeader);
    }
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeader) {
    String before = leader;
    leader = newLeader == null ? null : newLeader.toString();
    LOG.info(
        "node {}: queue group {} leader is now {} (was {}), {} queues",
        nodeName,
        index,
        leader == null ? "unknown" : leader,
        before == null ? "unknown" : before,
        queues.size());
    if (leader == null) {
      stepDown();
    } else if (nodeName.equals(leader)) {
      awaitReady();
    } else {
      follow(leader);
    }
  }

  /**
   * The leader as another node reports it, for a group this node does not host ({@link
   * QueueGroupWatch}): its queues forward to that node. No change, no news.
   */
  void observed(String newLeader) {
    if (newLeader == null || newLeader.equals(leader) || newLeader.equals(nodeName)) {
      return;
    }
    leader = newLeader;
    LOG.info("node {}: queue group {} is led by {} (not a voter here)", nodeName, index, leader);
    follow(newLeader);
  }

  /** The server stops (with the broker, whose queues stop on their own): nobody is told. */
  @Override
  public void close() throws IOException {
    synchronized (queues) {
      leading = false;
    }
    super.close();
  }

  /**
   * Another node leads: every queue here sends its clients' commands there (or refuses them, naming
   * it), and this node greets it.
   */
  private void follow(String other) {
    synchronized (queues) {
      leading = false;
      loans.clear();
      queues.values().forEach(q -> q.follows(other));
    }
    greeter.accept(other);
  }

  /**
   * This node was elected and its first entry is not committed yet ({@code notifyLeaderReady}
   * follows): queues that followed another node hold their commands until then.
   */
  private void awaitReady() {
    synchronized (queues) {
      if (!leading) {
        queues.values().forEach(Leadership::steppedDown);
      }
    }
  }

  private void stepDown() {
    synchronized (queues) {
      if (leading) {
        leading = false;
        loans.clear();
        queues.values().forEach(Leadership::steppedDown);
      }
    }
  }
}
