package dev.warren.persistence.journal;

import dev.warren.storage.Leadership;
import dev.warren.storage.MessageLog;
import dev.warren.storage.MessageRuns;
import dev.warren.storage.RecoveredLog;
import dev.warren.storage.SpillStore;
import dev.warren.storage.StorageUnavailableException;
import dev.warren.storage.StoredMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's message journal: persistent messages of durable queues, in segment files shared by
 * every queue (README of this module for the format and the rules). It implements the storage SPI
 * twice over: {@link #log} is the {@link MessageLog} of a durable queue, {@link #spill} the {@link
 * SpillStore} where a queue pages out what its log does not hold.
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
 * Durable queues have ids from 0 up (the definitions store gives them); spill stores have negative
 * ids, counted up from {@code Long.MIN_VALUE + start-time-ms * 2^20}, so a later start begins
 * beyond every spill id an earlier one used unless that one made over a million spill stores per
 * millisecond between the two starts. What spill stores kept is dropped at the next open.
 */
public final class Journal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

  /** The largest record: a segment's offsets are ints, and a record is read into one buffer. */
  private static final long MAX_RECORD = 1L << 30;

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

  private final AtomicLong nextSpillId =
      new AtomicLong(Long.MIN_VALUE + System.currentTimeMillis() * (1L << 20));

  /** Queues whose log this is, to be told if the journal fails for good; by queue id. */
  private final Map<Long, Leadership> subscribers = new ConcurrentHashMap<>();

  private boolean closed;

  private Journal(JournalConfig config, ByteBufAllocator allocator, RecoveryLoader.Loaded loaded) {
    this.config = config;
    this.allocator = allocator;
    this.log = loaded.log();
    this.recovery = loaded.recovery();
    this.writer =
        new JournalWriter(
            log, loaded.index(), new Compactor(log, loaded.index()), config, this::failed);
    this.thread = new Thread(writer, "journal-writer");
    thread.setDaemon(true);
    thread.start();
    dropSpills();
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

  /** Whether a queue id is a spill store's (never recovered) rather than a durable queue's. */
  public static boolean isSpill(long queueId) {
    return queueId < 0;
  }

  /** Spilled messages are never recovered: those a previous run left are deleted at open. */
  private void dropSpills() {
    Map<Long, MessageRuns> durable = new HashMap<>();
    long dropped = 0;
    for (Map.Entry<Long, MessageRuns> q : recovery.queues().entrySet()) {
      if (isSpill(q.getKey())) {
        dropped += q.getValue().size();
        deleteQueue(q.getKey());
      } else {
        durable.put(q.getKey(), q.getValue());
      }
    }
    if (dropped > 0) {
      LOG.info("dropped {} messages spilled by the last run (never recovered)", dropped);
    }
    Recovery r = recovery;
    recovery =
        new Recovery(
            Map.copyOf(durable),
            r.failedQueues(),
            r.highestMessageId(),
            r.truncatedBytes(),
            r.cleanShutdown(),
            dropped);
  }

  /** What the journal held at open: the broker rebuilds its durable queues from it. */
  public Recovery recovery() {
    return recovery;
  }

  /**
   * The queues have taken their recovered messages: the journal drops its lists of them, and later
   * {@link #recovery()} lists no messages ({@link MessageLog#recover()} reads the live index).
   */
  public void recoveryDone() {
    Recovery r = recovery;
    recovery =
        new Recovery(
            Map.of(),
            r.failedQueues(),
            r.highestMessageId(),
            r.truncatedBytes(),
            r.cleanShutdown(),
            r.spilledDropped());
  }

  /**
   * Stores a message. The future completes once the record is as safe as the {@link SyncMode}
   * promises (ALWAYS: after the force covering it), or fails (I/O error, journal closed, message id
   * not above the queue's previous one, a record over 1 GiB). A record larger than a segment takes
   * a segment of its own.
   *
   * <p>Buffers: the readable bytes of {@code properties} and {@code body} are written as they are,
   * without copying. The journal takes its own reference to each (retain) and releases it on the
   * writer thread once written; the caller keeps its references and releases them when it likes,
   * but must not change those bytes until the future completes.
   */
  public CompletableFuture<Void> enqueue(
      long queueId, long messageId, ByteBuf properties, ByteBuf body) {
    CompletableFuture<Void> future = new CompletableFuture<>();
    ByteBuffer[] props = Records.views(properties);
    ByteBuffer[] content = Records.views(body);
    long size = Records.ENQUEUE_HEADER + Records.remaining(props) + Records.remaining(content);
    if (size > MAX_RECORD) {
      future.completeExceptionally(
          new IllegalArgumentException("record of " + size + " bytes is larger than a journal's"));
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
      future.completeExceptionally(closedException());
    }
    return future;
  }

  /**
   * The message is settled and must not come back. No force of its own: the future completes once
   * the writer has it (it is applied in order), or fails when the journal is closed.
   */
  public CompletableFuture<Void> ack(long queueId, long messageId) {
    return control(RecordType.ACK, queueId, messageId);
  }

  /** The message was delivered once: it comes back with redelivered=true. As {@link #ack}. */
  public CompletableFuture<Void> delivered(long queueId, long messageId) {
    return control(RecordType.DELIVERED, queueId, messageId);
  }

  /** Every message of the queue stored so far is gone. As {@link #ack}. */
  public CompletableFuture<Void> purge(long queueId) {
    return control(RecordType.PURGE, queueId, 0);
  }

  /** The queue is deleted: all its messages are gone. As {@link #ack}. */
  public CompletableFuture<Void> deleteQueue(long queueId) {
    subscribers.remove(queueId);
    return control(RecordType.DELETE_QUEUE, queueId, 0);
  }

  /** Completes once everything submitted before it is durable (forces if needed). */
  public CompletableFuture<Void> sync() {
    CompletableFuture<Void> future = new CompletableFuture<>();
    if (!submit(new Op.Sync(future))) {
      future.completeExceptionally(closedException());
    }
    return future;
  }

  /**
   * The queue's live messages as the journal holds them now (after an unclean shutdown, those found
   * at open flagged redelivered) and an id above every one it ever took; completes on the writer
   * thread.
   */
  CompletableFuture<RecoveredLog> recover(long queueId) {
    CompletableFuture<RecoveredLog> future = new CompletableFuture<>();
    if (!submit(new Op.Recover(queueId, future))) {
      future.completeExceptionally(closedException());
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
   * Where the record of a live message is now (segment and offset), or null when it is not live;
   * blocks until the writer answers. For tests and tools that look at the files.
   */
  Location locate(long queueId, long messageId) {
    CompletableFuture<Op.Positions> where = new CompletableFuture<>();
    if (!submit(new Op.Resolve(queueId, new long[] {messageId}, where))) {
      throw closedException();
    }
    Op.Positions at = where.join();
    return at.length()[0] == 0
        ? null
        : new Location(queueId, messageId, at.segment()[0], at.offset()[0]);
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
      return CompletableFuture.failedFuture(closedException());
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

  /**
   * The message log of durable queue {@code queueId} (the storage SPI): its node always leads it.
   */
  public MessageLog log(long queueId) {
    return new JournalLog(this, queueId);
  }

  /** A new spill store, under an id no queue and no other spill store ever used. */
  public SpillStore newSpill() {
    return spill(nextSpillId.getAndIncrement());
  }

  /** The spill store under {@code spillId} (negative: {@link #isSpill}). */
  public SpillStore spill(long spillId) {
    if (!isSpill(spillId)) {
      throw new IllegalArgumentException("not a spill id: " + spillId);
    }
    return new JournalSpill(this, spillId);
  }

  /**
   * Registers the queue of that log, to be told if the journal fails. It leads its log at once,
   * unless the journal failed or found a record of the queue corrupt at open: then the queue has
   * lost its log (its messages stay on disk, for a restart with the file mended).
   */
  void subscribe(long queueId, Leadership leadership) {
    subscribers.put(queueId, leadership);
    IOException failed = writer.failure();
    JournalCorruptionException corrupt = recovery.failedQueues().get(queueId);
    if (failed != null) {
      leadership.lost(failed);
    } else if (corrupt != null) {
      leadership.lost(corrupt);
    } else {
      leadership.becameLeader();
    }
  }

  /** On the writer thread: the journal failed for good; every queue whose log it is loses it. */
  private void failed(IOException cause) {
    subscribers.values().forEach(l -> l.lost(cause));
  }

  /**
   * Writes and forces everything submitted so far, completes every pending future, and stops the
   * writer. Later calls fail their futures with {@link StorageUnavailableException}.
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

  private static final CompletableFuture<Void> SUBMITTED = CompletableFuture.completedFuture(null);

  private CompletableFuture<Void> control(RecordType type, long queueId, long messageId) {
    if (!submit(new Op.Control(type, queueId, messageId))) {
      return CompletableFuture.failedFuture(closedException());
    }
    IOException failed = writer.failure();
    return failed == null ? SUBMITTED : CompletableFuture.failedFuture(failed);
  }

  private static StorageUnavailableException closedException() {
    return new StorageUnavailableException("journal closed");
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
}
