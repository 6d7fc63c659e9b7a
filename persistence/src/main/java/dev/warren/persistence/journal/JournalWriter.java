package dev.warren.persistence.journal;

import dev.warren.storage.MessageRuns;
import dev.warren.storage.RecoveredLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's single writer: the only thread that appends, forces, compacts and deletes, and that
 * owns the {@link SegmentLog} and {@link LiveIndex} once the journal is open.
 *
 * <p>Group commit: it takes everything pending, appends it in one gathering write, forces once (as
 * the {@link SyncMode} requires), completes the futures the force covers, then gives space back.
 * Whatever arrives while a force runs forms the next batch, so the batch grows with the disk's
 * latency by itself.
 *
 * <p>Futures are completed on this thread: their callbacks must be short and must not block (hand
 * the result to the queue's own thread). After an I/O error the journal is failed for good (a
 * failed fsync is never retried): every pending and later future fails.
 */
final class JournalWriter implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);

  private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
  private final SegmentLog log;
  private final LiveIndex index;
  private final Compactor compactor;
  private final SyncMode mode;
  private final long intervalNanos;
  private final List<Written> unconfirmed = new ArrayList<>();
  private final List<CompletableFuture<Void>> syncs = new ArrayList<>();
  private long lastForce = System.nanoTime();
  private final Consumer<IOException> onFailure;
  private volatile IOException failure;

  /**
   * @param onFailure told once, on this thread, when the journal fails for good
   */
  JournalWriter(
      SegmentLog log,
      LiveIndex index,
      Compactor compactor,
      JournalConfig config,
      Consumer<IOException> onFailure) {
    this.log = log;
    this.index = index;
    this.compactor = compactor;
    this.onFailure = onFailure;
    this.mode = config.sync();
    this.intervalNanos = config.syncInterval().toNanos();
  }

  /** An enqueue appended and waiting for the force that covers it. */
  private record Written(Op.Enqueue op) {}

  /** A read's positions, handed over once the batch is written. */
  private record Resolved(Op.Resolve op, Op.Positions at) {}

  /** The error that failed the journal for good, or null. Any thread. */
  IOException failure() {
    return failure;
  }

  /** Any thread. */
  void submit(Op op) {
    queue.add(op);
  }

  @Override
  public void run() {
    List<Op> batch = new ArrayList<>();
    Op.Stop stop = null;
    while (stop == null) {
      Op first;
      try {
        first = queue.poll(waitNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        LOG.warn("journal writer interrupted; it stops only when the journal is closed");
        continue;
      }
      batch.clear();
      if (first != null) {
        batch.add(first);
        queue.drainTo(batch);
      }
      stop = process(batch);
      settle(stop != null);
    }
    log.close();
    if (failure == null) {
      try {
        log.markClean();
      } catch (IOException e) {
        LOG.warn(
            "cannot leave the clean-shutdown marker; the next start treats this as a crash", e);
      }
    }
    List<Op> late = new ArrayList<>();
    queue.drainTo(late);
    for (Op op : late) {
      fail(op, new IOException("journal closed"));
    }
    stop.future().complete(null);
  }

  private long waitNanos() {
    boolean owing = log.unforced() || !unconfirmed.isEmpty();
    if (mode == SyncMode.NEVER || !owing) {
      return TimeUnit.SECONDS.toNanos(1);
    }
    return Math.max(0, intervalNanos - (System.nanoTime() - lastForce));
  }

  /** Appends a batch in one gathering write; returns the stop request if the batch holds one. */
  private Op.Stop process(List<Op> batch) {
    Op.Stop stop = null;
    List<Written> written = new ArrayList<>();
    List<Resolved> resolved = new ArrayList<>();
    for (Op op : batch) {
      if (op instanceof Op.Stop s) {
        stop = s;
      } else if (failure != null) {
        fail(op, failure);
      } else if (op instanceof Op.Sync s) {
        syncs.add(s.future());
      } else if (op instanceof Op.Resolve r) {
        resolved.add(new Resolved(r, resolve(r)));
      } else if (op instanceof Op.Recover r) {
        recover(r);
      } else {
        try {
          if (op instanceof Op.Enqueue e) {
            if (append(e)) {
              written.add(new Written(e));
            }
          } else {
            control((Op.Control) op);
          }
        } catch (IOException | RuntimeException e) {
          failed(e);
          fail(op, failure);
        }
      }
    }
    try {
      if (failure == null) {
        log.flush();
      }
    } catch (IOException e) {
      failed(e);
    }
    for (Written w : written) {
      w.op().properties().release();
      w.op().body().release();
      if (failure != null) {
        w.op().future().completeExceptionally(failure);
      } else {
        unconfirmed.add(w);
      }
    }
    for (Resolved r : resolved) {
      if (failure != null) {
        r.op().future().completeExceptionally(failure);
      } else {
        r.op().future().complete(r.at());
      }
    }
    return stop;
  }

  /** Where the requested messages are now (their bytes reach the file with this batch's flush). */
  private Op.Positions resolve(Op.Resolve r) {
    long[] ids = r.messageIds();
    Op.Positions p =
        new Op.Positions(
            r.queueId(), ids, new int[ids.length], new int[ids.length], new int[ids.length]);
    for (int i = 0; i < ids.length; i++) {
      LiveIndex.Chunk c = index.live(r.queueId(), ids[i]);
      if (c != null) {
        int at = LiveIndex.at(ids[i]);
        p.segment()[i] = c.segment[at];
        p.offset()[i] = c.offset[at];
        p.length()[i] = c.length[at];
      }
    }
    return p;
  }

  /**
   * The queue's live messages as the index holds them (each one a crash left in doubt flagged), and
   * an id above every one the journal ever took.
   */
  private void recover(Op.Recover r) {
    LiveIndex.QueueIndex q = index.queue(r.queueId());
    MessageRuns live = q == null ? MessageRuns.EMPTY : LiveIndex.runs(q, true);
    r.future().complete(new RecoveredLog(live, Math.max(0, log.highestMessageId + 1)));
  }

  /** Appends an ENQUEUE record; false when refused (its future failed). */
  private boolean append(Op.Enqueue e) throws IOException {
    LiveIndex.QueueIndex q = index.queue(e.queueId());
    if (q != null && e.messageId() <= q.highest) {
      e.properties().release();
      e.body().release();
      e.future()
          .completeExceptionally(
              new IllegalArgumentException(
                  "message ids of queue "
                      + e.queueId()
                      + " must increase: "
                      + e.messageId()
                      + " after "
                      + q.highest));
      return false;
    }
    RecordMeta at =
        log.append(RecordType.ENQUEUE, e.queueId(), e.messageId(), (byte) 0, e.crc(), e.parts());
    index.enqueued(index.queueForWrite(e.queueId()), e.messageId(), at);
    return true;
  }

  private void control(Op.Control c) throws IOException {
    LiveIndex.QueueIndex q = index.queue(c.queueId());
    if (q == null) {
      return;
    }
    switch (c.type()) {
      case ACK -> {
        LiveIndex.Chunk chunk = q.live(c.messageId());
        if (chunk != null) {
          RecordMeta at = appendControl(RecordType.ACK, c.queueId(), c.messageId());
          index.removed(q, chunk, c.messageId(), log.segment(at.segment()));
        }
      }
      case DELIVERED -> {
        LiveIndex.Chunk chunk = q.live(c.messageId());
        if (chunk != null && !chunk.delivered(LiveIndex.at(c.messageId()))) {
          index.marked(
              chunk,
              c.messageId(),
              appendControl(RecordType.DELIVERED, c.queueId(), c.messageId()));
        }
      }
      case PURGE, DELETE_QUEUE -> {
        if (c.type() == RecordType.DELETE_QUEUE) {
          index.queues().remove(c.queueId());
        }
        if (q.size > 0) {
          long bound = c.type() == RecordType.PURGE ? q.highest : 0;
          RecordMeta at = appendControl(c.type(), c.queueId(), bound);
          index.removedUpTo(q, Long.MAX_VALUE, log.segment(at.segment()));
        }
      }
      default -> throw new IllegalArgumentException("not a control record: " + c.type());
    }
  }

  private RecordMeta appendControl(RecordType type, long queueId, long messageId)
      throws IOException {
    var record = Records.control(type, queueId, messageId);
    return log.append(type, queueId, messageId, (byte) 0, record.getInt(4), record);
  }

  /** Forces as the sync mode requires, completes what is durable, then gives space back. */
  private void settle(boolean stopping) {
    if (failure == null) {
      try {
        boolean due = System.nanoTime() - lastForce >= intervalNanos;
        boolean force =
            switch (mode) {
              case ALWAYS -> !unconfirmed.isEmpty() || !syncs.isEmpty() || due;
              case INTERVAL -> !syncs.isEmpty() || due;
              case NEVER -> !syncs.isEmpty();
            };
        if ((force || stopping) && log.unforced()) {
          log.force();
        }
        if (force || stopping) {
          lastForce = System.nanoTime();
        }
        if (!log.unforced() || mode == SyncMode.NEVER) {
          complete();
        }
        compactor.run();
        if (stopping && log.unforced()) {
          log.force();
        }
      } catch (IOException | RuntimeException e) {
        failed(e);
      }
    }
    if (failure != null) {
      for (Written w : unconfirmed) {
        w.op().future().completeExceptionally(failure);
      }
      unconfirmed.clear();
      for (CompletableFuture<Void> s : syncs) {
        s.completeExceptionally(failure);
      }
      syncs.clear();
    }
  }

  private void complete() {
    for (Written w : unconfirmed) {
      w.op().future().complete(null);
    }
    unconfirmed.clear();
    if (!log.unforced()) {
      for (CompletableFuture<Void> s : syncs) {
        s.complete(null);
      }
      syncs.clear();
    }
  }

  private void failed(Exception e) {
    if (failure == null) {
      failure = e instanceof IOException io ? io : new IOException("journal writer failed", e);
      LOG.error("journal failed; every later operation fails until restart", e);
      onFailure.accept(failure);
    }
  }

  private static void fail(Op op, IOException cause) {
    if (op instanceof Op.Enqueue e) {
      e.properties().release();
      e.body().release();
      e.future().completeExceptionally(cause);
    } else if (op instanceof Op.Sync s) {
      s.future().completeExceptionally(cause);
    } else if (op instanceof Op.Resolve r) {
      r.future().completeExceptionally(cause);
    } else if (op instanceof Op.Recover r) {
      r.future().completeExceptionally(cause);
    } else if (op instanceof Op.Stop s) {
      s.future().complete(null);
    }
  }
}
