package dev.warren.broker.amqp;

import dev.warren.amqp.ConnectionException;
import dev.warren.amqp.ReplyCode;
import dev.warren.broker.stats.ChannelStats;
import dev.warren.broker.stats.ConnectionStats;
import dev.warren.broker.stats.ConnectionTotals;
import dev.warren.broker.stats.MessageStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Every connection of the broker and its channels, by RabbitMQ's connection name, from the moment
 * the socket is accepted until it is gone; what management reads. Readers get the snapshots the
 * owners published ({@link ConnectionStats}, {@link ChannelStats}): reading never sends anything to
 * a connection's event loop, and never waits for one. The one command is {@link #close}.
 *
 * <p>Totals ({@link #totals}) add up the open connections' and channels' snapshots and the final
 * counts of those closed, kept per virtual host. A closing channel or connection moves its counts
 * from the one to the other as a unit: the owner announces the move ({@code retiring}, {@code
 * changes}) around it, and a reader that overlapped a move sums again (a seqlock with many writers;
 * writers never wait). So a total counts each message once, and never goes back.
 *
 * <p>Thread-safe: event loops register, retire and deregister; any thread reads and closes.
 */
public final class ConnectionRegistry {
  /** Sums tried before a total overlapping moves is returned as it is. */
  private static final int CONSISTENT_SUM_ATTEMPTS = 100;

  /** The message counts in {@link MessageStats} order, then octets received and sent. */
  private static final int MESSAGE_COUNTS = 14;

  private static final int RECV_OCT = MESSAGE_COUNTS;
  private static final int SEND_OCT = MESSAGE_COUNTS + 1;
  private static final int COUNTS = MESSAGE_COUNTS + 2;

  private final ConcurrentHashMap<String, AmqpConnection> byName = new ConcurrentHashMap<>();

  /** Per virtual host: what its closed channels and connections counted. */
  private final ConcurrentHashMap<String, AtomicLongArray> closed = new ConcurrentHashMap<>();

  private final AtomicInteger retiring = new AtomicInteger();
  private final AtomicLong changes = new AtomicLong();
  private final LongAdder connectionsOpened = new LongAdder();
  private final LongAdder connectionsClosed = new LongAdder();
  private final LongAdder channelsOpened = new LongAdder();
  private final LongAdder channelsClosed = new LongAdder();
  private final SharedValues shared = new SharedValues();

  /** The figures of every connection, in no particular order. */
  public List<ConnectionStats> connections() {
    List<ConnectionStats> all = new ArrayList<>(byName.size());
    for (AmqpConnection c : byName.values()) {
      all.add(c.figures().stats());
    }
    return all;
  }

  /** The figures of the connection of that name, if it is still there. */
  public Optional<ConnectionStats> connection(String name) {
    AmqpConnection c = byName.get(name);
    return c == null ? Optional.empty() : Optional.of(c.figures().stats());
  }

  /** The figures of every open channel of every connection. */
  public List<ChannelStats> channels() {
    List<ChannelStats> all = new ArrayList<>();
    for (AmqpConnection c : byName.values()) {
      all.addAll(c.figures().channelStats());
    }
    return all;
  }

  /**
   * Hands each connection's figures to {@code connection} and, when it answers true, the figures of
   * that connection's open channels to {@code channel}, building no lists: what counting them needs
   * (the overview, with 10,000 connections).
   */
  public void forEachConnection(
      Predicate<ConnectionStats> connection, Consumer<ChannelStats> channel) {
    for (AmqpConnection c : byName.values()) {
      ConnectionFigures figures = c.figures();
      if (connection.test(figures.stats())) {
        figures.forEachChannel(channel);
      }
    }
  }

  /** The figures of the open channels of one connection (none if it is gone). */
  public List<ChannelStats> channels(String connectionName) {
    AmqpConnection c = byName.get(connectionName);
    return c == null ? List.of() : c.figures().channelStats();
  }

  /**
   * Closes the connection of that name as RabbitMQ's management API does: connection.close with 320
   * CONNECTION_FORCED and the text {@code "CONNECTION_FORCED - <reason>"} (a connection still in
   * its handshake loses its socket). Returns at once, false if there is no such connection; the
   * connection's event loop closes it.
   */
  public boolean close(String name, String reason) {
    AmqpConnection c = byName.get(name);
    if (c == null) {
      return false;
    }
    c.closeForced(new ConnectionException(ReplyCode.CONNECTION_FORCED, reason));
    return true;
  }

  /**
   * Connections and channels of one virtual host ({@code null}: all), with what the closed ones
   * counted. Sums published snapshots: the counts of an open channel are those of the end of its
   * last batch of work.
   */
  public ConnectionTotals totals(String vhost) {
    ConnectionTotals sum = null;
    for (int attempt = 1; attempt <= CONSISTENT_SUM_ATTEMPTS; attempt++) {
      long before = changes.get();
      if (retiring.get() != 0) {
        if (attempt > 10) {
          Thread.yield(); // an owner may have been descheduled in the middle of a move
        } else {
          Thread.onSpinWait();
        }
        continue;
      }
      sum = sum(vhost);
      if (changes.get() == before) {
        return sum;
      }
    }
    return sum != null ? sum : sum(vhost);
  }

  private ConnectionTotals sum(String vhost) {
    long[] counts = new long[COUNTS];
    for (Map.Entry<String, AtomicLongArray> e : closed.entrySet()) {
      if (vhost == null || vhost.equals(e.getKey())) {
        AtomicLongArray c = e.getValue();
        for (int i = 0; i < COUNTS; i++) {
          counts[i] += c.get(i);
        }
      }
    }
    int connections = 0;
    int channels = 0;
    for (AmqpConnection c : byName.values()) {
      ConnectionFigures figures = c.figures();
      String its = figures.info().vhost();
      if (its.isEmpty() || (vhost != null && !vhost.equals(its))) {
        continue;
      }
      connections++;
      ConnectionStats stats = figures.stats();
      counts[RECV_OCT] += stats.recvOct();
      counts[SEND_OCT] += stats.sendOct();
      for (ChannelFigures channel : figures.openChannels()) {
        channels++;
        add(counts, channel.stats().messages());
      }
    }
    return new ConnectionTotals(
        connections, channels, counts[RECV_OCT], counts[SEND_OCT], messages(counts));
  }

  /** Connections and channels opened and closed since the start (RabbitMQ's churn counts). */
  public record Churn(
      long connectionsOpened, long connectionsClosed, long channelsOpened, long channelsClosed) {}

  public Churn churn() {
    return new Churn(
        connectionsOpened.sum(),
        connectionsClosed.sum(),
        channelsOpened.sum(),
        channelsClosed.sum());
  }

  // --- The owners' side: event loops ----------------------------------------------------------

  void register(String name, AmqpConnection connection) {
    byName.put(name, connection);
  }

  /** A connection opened its virtual host (RabbitMQ counts a connection created there). */
  void opened() {
    connectionsOpened.increment();
  }

  void channelsOpened(int n) {
    channelsOpened.add(n);
  }

  void channelsClosed(int n) {
    channelsClosed.add(n);
  }

  /**
   * Moves counts of {@code vhost} from the open to the closed: adds {@code messages} and the octets
   * to the closed ones, and runs {@code unlist}, which takes the channels or connection that
   * counted them out of what readers iterate, as one change for {@link #totals}.
   */
  void retire(
      String vhost, List<MessageStats> messages, long recvOct, long sendOct, Runnable unlist) {
    AtomicLongArray into = closed.computeIfAbsent(vhost, v -> new AtomicLongArray(COUNTS));
    retiring.incrementAndGet();
    changes.incrementAndGet();
    try {
      for (MessageStats m : messages) {
        add(into, m);
      }
      into.addAndGet(RECV_OCT, recvOct);
      into.addAndGet(SEND_OCT, sendOct);
      unlist.run();
    } finally {
      changes.incrementAndGet();
      retiring.decrementAndGet();
    }
  }

  /**
   * The socket is gone (its channels retired already): the connection leaves the registry, and its
   * octets join the closed ones of its virtual host ({@code ""}: it never opened one).
   */
  void deregister(
      String name, AmqpConnection connection, String vhost, long recvOct, long sendOct) {
    if (vhost.isEmpty()) {
      byName.remove(name, connection);
      return;
    }
    retire(vhost, List.of(), recvOct, sendOct, () -> byName.remove(name, connection));
    connectionsClosed.increment();
  }

  /** What figures of many connections hold equal copies of, kept once. */
  SharedValues shared() {
    return shared;
  }

  private static void add(long[] counts, MessageStats m) {
    counts[0] += m.publish();
    counts[1] += m.confirm();
    counts[2] += m.returnUnroutable();
    counts[3] += m.dropUnroutable();
    counts[4] += m.deliver();
    counts[5] += m.deliverNoAck();
    counts[6] += m.get();
    counts[7] += m.getNoAck();
    counts[8] += m.getEmpty();
    counts[9] += m.ack();
    counts[10] += m.redeliver();
    counts[11] += m.reject();
    counts[12] += m.routed();
    counts[13] += m.publishWithConfirm();
  }

  private static void add(AtomicLongArray counts, MessageStats m) {
    long[] values = new long[MESSAGE_COUNTS];
    add(values, m);
    for (int i = 0; i < MESSAGE_COUNTS; i++) {
      if (values[i] != 0) {
        counts.addAndGet(i, values[i]);
      }
    }
  }

  private static MessageStats messages(long[] c) {
    return new MessageStats(
        c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13]);
  }
}
