package dev.warren.persistence.journal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The node's message journal: persistent messages of durable queues, in segment files shared by
 * every queue (README of this module for the format and the rules).
 *
 * <p>Threads: every method may be called from any thread, concurrently (queue threads). Records of
 * one queue are stored in the order its calls were made; a queue must issue {@link #ack}, {@link
 * #delivered}, {@link #purge} after the {@link #enqueue} they concern has returned. One writer
 * thread per journal does all file I/O except reads, which run on one reader thread. Enqueue and
 * sync futures complete on the writer thread, read futures on the reader thread: their callbacks
 * must hand off, not block. {@link #read(Location)} blocks its caller: never on an event loop.
 *
 * <p>Ids: message ids must increase per queue and are never reused, not even after a restart (seed
 * the counter above {@link Recovery#highestMessageId()}); queue ids are never reused either.
 */
public final class Journal implements AutoCloseable {

  /** Reads retried when compaction keeps deleting the segments being read. */
  private static final int READ_ATTEMPTS = 4;

  private final JournalConfig config;
  private final ByteBufAllocator allocator;
  private final SegmentLog log;
  private final JournalWriter writer;
  private final Thread thread;
  private final ExecutorService reader;
  private final RecordReader records;
  private volatile Recovery recovery;
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private boolean closed;

  private Journal(JournalConfig config, ByteBufAllocator allocator, RecoveryLoader.Loaded loaded) {
    this.config = config;
    this.allocator = allocator;
    this.log = loaded.log();
    this.recovery = loaded.recovery();
    this.writer =
        new JournalWriter(log, loaded.index(), new Compactor(log, loaded.index()), config);
    this.thread = new Thread(writer, "journal-writer");
    thread.setDaemon(true);
    thread.start();
    this.records = new RecordReader(log, allocator);
    this.reader =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "journal-reader");
              t.setDaemon(true);
              return t;
            });
  }

  /** Opens (recovering) the journal in {@code config.directory()} on real files. */
  public static Journal open(JournalConfig config, ByteBufAllocator allocator) throws IOException {
    return open(config, new NioFileLayer(config.directory()), allocator);
  }

  /**
   * Opens the journal on {@code files}, recovering what they hold; {@code allocator} provides the
   * buffers of {@link #read}. Throws {@link JournalCorruptionException} when a sealed segment
   * without a usable summary holds an invalid record.
   */
  public static Journal open(JournalConfig config, FileLayer files, ByteBufAllocator allocator)
      throws IOException {
    return new Journal(config, allocator, RecoveryLoader.load(files, config));
  }

  /** What the journal held at open: the broker rebuilds its durable queues from it. */
  public Recovery recovery() {
    return recovery;
  }

  /**
   * The queues have taken their recovered messages: the journal drops its lists of them. Later,
   * {@link #recovery()} lists no messages and {@link QueueJournal#recovered()} is empty.
   */
  public void recoveryDone() {
    Recovery r = recovery;
    recovery =
        new Recovery(
            Map.of(),
            r.failedQueues(),
            r.highestMessageId(),
            r.truncatedBytes(),
            r.cleanShutdown());
  }

  /**
   * Stores a message. The future completes with its location once the record is as safe as the
   * {@link SyncMode} promises (ALWAYS: after the force covering it), or fails (I/O error, journal
   * closed, message id not above the queue's previous one, record larger than a segment).
   *
   * <p>Buffers: the readable bytes of {@code properties} and {@code body} are written as they are,
   * without copying. The journal takes its own reference to each (retain) and releases it on the
   * writer thread once written; the caller keeps its references and releases them when it likes,
   * but must not change those bytes until the future completes.
   */
  public CompletableFuture<Location> enqueue(
      long queueId, long messageId, ByteBuf properties, ByteBuf body) {
    CompletableFuture<Location> future = new CompletableFuture<>();
    ByteBuffer[] props = Records.views(properties);
    ByteBuffer[] content = Records.views(body);
    long size = Records.ENQUEUE_HEADER + Records.remaining(props) + Records.remaining(content);
    if (size > config.segmentSize() - SegmentFormat.HEADER) {
      future.completeExceptionally(
          new IllegalArgumentException("record of " + size + " bytes is larger than a segment"));
      return future;
    }
    ByteBuffer header = Records.enqueueHeader(queueId, messageId, (byte) 0, props, content);
    ByteBuffer[] parts = new ByteBuffer[1 + props.length + content.length];
    parts[0] = header;
    System.arraycopy(props, 0, parts, 1, props.length);
    System.arraycopy(content, 0, parts, 1 + props.length, content.length);
    properties.retain();
    body.retain();
    Op op = new Op.Enqueue(queueId, messageId, parts, header.getInt(4), properties, body, future);
    if (!submit(op)) {
      properties.release();
      body.release();
      future.completeExceptionally(new IllegalStateException("journal closed"));
    }
    return future;
  }

  /** The message is settled and must not come back. No force of its own. */
  public void ack(long queueId, long messageId) {
    control(RecordType.ACK, queueId, messageId);
  }

  /** The message was delivered once: it comes back with redelivered=true. No force of its own. */
  public void delivered(long queueId, long messageId) {
    control(RecordType.DELIVERED, queueId, messageId);
  }

  /** Every message of the queue stored so far is gone. No force of its own. */
  public void purge(long queueId) {
    control(RecordType.PURGE, queueId, 0);
  }

  /** The queue is deleted: all its messages are gone. No force of its own. */
  public void deleteQueue(long queueId) {
    control(RecordType.DELETE_QUEUE, queueId, 0);
  }

  /** Completes once everything submitted before it is durable (forces if needed). */
  public CompletableFuture<Void> sync() {
    CompletableFuture<Void> future = new CompletableFuture<>();
    if (!submit(new Op.Sync(future))) {
      future.completeExceptionally(new IllegalStateException("journal closed"));
    }
    return future;
  }

  /**
   * Reads a stored message back, wherever compaction moved it. The caller owns the returned
   * buffers. Fails when the message was acked or purged since, or with {@link
   * JournalCorruptionException} (naming the file and offset) when its record is corrupt. Blocks:
   * never on an event loop.
   */
  public StoredMessage read(Location location) throws IOException {
    StoredMessage read;
    try {
      read = read(location.queueId(), new long[] {location.messageId()}).join().get(0);
    } catch (CompletionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
    if (read == null) {
      throw new IOException(location + " is no longer in the journal");
    }
    return read;
  }

  /**
   * Reads messages of a queue back, in the given order, on the journal's reader thread; the future
   * completes there (its callbacks must hand off) and the caller owns the buffers of the result.
   * Sees every enqueue submitted before it; a message acked meanwhile (or never stored) reads as
   * null. Fails with the first error (a corrupt record names its file and offset).
   */
  public CompletableFuture<List<StoredMessage>> read(long queueId, long[] messageIds) {
    return readAttempt(queueId, messageIds, 1);
  }

  /**
   * The writer says where the messages are (after appending what was submitted before), then the
   * reader thread reads them there; if compaction deleted a segment in between, again.
   */
  private CompletableFuture<List<StoredMessage>> readAttempt(
      long queueId, long[] messageIds, int attempt) {
    CompletableFuture<Op.Positions> where = new CompletableFuture<>();
    if (!submit(new Op.Resolve(queueId, messageIds, where))) {
      return CompletableFuture.failedFuture(new IllegalStateException("journal closed"));
    }
    return where.thenComposeAsync(
        at -> {
          try {
            return CompletableFuture.completedFuture(records.read(at));
          } catch (RecordReader.Moved moved) {
            if (attempt >= READ_ATTEMPTS) {
              throw new UncheckedIOException(
                  new IOException("messages of queue " + queueId + " kept moving while read"));
            }
            return readAttempt(queueId, messageIds, attempt + 1);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        reader);
  }

  /** This journal as durable queue {@code queueId} sees it (the queue-engine SPI). */
  public QueueJournal forQueue(long queueId) {
    return new ForQueue(queueId, true);
  }

  /**
   * A view for a queue that only spills messages here to bound its memory (a transient queue):
   * nothing is recovered for it, and its id, which no definition holds, is dropped at the next
   * start. {@code queueId} must not be used by any other queue, now or before.
   */
  public QueueJournal forSpill(long queueId) {
    return new ForQueue(queueId, false);
  }

  /**
   * Writes and forces everything submitted so far, completes every pending future, and stops the
   * writer. Later calls fail (futures) or throw {@link IllegalStateException}.
   */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        writer.submit(new Op.Stop(stopped));
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
    stopped.join();
    reader.shutdown();
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void control(RecordType type, long queueId, long messageId) {
    if (!submit(new Op.Control(type, queueId, messageId))) {
      throw new IllegalStateException("journal closed");
    }
  }

  private boolean submit(Op op) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        return false;
      }
      writer.submit(op);
      return true;
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** {@link QueueJournal} for one queue id; page-ins run on the journal's reader thread. */
  private final class ForQueue implements QueueJournal {
    private final long queueId;
    private final boolean recoverable;

    ForQueue(long queueId, boolean recoverable) {
      this.queueId = queueId;
      this.recoverable = recoverable;
    }

    @Override
    public boolean recoverable() {
      return recoverable;
    }

    @Override
    public long firstFreeId() {
      return Math.max(0, recovery.highestMessageId() + 1);
    }

    @Override
    public List<RecoveredMessage> recovered() {
      List<RecoveredMessage> found =
          recoverable ? recovery.queues().getOrDefault(queueId, List.of()) : List.of();
      if (recovery.cleanShutdown()) {
        return found;
      }
      // After a crash a message may have been delivered before its DELIVERED record was written:
      // every one comes back flagged, so no redelivery ever goes unflagged.
      return found.isEmpty() ? found : ((RecoveredRuns) found).allRedelivered();
    }

    @Override
    public CompletableFuture<Location> enqueue(long messageId, ByteBuf metadata, ByteBuf body) {
      return Journal.this.enqueue(queueId, messageId, metadata, body);
    }

    @Override
    public void delivered(long messageId) {
      Journal.this.delivered(queueId, messageId);
    }

    @Override
    public void ack(long messageId) {
      Journal.this.ack(queueId, messageId);
    }

    @Override
    public void purge() {
      Journal.this.purge(queueId);
    }

    @Override
    public void delete() {
      deleteQueue(queueId);
    }

    @Override
    public CompletableFuture<List<StoredMessage>> read(long[] messageIds) {
      return Journal.this.read(queueId, messageIds);
    }
  }
}
