package dev.warren.broker.amqp;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.HotSpotDiagnosticMXBean;
import dev.warren.broker.BrokerConfig;
import dev.warren.queue.MemoryLedger;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RabbitMQ's resource alarms: when memory in use crosses the high watermark, or free disk under the
 * data directory falls below its limit, connections that publish are blocked (connection.blocked,
 * and their sockets are no longer read) until the alarm clears; consumers keep draining. Memory in
 * use is the pooled direct memory (message bodies) plus the heap left after the last collection (so
 * garbage does not raise the alarm). The heap alone also raises it once the last collection left it
 * more than {@value #HEAP_LIMIT_PERCENT}% full: a deep backlog keeps an index entry per message on
 * the heap, and publishers must stop before the heap runs out, whatever the direct memory (half the
 * heap leaves room for the index tables to double). Besides the periodic check, every garbage
 * collection of the old generation triggers one at once: that is when its live size is known.
 *
 * <p>The heap is known only after a collection, which under a burst comes late. So the {@link
 * MemoryLedger}, an estimate of the heap messages take that follows every change, raises the alarm
 * too, at {@value #LEDGER_HEAP_PERCENT}% of the heap, and event loops read it at every publish
 * ({@link #blockReason}): a connection blocks at once, before the next check here tells every
 * connection. While memory is short, consumers that must ack and have no prefetch limit get nothing
 * more ({@link #memoryShort}): each delivery to them would grow the heap for as long as they do not
 * ack; they go on once it clears ({@link #whenMemoryClears}).
 *
 * <p>Thread: {@link #run} on its own scheduler thread, twice a second (it reads the file system);
 * connections register from their event loops and are told through their outboxes.
 */
public final class ResourceAlarm implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceAlarm.class);

  /** Live heap, in percent of the maximum, above which publishers are blocked. */
  static final int HEAP_LIMIT_PERCENT = 50;

  private static final String HEAP_ALARM = "low on heap memory";

  private static final String MEMORY_ALARM = "low on memory";

  private static final String DISK_ALARM = "low on disk";

  /** The memory ledger's limit, in percent of the maximum heap. */
  static final int LEDGER_HEAP_PERCENT = 40;

  /** While a heap alarm holds, how often the heap is collected to measure it again. */
  private static final long REMEASURE_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** The heap's memory pools (a fixed set; looked up once, as each lookup builds JMX names). */
  private static final List<MemoryPoolMXBean> HEAP_POOLS =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(pool -> pool.getType() == MemoryType.HEAP)
          .toList();

  private final BrokerConfig config;
  private final long memoryLimit;
  private FileStore dataStore;
  private final long heapLimit = maxHeap() / 100 * HEAP_LIMIT_PERCENT;
  private final Set<AmqpConnection> connections = ConcurrentHashMap.newKeySet();
  private final MemoryLedger ledger;

  /** Connections that blocked on the ledger before this thread raised the alarm. */
  private final Set<AmqpConnection> blockedEarly = ConcurrentHashMap.newKeySet();

  /** What to run (each posts to its connection's outbox) once memory is no longer short. */
  private final Queue<Runnable> memoryWaiters = new ConcurrentLinkedQueue<>();

  private volatile String reason;

  /** What the last check measured: memory in use (as compared with the limit), free disk. */
  private volatile long memoryUsed;

  /** The live heap is over {@value #HEAP_LIMIT_PERCENT}% of the maximum ({@link #heapShort}). */
  private volatile boolean heapShort;

  private volatile long diskFree = -1;

  /** The ledger raised the memory alarm: it holds until the ledger is back under 90%. */
  private boolean ledgerTripped;

  private long lastCollection = System.nanoTime();
  private final NotificationListener afterCollection = (notification, handback) -> run();

  /** Only collections of the old generation: young ones, many a second, say nothing of it. */
  private static final NotificationFilter OLD_GENERATION =
      n ->
          GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())
              && "end of major GC"
                  .equals(
                      GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData())
                          .getGcAction());

  public ResourceAlarm(BrokerConfig config, MemoryLedger ledger) {
    this.config = config;
    this.ledger = ledger;
    this.memoryLimit =
        config.memoryHighWatermarkBytes() > 0
            ? config.memoryHighWatermarkBytes()
            : (long) (config.memoryHighWatermark() * (maxHeap() + maxDirectMemory()));
  }

  /**
   * The ledger for this broker: its limit is {@link BrokerConfig#memoryLedgerBytes()}, by default
   * {@value #LEDGER_HEAP_PERCENT}% of the maximum heap.
   */
  public static MemoryLedger ledger(BrokerConfig config) {
    long limit = config.memoryLedgerBytes();
    return new MemoryLedger(limit > 0 ? limit : maxHeap() / 100 * LEDGER_HEAP_PERCENT);
  }

  /**
   * Any thread (event loops, at each publish): why publishers must wait now, or null. The alarm's
   * reason, or the ledger past its limit before this thread raised the alarm for it.
   */
  public String blockReason() {
    String now = reason;
    return now != null ? now : ledger.over() ? MEMORY_ALARM : null;
  }

  /** A connection blocked on the ledger alone: it is told here when that passes. */
  void blockedEarly(AmqpConnection connection) {
    blockedEarly.add(connection);
  }

  /**
   * Any thread: whether memory is short (the ledger past its limit, or a memory alarm), so that
   * deliveries that would grow the heap until acked must wait.
   */
  /**
   * Whether the heap left by the last collection is over {@value #HEAP_LIMIT_PERCENT}% of its
   * maximum: what lives on the heap for good (a new queue) must not be added until it is not, or
   * the broker would run out of heap. Any thread; as fresh as the last check.
   */
  public boolean heapShort() {
    return heapShort;
  }

  boolean memoryShort() {
    String now = reason;
    return ledger.over() || MEMORY_ALARM.equals(now) || HEAP_ALARM.equals(now);
  }

  /** Runs {@code resume} (on this thread: it must only post) once memory is no longer short. */
  void whenMemoryClears(Runnable resume) {
    memoryWaiters.add(resume);
  }

  private static long maxHeap() {
    return Runtime.getRuntime().maxMemory();
  }

  /** -XX:MaxDirectMemorySize, which defaults to the heap's maximum when not set. */
  private static long maxDirectMemory() {
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    long configured = Long.parseLong(vm.getVMOption("MaxDirectMemorySize").getValue());
    return configured > 0 ? configured : maxHeap();
  }

  void register(AmqpConnection connection) {
    connections.add(connection);
    String now = reason;
    if (now != null) {
      connection.outbox().execute(() -> connection.alarm(now));
    }
  }

  void unregister(AmqpConnection connection) {
    connections.remove(connection);
    blockedEarly.remove(connection);
  }

  /** Checks again after every collection of the old generation, until {@link #close}. */
  public void watchCollections() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(afterCollection, OLD_GENERATION, null);
      }
    }
  }

  /** Stops watching collections (the broker stops). */
  public void close() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        try {
          emitter.removeNotificationListener(afterCollection);
        } catch (ListenerNotFoundException e) {
          // never registered (the broker failed before it watched)
        }
      }
    }
  }

  @Override
  public synchronized void run() {
    String now = check();
    if (!Objects.equals(now, reason)) {
      reason = now;
      if (now != null) {
        LOG.warn(
            "resource alarm set: {}; publishers are blocked (memory ledger {} MB of {} MB)",
            now,
            ledger.bytes() >> 20,
            ledger.limit() >> 20);
      } else {
        LOG.info("resource alarm cleared; publishers may go on");
      }
      for (AmqpConnection c : connections) {
        c.outbox().execute(() -> c.alarm(now));
      }
    }
    if (now == null) {
      // Those that blocked on the ledger before this check are let go, whether or not it came to
      // an alarm.
      for (AmqpConnection c : blockedEarly) {
        blockedEarly.remove(c);
        c.outbox().execute(() -> c.alarm(null));
      }
    }
    if (!memoryShort()) {
      Runnable resume;
      while ((resume = memoryWaiters.poll()) != null) {
        resume.run();
      }
    }
  }

  /**
   * The alarm's reason, or null when all is well. Measures memory and disk for {@link #readings}.
   */
  private String check() {
    long heap = heapAfterGc();
    memoryUsed = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() + heap;
    diskFree = measureDiskFree();
    heapShort = heap > heapLimit && heapStillShort();
    ledgerTripped = ledgerTripped ? !ledger.clear() : ledger.over();
    if (ledgerTripped) {
      return MEMORY_ALARM;
    }
    if (memoryUsed > memoryLimit) {
      return MEMORY_ALARM;
    }
    if (heapShort) {
      return HEAP_ALARM;
    }
    long free = diskFree;
    if (free >= 0 && free < config.diskFreeLimitBytes()) {
      return DISK_ALARM;
    }
    return null;
  }

  /** Free bytes under the data directory, or -1 when they cannot be read. */
  private long measureDiskFree() {
    try {
      if (dataStore == null) {
        // Found once: the lookup reads the mount table, the free space query is one statvfs.
        dataStore = Files.getFileStore(config.dataDir());
      }
      return dataStore.getUsableSpace();
    } catch (IOException e) {
      LOG.warn("cannot read free disk space under {}: {}", config.dataDir(), e.toString());
      return -1;
    }
  }

  /**
   * What the alarm last measured and decided, for management ({@code /api/nodes}); any thread.
   *
   * @param memoryUsed pooled direct memory plus the heap left by the last collection, in bytes
   * @param memoryLimit the memory high watermark in bytes
   * @param diskFree free bytes under the data directory, -1 when unknown
   */
  public record Readings(
      long memoryUsed,
      long memoryLimit,
      boolean memoryAlarm,
      long diskFree,
      long diskFreeLimit,
      boolean diskAlarm) {}

  /** The last readings: memory and disk as last measured, the alarms as now in force. */
  public Readings readings() {
    String now = reason;
    return new Readings(
        memoryUsed,
        memoryLimit,
        MEMORY_ALARM.equals(now) || HEAP_ALARM.equals(now),
        diskFree,
        config.diskFreeLimitBytes(),
        DISK_ALARM.equals(now));
  }

  /**
   * Whether a heap alarm holds once the heap is measured afresh. The live size is only known after
   * an old-generation collection, and while publishers are blocked nothing may cause one: consumers
   * drain a backlog, its entries die in the old generation, and the alarm would stay set for good.
   * So while it holds, a full collection is requested now and then to measure again.
   */
  /**
   * Whether a heap found short is still short: every {@link #REMEASURE_NANOS} it is collected and
   * measured again, since nothing else may collect the old generation while what would grow it is
   * blocked or refused.
   */
  private boolean heapStillShort() {
    if (!heapShort) {
      return true;
    }
    long now = System.nanoTime();
    if (now - lastCollection < REMEASURE_NANOS) {
      return true;
    }
    lastCollection = now;
    System.gc();
    return heapAfterGc() > heapLimit;
  }

  private static long heapAfterGc() {
    long used = 0;
    for (MemoryPoolMXBean pool : HEAP_POOLS) {
      MemoryUsage afterGc = pool.getCollectionUsage();
      if (afterGc != null) {
        used += afterGc.getUsed();
      }
    }
    return used;
  }
}
