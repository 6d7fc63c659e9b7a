package dev.warren.broker.amqp;

import dev.warren.amqp.AmqpEncoder;
import dev.warren.amqp.AmqpException;
import dev.warren.amqp.AmqpFrameDecoder;
import dev.warren.amqp.Command;
import dev.warren.amqp.CommandAssembler;
import dev.warren.amqp.ConnectionException;
import dev.warren.amqp.ContentBodyFrame;
import dev.warren.amqp.ContentHeaderFrame;
import dev.warren.amqp.Frame;
import dev.warren.amqp.HeartbeatFrame;
import dev.warren.amqp.MethodFrame;
import dev.warren.amqp.ProtocolHeader;
import dev.warren.amqp.ProtocolHeaderMismatchException;
import dev.warren.amqp.ReplyCode;
import dev.warren.amqp.Wire;
import dev.warren.amqp.method.ChannelOpen;
import dev.warren.amqp.method.ConnectionClose;
import dev.warren.amqp.method.ConnectionCloseOk;
import dev.warren.amqp.method.Method;
import dev.warren.broker.BrokerConfig;
import dev.warren.broker.access.Grants;
import dev.warren.broker.metadata.DefinitionChanges;
import dev.warren.broker.stats.ConnectionStats;
import dev.warren.broker.tls.TlsFailure;
import dev.warren.broker.vhost.QueueStorage;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.queue.Mailbox;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AMQP connection: the last handler of its Netty pipeline. It owns the connection's channels
 * and routes frames to them; connection-class methods (handshake, close) go to {@link Handshake}.
 * Only this class turns exceptions into close methods (STYLE rule 7): a {@link
 * dev.warren.amqp.ChannelException} closes one channel, a {@link ConnectionException} the
 * connection, anything else is INTERNAL_ERROR.
 *
 * <p>Thread: the connection's event loop, always. Other threads (queues) reach it only through
 * {@link #outbox()}, a mailbox drained on the event loop that flushes the socket once per batch.
 * Before each flush it publishes its figures and those of its channels ({@link ConnectionFigures}),
 * which any thread reads through the {@link ConnectionRegistry}.
 */
public final class AmqpConnection extends ChannelInboundHandlerAdapter
    implements VirtualHost.Client {
  private static final Logger LOG = LoggerFactory.getLogger(AmqpConnection.class);

  private static final long CLOSE_TIMEOUT_SECONDS = 3;

  private final BrokerContext broker;
  private final Handshake handshake;
  private final IntObjectHashMap<AmqpChannel> channels = new IntObjectHashMap<>();

  /** Heap of a connection and of a channel, counted in the memory ledger while they are open. */
  private static final int CONNECTION_HEAP = 16 * 1024;

  private static final int CHANNEL_HEAP = 4 * 1024;

  /**
   * Copies of messages (a publish counts once per queue it reaches) routed in one go, past which
   * the connection lets the event loop run its other work (deliveries, confirms, other connections)
   * before it goes on: a read of publishes fanned out to thousands of queues must not hold the loop
   * for seconds while nothing is delivered.
   */
  private static final int ROUTED_PER_SLICE = 16_384;

  private final ConnectionFlow flow;
  private final ConnectionFigures figures;
  private final Heartbeats heartbeats = new Heartbeats(this::sendHeartbeat, this::peerWentSilent);
  private final List<dev.warren.queue.MessageQueue> exclusiveQueues = new ArrayList<>();

  private ChannelHandlerContext ctx;
  private Mailbox outbox;
  private boolean closing;
  private boolean needsFlush;
  private LoopTicker ticker;
  private ScheduledFuture<?> handshakeTimer;

  private int routedInSlice;
  private boolean yielding;

  public AmqpConnection(BrokerContext broker) {
    this.broker = broker;
    this.flow = new ConnectionFlow(this, broker.ledger());
    this.figures = new ConnectionFigures(this, broker.connections());
    this.handshake = new Handshake(this, broker);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.outbox = new Mailbox(ctx.channel().eventLoop(), () -> false, this::flushIfNeeded);
    broker.alarm().register(this);
    broker.ledger().add(CONNECTION_HEAP);
  }

  BrokerConfig config() {
    return broker.config();
  }

  ChannelHandlerContext ctx() {
    return ctx;
  }

  /** Runs tasks from other threads on this connection's event loop, in order. */
  Mailbox outbox() {
    return outbox;
  }

  VirtualHost vhost() {
    return handshake.vhost();
  }

  /** Changes of stored definitions go through here (to the metadata thread). */
  DefinitionChanges changes() {
    return broker.changes();
  }

  /** The stores of the queues this connection declares. */
  QueueStorage storage() {
    return broker.storage();
  }

  Handshake handshake() {
    return handshake;
  }

  /** What this connection's user may do in its vhost; set once the connection is open. */
  Grants grants() {
    return handshake.grants();
  }

  ConnectionFigures figures() {
    return figures;
  }

  /** Where the connection is, as RabbitMQ names it. */
  ConnectionStats.State state() {
    if (closing) {
      return ConnectionStats.State.CLOSING;
    }
    ConnectionStats.State handshaking = handshake.state();
    return handshaking == ConnectionStats.State.RUNNING ? flow.state() : handshaking;
  }

  /**
   * The TLS session of a connection to the AMQPS listener (complete once the protocol header has
   * come through it), or empty on the plain listener.
   */
  Optional<SSLSession> tlsSession() {
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    return tls == null ? Optional.empty() : Optional.of(tls.engine().getSession());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    heartbeats.read();
    if (msg == ProtocolHeader.AMQP_0_9_1) {
      handshake.start();
    } else if (msg instanceof Frame frame) {
      try {
        onFrame(frame);
      } catch (ConnectionException e) {
        closeWithError(e);
      } catch (RuntimeException e) {
        internalError(e);
      }
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onFrame(Frame frame) {
    if (closing) {
      onFrameWhileClosing(frame);
      return;
    }
    if (frame instanceof HeartbeatFrame) {
      return;
    }
    if (frame.channel() == 0) {
      if (frame instanceof MethodFrame mf) {
        handshake.onMethod(mf.method());
        return;
      }
      release(frame);
      throw new ConnectionException(ReplyCode.UNEXPECTED_FRAME, "content frame on channel 0", 0, 0);
    }
    if (!handshake.isOpen()) {
      release(frame);
      throw new ConnectionException(
          ReplyCode.UNEXPECTED_FRAME, "frame on channel " + frame.channel() + " before open-ok");
    }
    AmqpChannel channel = channels.get(frame.channel());
    if (channel == null) {
      openChannel(frame);
      return;
    }
    channel.onFrame(frame);
  }

  /**
   * A frame on a channel that is not open: channel.open opens it; any other method is a
   * CHANNEL_ERROR naming that method, and a content frame an UNEXPECTED_FRAME (RabbitMQ's codes and
   * texts).
   */
  private void openChannel(Frame frame) {
    int number = frame.channel();
    if (!(frame instanceof MethodFrame mf)) {
      release(frame);
      throw new ConnectionException(ReplyCode.UNEXPECTED_FRAME, CommandAssembler.METHOD_EXPECTED);
    }
    if (!(mf.method() instanceof ChannelOpen)) {
      throw new ConnectionException(
          ReplyCode.CHANNEL_ERROR,
          "expected 'channel.open'",
          mf.method().classId(),
          mf.method().methodId());
    }
    if (channels.size() >= handshake.channelMax()) {
      // As RabbitMQ: channel-max bounds how many channels are open, not their numbers.
      throw new ConnectionException(
          ReplyCode.NOT_ALLOWED,
          "number of channels opened ("
              + channels.size()
              + ") has reached the negotiated channel_max ("
              + handshake.channelMax()
              + ")",
          ChannelOpen.CLASS_ID,
          ChannelOpen.METHOD_ID);
    }
    handshake.channelOpening();
    AmqpChannel channel = new AmqpChannel(this, number);
    channels.put(number, channel);
    figures.channelOpened(channel.figures());
    broker.ledger().add(CHANNEL_HEAP);
    channel.open();
  }

  /** After we sent connection.close, only close and close-ok matter (spec 4.2.8). */
  private void onFrameWhileClosing(Frame frame) {
    if (frame instanceof MethodFrame mf && frame.channel() == 0) {
      Method m = mf.method();
      if (m instanceof ConnectionClose) {
        send(new Command(0, new ConnectionCloseOk(), null, null));
        closeSocket();
      } else if (m instanceof ConnectionCloseOk) {
        closeSocket();
      }
      return;
    }
    release(frame);
  }

  private static void release(Frame frame) {
    if (frame instanceof ContentBodyFrame body) {
      body.payload().release();
    } else if (frame instanceof ContentHeaderFrame header) {
      header.header().release();
    }
  }

  /** An exclusive queue this connection declared; it is deleted when the connection goes. */
  void ownExclusive(dev.warren.queue.MessageQueue queue) {
    exclusiveQueues.add(queue);
  }

  void channelClosed(int number) {
    AmqpChannel closed = channels.remove(number);
    if (closed != null) {
      figures.channelClosed(closed.figures());
      broker.ledger().add(-CHANNEL_HEAP);
      handshake.channelGone();
    }
  }

  /** Writes a command; flushed at the end of the current read or outbox batch. */
  void send(Command command) {
    ctx.write(command, ctx.voidPromise());
    needsFlush = true;
  }

  /** The end of a batch of work: figures are published, then what was written is flushed. */
  void flushIfNeeded() {
    figures.publish();
    if (needsFlush) {
      needsFlush = false;
      heartbeats.flushed();
      ctx.flush();
      ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
      flow.countOutbound(out == null ? 0 : out.size());
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    routedInSlice = 0;
    flushIfNeeded();
  }

  /**
   * A publish was routed to {@code copies} queues. Past {@value #ROUTED_PER_SLICE} copies in one go
   * the connection yields: its socket is not read and its channels keep what the read already
   * brought in their backlogs, until a task queued behind the loop's other work goes on.
   */
  void routed(int copies) {
    flow.routed(copies);
    routedInSlice += copies;
    if (routedInSlice > ROUTED_PER_SLICE && !yielding) {
      yielding = true;
      flow.pauseRead();
      ctx.executor().execute(this::endSlice);
    }
  }

  /** Whether the connection yields the loop: channels keep new commands in their backlogs. */
  boolean yielding() {
    return yielding;
  }

  private void endSlice() {
    yielding = false;
    routedInSlice = 0;
    for (AmqpChannel channel : new ArrayList<>(channels.values())) {
      channel.runBacklog();
    }
    flow.resumeRead();
    flushIfNeeded();
  }

  /** Why publishers must wait now (a resource alarm, or memory short before it is raised). */
  String alarmNow() {
    return broker.alarm().blockReason();
  }

  /** This connection blocked before the alarm's news reached it: it hears when that passes. */
  void blockedEarly() {
    broker.alarm().blockedEarly(this);
  }

  /** Whether memory is short: deliveries that grow the heap until acked must wait. */
  boolean memoryShort() {
    return broker.alarm().memoryShort();
  }

  /** Runs {@code resume} on this connection's loop once memory is no longer short. */
  void whenMemoryClears(Runnable resume) {
    broker.alarm().whenMemoryClears(() -> outbox.execute(resume));
  }

  /** Once the tune is agreed: frame size limits, heartbeats, and the consumer-timeout tick. */
  void applyTuning(int frameMax, int heartbeatSeconds) {
    ticker = LoopTicker.of(ctx.channel().eventLoop());
    ticker.add(this);
    ctx.pipeline().get(AmqpFrameDecoder.class).frameMax(frameMax);
    ctx.pipeline().get(AmqpEncoder.class).frameMax(frameMax);
    if (heartbeatSeconds > 0) {
      heartbeats.start(ctx.executor(), heartbeatSeconds);
    }
  }

  /** Once a second, from this loop's {@link LoopTicker}: consumer timeouts, figures, flushes. */
  void tick() {
    if (closing) {
      return;
    }
    for (AmqpChannel channel : new ArrayList<>(channels.values())) {
      channel.checkConsumerTimeout();
    }
    flushIfNeeded();
  }

  private void sendHeartbeat() {
    ctx.writeAndFlush(HeartbeatFrame.INSTANCE, ctx.voidPromise());
  }

  private void peerWentSilent() {
    LOG.warn(
        "connection {}: missed heartbeats from client, closing", ctx.channel().remoteAddress());
    closeSocket();
  }

  /**
   * Hard error: connection.close to the peer, then wait for close-ok (spec 4.2.8). Before the
   * client is trusted (see {@link Handshake#answersErrors()}) the socket is just closed.
   */
  void closeWithError(ConnectionException e) {
    if (closing) {
      return;
    }
    if (!handshake.answersErrors()) {
      LOG.info(
          "connection {} dropped during the handshake: {} {}",
          ctx.channel().remoteAddress(),
          e.replyCode().code(),
          e.getMessage());
      closeSocket();
      return;
    }
    LOG.info(
        "connection {} closed by broker: {} {}",
        ctx.channel().remoteAddress(),
        e.replyCode().code(),
        e.getMessage());
    beginClose(e.replyCode(), e.text(), e.classId(), e.methodId());
  }

  void beginClose(ReplyCode code, String text, int classId, int methodId) {
    closing = true;
    releaseChannels();
    ctx.writeAndFlush(
        new Command(
            0,
            new ConnectionClose(
                code.code(), replyText(code.name() + " - " + text), classId, methodId),
            null,
            null));
    ctx.executor().schedule(this::closeSocket, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** The client closed: every channel goes, then close-ok, then the socket. */
  void clientClosed() {
    closing = true;
    releaseChannels();
    send(new Command(0, new ConnectionCloseOk(), null, null));
    flushIfNeeded();
    closeSocket();
  }

  /** The reply text of a close for {@code e}: its code's name and text, fitted to a shortstr. */
  static String replyText(AmqpException e) {
    return replyText(e.getMessage());
  }

  /**
   * {@code text} cut to the 255 octets of a shortstr, as RabbitMQ cuts it: 252 octets (here, at a
   * character boundary) and "...". A queue name alone may take 255.
   */
  private static String replyText(String text) {
    if (ByteBufUtil.utf8Bytes(text) <= Wire.SHORTSTR_MAX) {
      return text;
    }
    int end = 0;
    int octets = 0;
    while (end < text.length()) {
      int next = text.offsetByCodePoints(end, 1);
      octets += ByteBufUtil.utf8Bytes(text, end, next);
      if (octets > Wire.SHORTSTR_MAX - 3) {
        break;
      }
      end = next;
    }
    return text.substring(0, end) + "...";
  }

  private void internalError(RuntimeException e) {
    LOG.error("connection {}: internal error", ctx.channel().remoteAddress(), e);
    if (!closing) {
      beginClose(ReplyCode.INTERNAL_ERROR, "internal error", 0, 0);
    }
  }

  void closeSocket() {
    closing = true;
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  private void releaseChannels() {
    broker.ledger().add(-(long) CHANNEL_HEAP * channels.size());
    List<AmqpChannel> closed = new ArrayList<>(channels.values());
    for (AmqpChannel channel : closed) {
      channel.release();
      handshake.channelGone();
    }
    channels.clear();
    figures.channelsClosed(closed);
  }

  /**
   * Closes the connection from another thread with {@code e} (the management API's close: 320
   * CONNECTION_FORCED), on its event loop.
   */
  void closeForced(ConnectionException e) {
    ctx.executor()
        .execute(
            () -> {
              closeWithError(e);
              figures.publish();
            });
  }

  @Override
  public String name() {
    return figures.info().name();
  }

  /** Its virtual host is deleted: as {@link #closeForced(ConnectionException)}, 320 with reason. */
  @Override
  public void closeForced(String reason) {
    closeForced(new ConnectionException(ReplyCode.CONNECTION_FORCED, reason));
  }

  /** The client has this long to open the connection (RabbitMQ's handshake_timeout). */
  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    figures.accepted(ctx);
    handshakeTimer =
        ctx.executor()
            .schedule(
                this::handshakeTimedOut,
                broker.config().handshakeTimeoutMillis(),
                TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  /** connection.open-ok is sent: the handshake timeout no longer applies. */
  void opened() {
    handshakeTimer.cancel(false);
  }

  private void handshakeTimedOut() {
    if (!closing && !handshake.isOpen()) {
      LOG.warn(
          "connection {}: no connection.open within {} ms, closing",
          ctx.channel().remoteAddress(),
          broker.config().handshakeTimeoutMillis());
      closeSocket();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (handshakeTimer != null) {
      handshakeTimer.cancel(false);
    }
    broker.alarm().unregister(this);
    broker.ledger().add(-CONNECTION_HEAP);
    flow.close();
    if (ticker != null) {
      ticker.remove(this);
    }
    heartbeats.stop();
    closing = true;
    releaseChannels();
    figures.gone();
    VirtualHost vhost = handshake.vhost();
    if (vhost != null) {
      vhost.clients().remove(this);
    }
    handshake.connectionGone(exclusiveQueues);
    exclusiveQueues.clear();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable e =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (e instanceof ProtocolHeaderMismatchException) {
      ctx.writeAndFlush(ProtocolHeader.AMQP_0_9_1).addListener(ChannelFutureListener.CLOSE);
    } else if (e instanceof ConnectionException ce) {
      closeWithError(ce);
    } else if (e instanceof SSLException ssl) {
      // A failed handshake (no or an untrusted client certificate, an old protocol version, plain
      // AMQP on the TLS port) or a bad record: the TLS handler has sent its alert. The client's
      // fault, not the broker's: once, without a stack trace; other connections go on.
      SslHandler tls = ctx.pipeline().get(SslHandler.class);
      LOG.warn(
          "connection {}: {}: {}",
          ctx.channel().remoteAddress(),
          tls != null && tls.handshakeFuture().isSuccess() ? "TLS failed" : "TLS handshake failed",
          TlsFailure.reason(ssl));
      ctx.close();
    } else if (e instanceof java.io.IOException) {
      LOG.debug("connection {}: {}", ctx.channel().remoteAddress(), e.toString());
      ctx.close();
    } else {
      internalError(e instanceof RuntimeException re ? re : new RuntimeException(e));
    }
  }

  // --- Back-pressure: see ConnectionFlow ----------------------------------------------------

  ConnectionFlow flow() {
    return flow;
  }

  /**
   * A publish arrived on one of this connection's channels: true when a resource alarm holds it
   * back (the connection is then blocked until the alarm clears).
   */
  boolean blockPublish() {
    return !closing && flow.blockPublish(handshake.blockedCapability());
  }

  /** The resource alarm changed (null: cleared). Runs on this connection's event loop. */
  void alarm(String reason) {
    flow.alarm(reason, handshake.blockedCapability());
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    flow.writabilityChanged(ctx.channel().isWritable());
  }
}
