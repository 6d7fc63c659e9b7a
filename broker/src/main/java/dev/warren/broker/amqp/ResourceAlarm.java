package dev.warren.broker.amqp;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.HotSpotDiagnosticMXBean;
import dev.warren.broker.BrokerConfig;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Thread: {@link #run} on its own scheduler thread, twice a second (it reads the file system);
 * connections register from their event loops and are told through their outboxes.
 */
public final class ResourceAlarm implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceAlarm.class);

  /** Live heap, in percent of the maximum, above which publishers are blocked. */
  static final int HEAP_LIMIT_PERCENT = 50;

  private static final String HEAP_ALARM = "low on heap memory";

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
  private volatile String reason;
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

  public ResourceAlarm(BrokerConfig config) {
    this.config = config;
    this.memoryLimit =
        config.memoryHighWatermarkBytes() > 0
            ? config.memoryHighWatermarkBytes()
            : (long) (config.memoryHighWatermark() * (maxHeap() + maxDirectMemory()));
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
        LOG.warn("resource alarm set: {}; publishers are blocked", now);
      } else {
        LOG.info("resource alarm cleared; publishers may go on");
      }
      for (AmqpConnection c : connections) {
        c.outbox().execute(() -> c.alarm(now));
      }
    }
  }

  /** The alarm's reason, or null when all is well. */
  private String check() {
    long heap = heapAfterGc();
    if (PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() + heap > memoryLimit) {
      return "low on memory";
    }
    if (heap > heapLimit && heapAlarmStillHolds()) {
      return HEAP_ALARM;
    }
    try {
      if (dataStore == null) {
        // Found once: the lookup reads the mount table, the free space query is one statvfs.
        dataStore = Files.getFileStore(config.dataDir());
      }
      if (dataStore.getUsableSpace() < config.diskFreeLimitBytes()) {
        return "low on disk";
      }
    } catch (IOException e) {
      LOG.warn("cannot read free disk space under {}: {}", config.dataDir(), e.toString());
    }
    return null;
  }

  /**
   * Whether a heap alarm holds once the heap is measured afresh. The live size is only known after
   * an old-generation collection, and while publishers are blocked nothing may cause one: consumers
   * drain a backlog, its entries die in the old generation, and the alarm would stay set for good.
   * So while it holds, a full collection is requested now and then to measure again.
   */
  private boolean heapAlarmStillHolds() {
    if (!HEAP_ALARM.equals(reason)) {
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
