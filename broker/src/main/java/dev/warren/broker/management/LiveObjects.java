package dev.warren.broker.management;

import dev.warren.broker.amqp.ConnectionRegistry;
import dev.warren.broker.stats.ChannelStats;
import dev.warren.broker.stats.ConnectionInfo;
import dev.warren.broker.stats.ConnectionStats;
import dev.warren.broker.stats.ConsumerView;
import dev.warren.broker.stats.MessageStats;
import dev.warren.broker.stats.QueueChurn;
import dev.warren.broker.stats.TlsParameters;
import dev.warren.management.spi.ChannelInfo;
import dev.warren.management.spi.ChurnCounters;
import dev.warren.management.spi.ConsumerInfo;
import dev.warren.management.spi.GlobalCounters;
import dev.warren.management.spi.LiveCounts;
import dev.warren.management.spi.MessageCounters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Connections and channels for the management API, from the snapshots their event loops publish to
 * the {@link ConnectionRegistry} (no connection is asked); closing one is the registry's one
 * command. Only connections past connection.open are listed, as RabbitMQ lists them. Any thread.
 */
final class LiveObjects {
  private final ConnectionRegistry registry;
  private final QueueChurn queueChurn;

  LiveObjects(ConnectionRegistry registry, QueueChurn queueChurn) {
    this.registry = registry;
    this.queueChurn = queueChurn;
  }

  Collection<dev.warren.management.spi.ConnectionInfo> connections() {
    List<dev.warren.management.spi.ConnectionInfo> all = new ArrayList<>();
    for (ConnectionStats c : registry.connections()) {
      if (open(c)) {
        all.add(connection(c));
      }
    }
    return all;
  }

  /**
   * How many connections {@link #connections()} lists of the users {@code users} accepts, their
   * channels and those channels' consumers: one pass that builds nothing.
   */
  LiveCounts counts(Predicate<String> users) {
    long[] n = new long[3];
    registry.forEachConnection(
        c -> {
          boolean counted = open(c) && users.test(c.info().user());
          if (counted) {
            n[0]++;
          }
          return counted;
        },
        ch -> {
          n[1]++;
          n[2] += ch.consumerViews().size();
        });
    return new LiveCounts(n[0], n[1], n[2]);
  }

  /** RabbitMQ lists a connection once it has opened its virtual host. */
  private static boolean open(ConnectionStats c) {
    return switch (c.state()) {
      case STARTING, TUNING, OPENING -> false;
      default -> true;
    };
  }

  private static dev.warren.management.spi.ConnectionInfo connection(ConnectionStats c) {
    ConnectionInfo i = c.info();
    return new dev.warren.management.spi.ConnectionInfo(
        i.name(),
        i.vhost(),
        i.user(),
        i.protocol(),
        i.host(),
        i.port(),
        i.peerHost(),
        i.peerPort(),
        c.state().label(),
        c.channels(),
        i.channelMax(),
        i.frameMax(),
        i.heartbeat(),
        i.authMechanism(),
        i.tls() == null ? null : tls(i.tls()),
        FieldValues.json(i.clientProperties()),
        i.userProvidedName(),
        i.connectedAt(),
        c.recvOct(),
        c.recvCnt(),
        c.sendOct(),
        c.sendCnt(),
        c.sendPend());
  }

  private static dev.warren.management.spi.ConnectionInfo.Tls tls(TlsParameters t) {
    return new dev.warren.management.spi.ConnectionInfo.Tls(
        t.protocol(), t.keyExchange(), t.cipher(), t.hash());
  }

  /** Closes it with 320 CONNECTION_FORCED and the reason; false when there is no such one. */
  boolean close(String name, String reason) {
    return registry.connection(name).filter(LiveObjects::open).isPresent()
        && registry.close(name, reason);
  }

  /** Every open channel; channels publish no idle time, so each shows as busy (0). */
  Collection<ChannelInfo> channels() {
    Map<String, ConnectionInfo> peers = new HashMap<>();
    List<ChannelInfo> all = new ArrayList<>();
    for (ChannelStats ch : registry.channels()) {
      ConnectionInfo peer =
          peers.computeIfAbsent(
              ch.connectionName(),
              name -> registry.connection(name).map(ConnectionStats::info).orElse(null));
      all.add(
          new ChannelInfo(
              ch.name(),
              ch.connectionName(),
              peer == null ? "" : peer.peerHost(),
              peer == null ? 0 : peer.peerPort(),
              ch.number(),
              ch.vhost(),
              ch.user(),
              ch.state().label(),
              ch.prefetch(),
              ch.globalPrefetch(),
              ch.consumers(),
              ch.unacked(),
              ch.unconfirmed(),
              ch.uncommittedMessages(),
              ch.uncommittedAcks(),
              ch.confirm(),
              ch.transactional(),
              0,
              counters(ch.messages())));
    }
    return all;
  }

  /** Every consumer of every open channel, as their channels last published them. */
  Collection<ConsumerInfo> consumers() {
    List<ConsumerInfo> all = new ArrayList<>();
    for (ChannelStats ch : registry.channels()) {
      for (ConsumerView c : ch.consumerViews()) {
        all.add(
            new ConsumerInfo(
                c.vhost(),
                c.queueName(),
                c.tag(),
                ch.name(),
                c.ackRequired(),
                c.exclusive(),
                c.prefetch(),
                c.activity().active(),
                c.activity().label(),
                FieldValues.json(c.arguments())));
      }
    }
    return all;
  }

  /** The message counts of a vhost's channels, those closed included. */
  MessageCounters vhostCounters(String vhost) {
    return counters(registry.totals(vhost).messages());
  }

  /** The node's counts since the start: every channel's, closed ones included. */
  GlobalCounters globalCounters() {
    MessageStats m = registry.totals(null).messages();
    return new GlobalCounters(
        m.publish(),
        m.publishWithConfirm(),
        m.routed(),
        m.dropUnroutable(),
        m.returnUnroutable(),
        m.confirm(),
        m.deliver(),
        m.deliverNoAck(),
        m.get(),
        m.getNoAck(),
        m.getEmpty(),
        m.redeliver(),
        m.ack());
  }

  /** Connections and channels opened and closed, queues declared, created and deleted. */
  ChurnCounters churn() {
    ConnectionRegistry.Churn c = registry.churn();
    return new ChurnCounters(
        c.connectionsOpened(),
        c.connectionsClosed(),
        c.channelsOpened(),
        c.channelsClosed(),
        queueChurn.created(),
        queueChurn.declared(),
        queueChurn.deleted());
  }

  private static MessageCounters counters(MessageStats m) {
    return new MessageCounters(
        m.publish(),
        m.confirm(),
        m.returnUnroutable(),
        m.dropUnroutable(),
        m.deliver(),
        m.deliverNoAck(),
        m.get(),
        m.getNoAck(),
        m.getEmpty(),
        m.redeliver(),
        m.ack());
  }
}
