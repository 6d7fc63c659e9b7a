package dev.warren.broker.amqp;

import dev.warren.amqp.AmqpEncoder;
import dev.warren.amqp.AmqpFrameDecoder;
import dev.warren.broker.stats.ChannelStats;
import dev.warren.broker.stats.ConnectionInfo;
import dev.warren.broker.stats.ConnectionStats;
import dev.warren.broker.stats.MessageStats;
import dev.warren.broker.stats.TlsParameters;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A connection's figures, and those of its channels, for readers on other threads. The connection
 * (its event loop) publishes them: {@link #publish} runs at the end of every batch of work, before
 * the flush, and makes a new {@link ConnectionStats} only if a figure changed, and a new {@link
 * ChannelStats} only for the channels that marked themselves changed in the batch. So a client that
 * has seen an answer sees figures that include what led to it. Octets and frames come from the
 * codec's counters ({@link AmqpFrameDecoder#bytesRead()}, ...).
 *
 * <p>The open channels are a copy-on-write array that readers iterate without a lock; a channel
 * that closes leaves it at the moment its final counts join the closed ones of its virtual host
 * ({@link ConnectionRegistry#retire}), so sums over a virtual host count each message once.
 *
 * <p>Thread: the connection's event loop, except {@link #stats}, {@link #info} and {@link
 * #openChannels}, which any thread reads.
 */
final class ConnectionFigures {
  private static final ChannelFigures[] NONE = new ChannelFigures[0];

  private final AmqpConnection connection;
  private final ConnectionRegistry registry;

  /** The channels changed in this batch, linked through {@link ChannelFigures#nextChanged}. */
  private ChannelFigures changed;

  private AmqpFrameDecoder decoder;
  private AmqpEncoder encoder;
  private volatile ConnectionInfo info;
  private volatile ChannelFigures[] channels = NONE;
  private volatile ConnectionStats stats;

  ConnectionFigures(AmqpConnection connection, ConnectionRegistry registry) {
    this.connection = connection;
    this.registry = registry;
  }

  /** The socket is connected: the connection is listed from now on. */
  void accepted(ChannelHandlerContext ctx) {
    decoder = ctx.pipeline().get(AmqpFrameDecoder.class);
    encoder = ctx.pipeline().get(AmqpEncoder.class);
    SocketAddress local = ctx.channel().localAddress();
    SocketAddress peer = ctx.channel().remoteAddress();
    SharedValues shared = registry.shared();
    info =
        ConnectionInfo.accepted(
            endpoint(peer) + " -> " + endpoint(local),
            shared.host(host(local)),
            port(local),
            shared.host(host(peer)),
            port(peer),
            System.currentTimeMillis());
    stats = snapshot(ConnectionStats.State.STARTING, 0);
    registry.register(info.name(), connection);
  }

  /** connection.start-ok was accepted. */
  void loggedIn(String user, String mechanism, Map<String, Object> clientProperties) {
    info =
        info.withLogin(
            user,
            mechanism,
            registry.shared().clientProperties(clientProperties),
            connection.tlsSession().map(TlsParameters::of).orElse(null));
  }

  /** connection.tune-ok was accepted. */
  void tuned(int frameMax, int channelMax, int heartbeat) {
    info = info.withTuning(frameMax, channelMax, heartbeat);
  }

  /** connection.open was accepted. */
  void opened(String vhost) {
    info = info.withVhost(vhost);
    registry.opened();
  }

  ConnectionInfo info() {
    return info;
  }

  /** The connection's figures as last published. Any thread. */
  ConnectionStats stats() {
    return stats;
  }

  /** The channels open now. Any thread; the array is never changed after it is published. */
  ChannelFigures[] openChannels() {
    return channels;
  }

  /** The published figures of the channels open now. Any thread. */
  List<ChannelStats> channelStats() {
    ChannelFigures[] open = channels;
    List<ChannelStats> all = new ArrayList<>(open.length);
    for (ChannelFigures c : open) {
      all.add(c.stats());
    }
    return all;
  }

  /** Hands each open channel's figures to {@code each}, without building a list. */
  void forEachChannel(Consumer<ChannelStats> each) {
    for (ChannelFigures c : channels) {
      each.accept(c.stats());
    }
  }

  void channelOpened(ChannelFigures channel) {
    ChannelFigures[] open = Arrays.copyOf(channels, channels.length + 1);
    open[open.length - 1] = channel;
    channels = open;
    registry.channelsOpened(1);
  }

  void channelClosed(ChannelFigures channel) {
    registry.retire(
        info.vhost(), List.of(channel.counts()), 0, 0, () -> channels = without(channel));
    registry.channelsClosed(1);
  }

  /** Every channel closes at once (the connection closes). */
  void channelsClosed(Collection<AmqpChannel> closing) {
    if (closing.isEmpty()) {
      return;
    }
    List<MessageStats> counts = new ArrayList<>(closing.size());
    for (AmqpChannel c : closing) {
      counts.add(c.figures().counts());
    }
    registry.retire(info.vhost(), counts, 0, 0, () -> channels = NONE);
    registry.channelsClosed(closing.size());
  }

  private ChannelFigures[] without(ChannelFigures channel) {
    ChannelFigures[] open = channels;
    for (int i = 0; i < open.length; i++) {
      if (open[i] == channel) {
        ChannelFigures[] fewer = new ChannelFigures[open.length - 1];
        System.arraycopy(open, 0, fewer, 0, i);
        System.arraycopy(open, i + 1, fewer, i, open.length - i - 1);
        return fewer;
      }
    }
    return open;
  }

  /** The socket is gone (its channels closed first): the connection is no longer listed. */
  void gone() {
    if (info != null) {
      registry.deregister(
          info.name(), connection, info.vhost(), decoder.bytesRead(), encoder.bytesWritten());
    }
  }

  /**
   * A channel changed in this batch: its snapshot is published with the connection's. Returns the
   * channel changed before it, for {@link ChannelFigures#nextChanged}.
   */
  ChannelFigures changed(ChannelFigures channel) {
    ChannelFigures before = changed;
    changed = channel;
    return before;
  }

  /** At the end of a batch, before the flush: new snapshots of whatever changed. */
  void publish() {
    if (info == null) {
      return;
    }
    ChannelFigures channel = changed;
    changed = null;
    while (channel != null) {
      channel = channel.publish();
    }
    ConnectionStats.State state = connection.state();
    int open = channels.length;
    ConnectionStats was = stats;
    if (was.info() == info
        && was.state() == state
        && was.channels() == open
        && was.recvOct() == decoder.bytesRead()
        && was.sendOct() == encoder.bytesWritten()
        && was.sendPend() == pendingBytes()) {
      return;
    }
    stats = snapshot(state, open);
  }

  private ConnectionStats snapshot(ConnectionStats.State state, int open) {
    return new ConnectionStats(
        info,
        state,
        open,
        decoder.bytesRead(),
        decoder.framesRead(),
        encoder.bytesWritten(),
        encoder.framesWritten(),
        pendingBytes());
  }

  private long pendingBytes() {
    ChannelOutboundBuffer out = connection.ctx().channel().unsafe().outboundBuffer();
    return out == null ? 0 : out.totalPendingWriteBytes();
  }

  /** RabbitMQ's form of one end: {@code 127.0.0.1:5672}, {@code [::1]:5672}. */
  private static String endpoint(SocketAddress address) {
    String host = host(address);
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port(address);
  }

  /** The address as RabbitMQ writes it: IPv4 dotted, IPv6 compressed (RFC 5952). */
  private static String host(SocketAddress address) {
    return address instanceof InetSocketAddress inet && inet.getAddress() != null
        ? NetUtil.toAddressString(inet.getAddress())
        : String.valueOf(address);
  }

  private static int port(SocketAddress address) {
    return address instanceof InetSocketAddress inet ? inet.getPort() : 0;
  }
}
