package dev.warren.management.stats;

import dev.warren.management.spi.ChannelInfo;
import dev.warren.management.spi.ChurnCounters;
import dev.warren.management.spi.ConnectionInfo;
import dev.warren.management.spi.ExchangeInfo;
import dev.warren.management.spi.ManagementBackend;
import dev.warren.management.spi.MessageCounters;
import dev.warren.management.spi.VhostInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every object's counters from the backend's snapshots once per interval and keeps the last
 * few readings, from which the API computes {@code *_details.rate}. Per object it keeps {@link
 * #OBJECT_SAMPLES} readings (a queue: 3 x 10 longs, about 400 bytes with its ring and map entry);
 * the whole broker and each vhost keep {@link #TOTAL_SAMPLES} for charts.
 *
 * <p>Thread: {@link #sample()} runs on the single sampler thread; the tables are read by API
 * workers concurrently.
 */
public final class Sampler {
  private static final Logger LOG = LoggerFactory.getLogger(Sampler.class);

  /** Readings kept per queue, exchange, connection and channel. */
  public static final int OBJECT_SAMPLES = 3;

  /** Readings kept for the whole broker and per vhost (10 minutes at 5 s). */
  public static final int TOTAL_SAMPLES = 121;

  // Queue counters.
  public static final int Q_READY = 0;
  public static final int Q_UNACKED = 1;
  public static final int Q_PUBLISH = 2;
  public static final int Q_DELIVER = 3;
  public static final int Q_DELIVER_NO_ACK = 4;
  public static final int Q_GET = 5;
  public static final int Q_GET_NO_ACK = 6;
  public static final int Q_REDELIVER = 7;
  public static final int Q_ACK = 8;

  // Exchange counters.
  public static final int X_PUBLISH_IN = 0;
  public static final int X_PUBLISH_OUT = 1;

  // Connection counters.
  public static final int C_RECV_OCT = 0;
  public static final int C_SEND_OCT = 1;

  // Channel, vhost and broker counters: MessageCounters in order, then depths, then churn.
  public static final int M_PUBLISH = 0;
  public static final int M_CONFIRM = 1;
  public static final int M_RETURN_UNROUTABLE = 2;
  public static final int M_DROP_UNROUTABLE = 3;
  public static final int M_DELIVER = 4;
  public static final int M_DELIVER_NO_ACK = 5;
  public static final int M_GET = 6;
  public static final int M_GET_NO_ACK = 7;
  public static final int M_GET_EMPTY = 8;
  public static final int M_REDELIVER = 9;
  public static final int M_ACK = 10;
  public static final int M_READY = 11;
  public static final int M_UNACKED = 12;
  public static final int M_CHURN = 13;

  private final ManagementBackend backend;
  private final LongSupplier clock;
  private long generation;

  public final RateTable<VhostName> queues = new RateTable<>(9, OBJECT_SAMPLES);
  public final RateTable<VhostName> exchanges = new RateTable<>(2, OBJECT_SAMPLES);
  public final RateTable<String> connections = new RateTable<>(2, OBJECT_SAMPLES);
  public final RateTable<String> channels = new RateTable<>(11, OBJECT_SAMPLES);
  public final RateTable<String> vhosts = new RateTable<>(13, TOTAL_SAMPLES);
  public final RateTable<String> total = new RateTable<>(20, TOTAL_SAMPLES);

  /**
   * @param clock epoch milliseconds (tests drive their own)
   */
  public Sampler(ManagementBackend backend, LongSupplier clock) {
    this.backend = backend;
    this.clock = clock;
  }

  /** One sampling round over every object; never throws (a failing backend is logged). */
  public void sample() {
    try {
      sampleOnce();
    } catch (RuntimeException e) {
      LOG.warn("management sampling failed", e);
    }
  }

  private void sampleOnce() {
    long gen = ++generation;
    long now = clock.getAsLong();
    Map<String, long[]> depths = new HashMap<>();
    // Each queue's published figures, one at a time: no record per queue is built for this.
    backend.forEachQueue(
        vhost -> true,
        (vhost, name, type, f) -> {
          queues.record(
              new VhostName(vhost, name),
              now,
              new long[] {
                f.ready(),
                f.unacked(),
                f.published(),
                f.delivered(),
                f.deliveredNoAck(),
                f.gets(),
                f.getsNoAck(),
                f.redelivered(),
                f.acked()
              },
              gen);
          long[] d = depths.computeIfAbsent(vhost, v -> new long[2]);
          d[0] += f.ready();
          d[1] += f.unacked();
        });
    for (ExchangeInfo x : backend.exchanges()) {
      exchanges.record(
          new VhostName(x.vhost(), x.name()), now, new long[] {x.publishIn(), x.publishOut()}, gen);
    }
    for (ConnectionInfo c : backend.connections()) {
      connections.record(c.name(), now, new long[] {c.recvOct(), c.sendOct()}, gen);
    }
    for (ChannelInfo ch : backend.channels()) {
      long[] v = new long[11];
      counters(ch.counters(), v);
      channels.record(ch.name(), now, v, gen);
    }
    long[] all = new long[20];
    MessageCounters sum = MessageCounters.ZERO;
    for (VhostInfo vh : backend.vhosts()) {
      long[] v = new long[13];
      counters(vh.counters(), v);
      long[] d = depths.getOrDefault(vh.name(), new long[2]);
      v[M_READY] = d[0];
      v[M_UNACKED] = d[1];
      all[M_READY] += d[0];
      all[M_UNACKED] += d[1];
      vhosts.record(vh.name(), now, v, gen);
      sum = sum.plus(vh.counters());
    }
    counters(sum, all);
    ChurnCounters c = backend.node().churn();
    long[] churn = {
      c.channelClosed(),
      c.channelCreated(),
      c.connectionClosed(),
      c.connectionCreated(),
      c.queueCreated(),
      c.queueDeclared(),
      c.queueDeleted()
    };
    System.arraycopy(churn, 0, all, M_CHURN, churn.length);
    total.record("", now, all, gen);
    for (RateTable<?> t : new RateTable<?>[] {queues, exchanges, connections, channels, vhosts}) {
      t.sweep(gen);
    }
  }

  /**
   * The latest readings of the virtual hosts {@code accepted} takes, added up, by the {@code M_}
   * indexes up to {@link #M_UNACKED}: figures as of the last round (zeros before the first), as
   * RabbitMQ's overview shows its last statistics collection. Costs the number of vhosts, not of
   * queues or connections.
   */
  public long[] vhostsLatest(Predicate<String> accepted) {
    long[] sum = new long[M_CHURN];
    vhosts.addLatest(accepted, sum);
    return sum;
  }

  /** The message counters of a reading by the {@code M_} indexes; the inverse of counters(). */
  public static MessageCounters messageCounters(long[] v) {
    return new MessageCounters(
        v[M_PUBLISH],
        v[M_CONFIRM],
        v[M_RETURN_UNROUTABLE],
        v[M_DROP_UNROUTABLE],
        v[M_DELIVER],
        v[M_DELIVER_NO_ACK],
        v[M_GET],
        v[M_GET_NO_ACK],
        v[M_GET_EMPTY],
        v[M_REDELIVER],
        v[M_ACK]);
  }

  private static void counters(MessageCounters m, long[] v) {
    v[M_PUBLISH] = m.publish();
    v[M_CONFIRM] = m.confirm();
    v[M_RETURN_UNROUTABLE] = m.returnUnroutable();
    v[M_DROP_UNROUTABLE] = m.dropUnroutable();
    v[M_DELIVER] = m.deliver();
    v[M_DELIVER_NO_ACK] = m.deliverNoAck();
    v[M_GET] = m.get();
    v[M_GET_NO_ACK] = m.getNoAck();
    v[M_GET_EMPTY] = m.getEmpty();
    v[M_REDELIVER] = m.redeliver();
    v[M_ACK] = m.ack();
  }
}
