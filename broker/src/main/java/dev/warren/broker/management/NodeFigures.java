package dev.warren.broker.management;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.warren.broker.amqp.ResourceAlarm;
import dev.warren.broker.amqp.ServerProperties;
import dev.warren.management.spi.ChurnCounters;
import dev.warren.management.spi.Listener;
import dev.warren.management.spi.NodeInfo;
import dev.warren.routing.ExchangeType;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The node as {@code /api/overview} and {@code /api/nodes} show it: fixed facts found once, and the
 * resource alarm's last readings. Any thread; reads only published values.
 */
final class NodeFigures {
  private static final long DESCRIPTORS_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String name;
  private final String bindAddress;
  private final IntSupplier amqpPort;
  private final IntSupplier amqpsPort;
  private final IntSupplier managementPort;
  private final ResourceAlarm alarm;
  private final Supplier<ChurnCounters> churn;
  private final Supplier<String> clusterName;
  private final long startedAtMillis = System.currentTimeMillis();
  private final List<String> exchangeTypes = new ArrayList<>();

  /** The last count of file descriptors; any thread (racing readers may both count). */
  private volatile Descriptors descriptors;

  /**
   * @param name this node's name
   * @param amqpPort the AMQP port bound (asked when read: the listener binds after this is made)
   * @param amqpsPort the AMQPS port bound, 0 when TLS is off
   * @param managementPort the HTTP port bound, 0 before the management server is up
   * @param churn connections and channels opened and closed so far
   * @param clusterName the {@code cluster_name} global parameter, or the default name
   */
  NodeFigures(
      String name,
      String bindAddress,
      IntSupplier amqpPort,
      IntSupplier amqpsPort,
      IntSupplier managementPort,
      ResourceAlarm alarm,
      Supplier<ChurnCounters> churn,
      Supplier<String> clusterName) {
    this.name = name;
    this.bindAddress = bindAddress;
    this.amqpPort = amqpPort;
    this.amqpsPort = amqpsPort;
    this.managementPort = managementPort;
    this.alarm = alarm;
    this.churn = churn;
    this.clusterName = clusterName;
    for (ExchangeType t : ExchangeType.values()) {
      exchangeTypes.add(t.wireName());
    }
  }

  String name() {
    return name;
  }

  NodeInfo node() {
    ResourceAlarm.Readings r = alarm.readings();
    Descriptors fds = descriptors();
    List<Listener> listeners = new ArrayList<>();
    listeners.add(new Listener("amqp", bindAddress, amqpPort.getAsInt()));
    int amqps = amqpsPort.getAsInt();
    if (amqps > 0) {
      listeners.add(new Listener("amqp/ssl", bindAddress, amqps));
    }
    int http = managementPort.getAsInt();
    if (http > 0) {
      listeners.add(new Listener("http", bindAddress, http));
    }
    return new NodeInfo(
        name,
        clusterName.get(),
        ServerProperties.PRODUCT,
        ServerProperties.VERSION,
        "Java " + Runtime.version(),
        startedAtMillis,
        r.memoryUsed(),
        r.memoryLimit(),
        r.memoryAlarm(),
        r.diskFree(),
        r.diskFreeLimit(),
        r.diskAlarm(),
        Runtime.getRuntime().availableProcessors(),
        fds.used(),
        fds.limit(),
        listeners,
        exchangeTypes,
        ServerProperties.MECHANISMS,
        churn.get());
  }

  /**
   * The open file descriptors, counted at most once a second: counting lists /proc/self/fd, which
   * with 10,000 connections costs more than a whole overview may. -1 where the JVM cannot tell.
   */
  private Descriptors descriptors() {
    Descriptors last = descriptors;
    long now = System.nanoTime();
    if (last != null && now - last.readAtNanos() < DESCRIPTORS_MAX_AGE_NANOS) {
      return last;
    }
    Descriptors read = new Descriptors(-1, -1, now);
    if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
      read =
          new Descriptors(unix.getOpenFileDescriptorCount(), unix.getMaxFileDescriptorCount(), now);
    }
    descriptors = read;
    return read;
  }

  private record Descriptors(long used, long limit, long readAtNanos) {}

  /** RabbitMQ's alarm names: {@code memory}, {@code disk}. */
  List<String> alarms() {
    ResourceAlarm.Readings r = alarm.readings();
    List<String> alarms = new ArrayList<>(2);
    if (r.memoryAlarm()) {
      alarms.add("memory");
    }
    if (r.diskAlarm()) {
      alarms.add("disk");
    }
    return alarms;
  }
}
