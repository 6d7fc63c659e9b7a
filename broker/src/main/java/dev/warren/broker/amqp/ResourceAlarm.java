package dev.warren.broker.amqp;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.warren.broker.BrokerConfig;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RabbitMQ's resource alarms: when memory in use crosses the high watermark, or free disk under the
 * data directory falls below its limit, connections that publish are blocked (connection.blocked,
 * and their sockets are no longer read) until the alarm clears; consumers keep draining. Memory in
 * use is the pooled direct memory (message bodies) plus the heap left after the last collection (so
 * garbage does not raise the alarm).
 *
 * <p>Thread: {@link #run} on its own scheduler thread, twice a second (it reads the file system);
 * connections register from their event loops and are told through their outboxes.
 */
public final class ResourceAlarm implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceAlarm.class);

  private final BrokerConfig config;
  private final long memoryLimit;
  private final Set<AmqpConnection> connections = ConcurrentHashMap.newKeySet();
  private volatile String reason;

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

  @Override
  public void run() {
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
    long used = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() + heapAfterGc();
    if (used > memoryLimit) {
      return "low on memory";
    }
    try {
      if (Files.getFileStore(config.dataDir()).getUsableSpace() < config.diskFreeLimitBytes()) {
        return "low on disk";
      }
    } catch (IOException e) {
      LOG.warn("cannot read free disk space under {}: {}", config.dataDir(), e.toString());
    }
    return null;
  }

  private static long heapAfterGc() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage afterGc = pool.getCollectionUsage();
      if (pool.getType() == MemoryType.HEAP && afterGc != null) {
        used += afterGc.getUsed();
      }
    }
    return used;
  }
}
