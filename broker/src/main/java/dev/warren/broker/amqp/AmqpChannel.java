package dev.warren.broker.amqp;

import dev.warren.amqp.ChannelException;
import dev.warren.amqp.Command;
import dev.warren.amqp.CommandAssembler;
import dev.warren.amqp.ConnectionException;
import dev.warren.amqp.ContentHeaderFrame;
import dev.warren.amqp.Frame;
import dev.warren.amqp.LongString;
import dev.warren.amqp.MethodFrame;
import dev.warren.amqp.ReplyCode;
import dev.warren.amqp.method.AmqpClass;
import dev.warren.amqp.method.BasicPublish;
import dev.warren.amqp.method.ChannelClose;
import dev.warren.amqp.method.ChannelCloseOk;
import dev.warren.amqp.method.ChannelFlow;
import dev.warren.amqp.method.ChannelFlowOk;
import dev.warren.amqp.method.ChannelOpen;
import dev.warren.amqp.method.ChannelOpenOk;
import dev.warren.amqp.method.Method;
import dev.warren.broker.stats.ConnectionInfo;
import dev.warren.broker.vhost.Firehose;
import dev.warren.broker.vhost.VirtualHost;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AMQP channel of a connection: assembles its commands and hands each to the class that
 * implements its AMQP class (exchange, queue, basic, confirm, tx). A method whose answer needs a
 * queue's thread suspends the channel until the answer is back, so replies keep the order of
 * requests; commands arriving meanwhile wait in a backlog (and the socket stops being read if it
 * grows). Thread: the connection's event loop.
 */
final class AmqpChannel {
  private static final Logger LOG = LoggerFactory.getLogger(AmqpChannel.class);

  private static final int BACKLOG_HIGH = 256;

  private enum State {
    OPEN,
    CLOSING,
    CLOSED
  }

  private final AmqpConnection connection;
  private final int number;
  private final CommandAssembler assembler;
  private final ExchangeMethods exchangeMethods;
  private final QueueMethods queueMethods;
  private final ConsumerMethods consumers;
  private final Acks acks;
  private final Publisher publisher;
  private final ChannelFigures figures;
  private final ArrayDeque<Command> backlog = new ArrayDeque<>();
  private State state = State.OPEN;
  private boolean suspended;
  private boolean readPaused;

  AmqpChannel(AmqpConnection connection, int number) {
    this.connection = connection;
    this.number = number;
    this.assembler = new CommandAssembler(connection.ctx().alloc());
    this.exchangeMethods = new ExchangeMethods(this);
    this.queueMethods = new QueueMethods(this);
    this.acks = new Acks(this);
    this.consumers = new ConsumerMethods(this, acks);
    this.publisher = new Publisher(this, acks);
    this.figures = new ChannelFigures(this);
  }

  int number() {
    return number;
  }

  AmqpConnection connection() {
    return connection;
  }

  VirtualHost vhost() {
    return connection.vhost();
  }

  ConsumerMethods consumers() {
    return consumers;
  }

  QueueMethods queues() {
    return queueMethods;
  }

  Acks acks() {
    return acks;
  }

  Publisher publisher() {
    return publisher;
  }

  /** This channel as the firehose names it: node, connection, number, user. */
  Firehose.Tap tap() {
    ConnectionInfo info = connection.figures().info();
    return new Firehose.Tap(connection.config().nodeName(), info.name(), number, info.user());
  }

  ChannelFigures figures() {
    return figures;
  }

  boolean isOpen() {
    return state == State.OPEN;
  }

  void open() {
    send(new ChannelOpenOk(LongString.of("")));
  }

  void send(Method method) {
    connection.send(new Command(number, method, null, null));
  }

  void send(Command command) {
    connection.send(command);
  }

  void onFrame(Frame frame) {
    if (state != State.OPEN) {
      onFrameWhileClosing(frame);
      return;
    }
    if (frame instanceof ContentHeaderFrame h
        && assembler.isAssembling()
        && h.header().bodySize() > connection.config().maxMessageSize()) {
      h.header().release();
      assembler.release();
      closeWithError(
          new ChannelException(
              ReplyCode.PRECONDITION_FAILED,
              "message size "
                  + h.header().bodySize()
                  + " is larger than configured max size "
                  + connection.config().maxMessageSize(),
              BasicPublish.CLASS_ID,
              BasicPublish.METHOD_ID));
      return;
    }
    Command command = assembler.feed(frame);
    if (command == null) {
      return;
    }
    if (suspended || connection.yielding() || !backlog.isEmpty()) {
      backlog.addLast(command);
      if (backlog.size() == BACKLOG_HIGH && !readPaused) {
        readPaused = true;
        connection.flow().pauseRead();
      }
      return;
    }
    execute(command);
  }

  /** Runs one command, turning a channel error into channel.close (STYLE rule 7). */
  private void execute(Command command) {
    figures.changed();
    try {
      dispatch(command);
    } catch (ChannelException e) {
      command.release();
      closeWithError(e);
    } catch (ConnectionException e) {
      command.release();
      throw e;
    }
  }

  private void dispatch(Command command) {
    Method m = command.method();
    switch (m.classId()) {
      case AmqpClass.BASIC -> basic(command);
      case AmqpClass.QUEUE -> queueMethods.handle(LineBreaks.strip(m));
      case AmqpClass.EXCHANGE -> exchangeMethods.handle(LineBreaks.strip(m));
      case AmqpClass.CHANNEL -> channelMethod(m);
      case AmqpClass.CONFIRM, AmqpClass.TX -> publisher.handle(m);
      default -> throw unexpected(m);
    }
  }

  private void basic(Command command) {
    if (command.method() instanceof BasicPublish) {
      if (connection.blockPublish()) {
        hold(command);
        return;
      }
      publisher.publish(command);
    } else if (!acks.handle(command.method())) {
      consumers.handle(command.method());
    }
  }

  private void channelMethod(Method m) {
    if (m instanceof ChannelClose) {
      release();
      send(new ChannelCloseOk());
      state = State.CLOSED;
      connection.channelClosed(number);
    } else if (m instanceof ChannelFlow flow) {
      if (!flow.active()) {
        // RabbitMQ does not let clients stop the server's deliveries with channel.flow.
        throw new ConnectionException(
            ReplyCode.NOT_IMPLEMENTED, "active=false", m.classId(), m.methodId());
      }
      send(new ChannelFlowOk(true));
    } else if (m instanceof ChannelOpen) {
      throw secondOpen(m);
    } else {
      throw unexpected(m);
    }
  }

  private static ConnectionException secondOpen(Method m) {
    return new ConnectionException(
        ReplyCode.CHANNEL_ERROR, "second 'channel.open' seen", m.classId(), m.methodId());
  }

  /**
   * Under a resource alarm a publish is not processed (as RabbitMQ): it waits, with every later
   * command of the channel, until the alarm clears.
   */
  private void hold(Command publish) {
    suspended = true;
    backlog.addFirst(publish);
    connection
        .flow()
        .whenUnblocked(() -> resumeWith(null, null, v -> {}, v -> {}, publish.method()));
  }

  /** A method the server does not take on a channel (RabbitMQ's code and text). */
  static ConnectionException unexpected(Method m) {
    return new ConnectionException(
        ReplyCode.COMMAND_INVALID, "unimplemented method", m.classId(), m.methodId());
  }

  /**
   * Continues with {@code then} on this channel's thread once {@code future} completes, holding
   * back later commands until then. A failure (or a {@link ChannelException} from {@code then})
   * closes the channel.
   */
  <T> void await(CompletableFuture<T> future, Consumer<T> then, Method method) {
    await(future, then, value -> {}, method);
  }

  /**
   * As {@link #await(CompletableFuture, Consumer, Method)}; {@code abandon} receives a result that
   * arrives after the channel closed, so it can give back what it holds (a message from basic.get).
   */
  <T> void await(
      CompletableFuture<T> future, Consumer<T> then, Consumer<T> abandon, Method method) {
    suspended = true;
    future.whenComplete(
        (value, failure) ->
            connection.outbox().execute(() -> resumeWith(value, failure, then, abandon, method)));
  }

  private <T> void resumeWith(
      T value, Throwable failure, Consumer<T> then, Consumer<T> abandon, Method method) {
    suspended = false;
    figures.changed();
    if (state != State.OPEN) {
      if (failure == null && value != null) {
        abandon.accept(value);
      }
      return;
    }
    try {
      if (failure != null) {
        throw QueueErrors.toChannelException(
            failure instanceof CompletionException ? failure.getCause() : failure, method);
      }
      then.accept(value);
    } catch (ChannelException e) {
      closeWithError(e);
      return;
    } catch (ConnectionException e) {
      connection.closeWithError(e);
      return;
    }
    runBacklog();
  }

  /**
   * Runs the commands that waited, in order, until the channel must wait again (for a queue's
   * answer, or because its connection yields the loop).
   */
  void runBacklog() {
    while (!suspended && !connection.yielding() && state == State.OPEN && !backlog.isEmpty()) {
      execute(backlog.pollFirst());
    }
    if (readPaused && backlog.isEmpty()) {
      readPaused = false;
      connection.flow().resumeRead();
    }
  }

  /** The connection's periodic tick: unacked deliveries past the consumer timeout close us. */
  void checkConsumerTimeout() {
    if (state != State.OPEN) {
      return;
    }
    try {
      acks.checkTimeout();
    } catch (ChannelException e) {
      LOG.warn("channel {}: {}", number, e.getMessage());
      closeWithError(e);
    }
  }

  /** Soft error: channel.close to the client, then wait for close-ok (spec 4.2.8). */
  void closeWithError(ChannelException e) {
    LOG.debug("channel {} closed by broker: {} {}", number, e.replyCode(), e.getMessage());
    release();
    state = State.CLOSING;
    send(
        new ChannelClose(
            e.replyCode().code(), AmqpConnection.replyText(e), e.classId(), e.methodId()));
  }

  private void onFrameWhileClosing(Frame frame) {
    if (frame instanceof MethodFrame mf) {
      if (mf.method() instanceof ChannelCloseOk) {
        state = State.CLOSED;
        connection.channelClosed(number);
      } else if (mf.method() instanceof ChannelClose) {
        send(new ChannelCloseOk());
      } else if (mf.method() instanceof ChannelOpen) {
        // The channel is still there until the client's close-ok (RabbitMQ's answer).
        throw secondOpen(mf.method());
      }
      return;
    }
    Command partial = null;
    try {
      partial = assembler.feed(frame);
    } catch (ConnectionException ignored) {
      // A closing channel discards whatever it receives.
    }
    if (partial != null) {
      partial.release();
    }
  }

  /** Gives back everything the channel holds: consumers, unacked messages, buffered commands. */
  void release() {
    if (state != State.OPEN) {
      return;
    }
    state = State.CLOSING;
    figures.changed();
    consumers.stopAll();
    acks.requeueAll();
    consumers.cancelAll();
    publisher.release();
    assembler.release();
    for (Command c : backlog) {
      c.release();
    }
    backlog.clear();
    if (readPaused) {
      readPaused = false;
      connection.flow().resumeRead();
    }
  }
}
