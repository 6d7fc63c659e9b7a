package dev.warren.broker.amqp;

import static dev.warren.broker.amqp.QueueErrors.accessRefused;
import static dev.warren.broker.amqp.QueueErrors.notFound;
import static dev.warren.broker.amqp.QueueErrors.preconditionFailed;

import dev.warren.amqp.BasicProperties;
import dev.warren.amqp.Command;
import dev.warren.amqp.ConnectionException;
import dev.warren.amqp.ContentHeader;
import dev.warren.amqp.ReplyCode;
import dev.warren.amqp.method.BasicPublish;
import dev.warren.amqp.method.BasicReturn;
import dev.warren.amqp.method.ConfirmSelect;
import dev.warren.amqp.method.ConfirmSelectOk;
import dev.warren.amqp.method.Method;
import dev.warren.amqp.method.TxCommit;
import dev.warren.amqp.method.TxCommitOk;
import dev.warren.amqp.method.TxRollback;
import dev.warren.amqp.method.TxRollbackOk;
import dev.warren.amqp.method.TxSelect;
import dev.warren.amqp.method.TxSelectOk;
import dev.warren.broker.access.User;
import dev.warren.broker.vhost.Firehose;
import dev.warren.broker.vhost.QueueTargets;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.queue.Confirmation;
import dev.warren.queue.Message;
import dev.warren.queue.MessageQueue;
import dev.warren.routing.Destination;
import dev.warren.routing.Exchange;
import dev.warren.routing.HashProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The publishing half of the basic class, with confirm and tx: basic.publish is routed through the
 * vhost's exchanges and handed to every target queue sharing one {@link Message} (one body buffer,
 * reference-counted). Unroutable mandatory messages come back as basic.return 312. Thread: the
 * channel's.
 */
final class Publisher {
  private static final int DELIVERY_MODE_PERSISTENT = 2;

  private final AmqpChannel channel;
  private final Acks acks;
  private final QueueTargets targets = new QueueTargets();
  private ConfirmTracker confirms;

  /** Publishes held until tx.commit; null when the channel is not transactional. */
  private List<Command> transaction;

  Publisher(AmqpChannel channel, Acks acks) {
    this.channel = channel;
    this.acks = acks;
  }

  void handle(Method m) {
    if (m instanceof ConfirmSelect c) {
      if (transaction != null) {
        throw preconditionFailed("cannot switch from tx to confirm mode", m);
      }
      if (confirms == null) {
        confirms = new ConfirmTracker(channel);
      }
      if (!c.nowait()) {
        channel.send(new ConfirmSelectOk());
      }
    } else if (m instanceof TxSelect) {
      if (confirms != null) {
        throw preconditionFailed("cannot switch from confirm to tx mode", m);
      }
      if (transaction == null) {
        transaction = new ArrayList<>();
        acks.beginTransaction();
      }
      channel.send(new TxSelectOk());
    } else if (m instanceof TxCommit) {
      requireTransaction(m);
      List<Command> publishes = transaction;
      transaction = new ArrayList<>();
      Commit commit = new Commit();
      for (Command c : publishes) {
        String name = ((BasicPublish) c.method()).exchange();
        route(c, channel.vhost().exchanges().lookup(name).orElse(null), commit);
      }
      // tx.commit-ok means what a confirm means (DESIGN.md section 4): every publish as safe as a
      // confirm would wait for, every ack applied by the queues' logs.
      channel.await(
          CompletableFuture.allOf(commit.seal(), acks.commit()),
          done -> channel.send(new TxCommitOk()),
          m);
    } else if (m instanceof TxRollback) {
      requireTransaction(m);
      releaseTransaction();
      acks.rollback();
      channel.send(new TxRollbackOk());
    } else {
      throw AmqpChannel.unexpected(m);
    }
  }

  private void requireTransaction(Method m) {
    if (transaction == null) {
      throw preconditionFailed("channel is not transactional", m);
    }
  }

  /**
   * basic.publish with its content; takes ownership of the command's buffers unless it throws (then
   * the caller releases them).
   */
  void publish(Command command) {
    BasicPublish p = (BasicPublish) command.method();
    AccessChecks.writeExchange(channel, p.exchange(), p);
    Exchange exchange = checkedExchange(p);
    if (p.immediate()) {
      throw new ConnectionException(
          ReplyCode.NOT_IMPLEMENTED, "immediate=true", p.classId(), p.methodId());
    }
    if (exchange.internal()) {
      throw accessRefused(
          "cannot publish to internal exchange '"
              + p.exchange()
              + "' in vhost '"
              + channel.vhost().name()
              + "'",
          p);
    }
    AccessChecks.topicWrite(channel, exchange, p.routingKey(), p);
    String userId = command.header().properties().userId();
    User user = channel.connection().handshake().user();
    if (userId != null && !userId.equals(user.name()) && !user.hasTag(User.IMPERSONATOR)) {
      throw preconditionFailed(
          "user_id property set to '"
              + userId
              + "' but authenticated user was '"
              + user.name()
              + "'",
          p);
    }
    if (transaction != null) {
      transaction.add(command);
      channel.figures().changed();
    } else {
      route(command, exchange, null);
    }
  }

  boolean confirming() {
    return confirms != null;
  }

  boolean transactional() {
    return transaction != null;
  }

  /** Publishes awaiting their confirm. */
  int unconfirmed() {
    return confirms == null ? 0 : confirms.unconfirmed();
  }

  /** Publishes held by the open transaction. */
  int uncommitted() {
    return transaction == null ? 0 : transaction.size();
  }

  private Exchange checkedExchange(BasicPublish p) {
    VirtualHost vhost = channel.vhost();
    Exchange exchange = vhost.exchanges().lookup(p.exchange()).orElse(null);
    if (exchange == null) {
      throw notFound("exchange", p.exchange(), vhost, p);
    }
    return exchange;
  }

  /**
   * Routes a publish to its queues, and counts it (the channel's figures and {@code exchange}'s, if
   * it still exists). The queues settle {@code commit} (a transaction's commit, or null) as they
   * would settle a confirm; outside a transaction, the channel's confirms if on.
   */
  private void route(Command command, Exchange exchange, Commit commit) {
    BasicPublish p = (BasicPublish) command.method();
    ContentHeader header = command.header();
    BasicProperties props = header.properties();
    VirtualHost vhost = channel.vhost();
    long expiration = PublishedProperties.expirationMillis(props, p);
    String replyTo = directReplyTo(props, p);
    Set<Destination> routed = targets.routeInto();
    Consumer<Message> replySink = null;
    List<String> keys;
    if (p.exchange().isEmpty() && p.routingKey().startsWith(DirectReplyTo.PREFIX)) {
      replySink = vhost.replySinks().get(p.routingKey());
      keys = List.of(p.routingKey());
    } else {
      Supplier<HashProperties> hashed =
          () -> HashProperties.of(props.messageId(), props.correlationId(), props.timestamp());
      keys = PublishedProperties.routingKeys(p.routingKey(), props, p);
      vhost.exchanges().route(p.exchange(), keys, props::headers, hashed, routed);
    }
    targets.resolve(vhost);
    Integer mode = props.deliveryMode();
    Integer priority = props.priority();
    Message message =
        new Message(
            p.exchange(),
            p.routingKey(),
            PublishedProperties.rewrite(
                header.rawProperties(), props, PublishedProperties.hasBcc(props), replyTo),
            command.body(),
            mode != null && mode == DELIVERY_MODE_PERSISTENT,
            priority == null ? 0 : priority,
            expiration,
            vhost.ledger());
    if (vhost.tracing()) {
      Firehose.published(vhost, message, props, keys, targets.queues(), channel.tap());
    }
    boolean unroutable = targets.size() == 0 && replySink == null;
    ChannelFigures figures = channel.figures();
    figures.publish++;
    figures.routed += targets.size();
    if (confirms != null) {
      figures.publishWithConfirm++;
    }
    if (exchange != null) {
      exchange.published(targets.size());
    }
    if (unroutable && p.mandatory()) {
      figures.returnUnroutable++;
      channel.send(
          channel
              .consumers()
              .content(
                  new BasicReturn(
                      ReplyCode.NO_ROUTE.code(), "NO_ROUTE", p.exchange(), p.routingKey()),
                  message));
    } else if (unroutable) {
      figures.dropUnroutable++;
    }
    if (replySink != null) {
      replySink.accept(message.retain());
    }
    Confirmation confirm =
        commit != null
            ? commit.register(targets.size())
            : confirms == null ? null : confirms.register(targets.size());
    channel.connection().routed(targets.size());
    targets.publish(message, confirm, channel.connection().flow().taken());
    for (MessageQueue queue : targets.queues()) {
      if (queue.overloaded()) {
        channel.connection().flow().pauseRead();
        queue.whenDrained(() -> channel.connection().outbox().execute(this::resumeRead));
      }
    }
    message.release();
  }

  /**
   * A reply-to of {@code amq.rabbitmq.reply-to} becomes this channel's own reply address; the
   * channel must consume from the pseudo-queue first (406 otherwise, as RabbitMQ).
   */
  private String directReplyTo(BasicProperties props, BasicPublish p) {
    if (!PublishedProperties.REPLY_TO_PSEUDO_QUEUE.equals(props.replyTo())) {
      return null;
    }
    String address = channel.consumers().replyAddress();
    if (address == null) {
      throw preconditionFailed("fast reply consumer does not exist", p);
    }
    return address;
  }

  private void resumeRead() {
    channel.connection().flow().resumeRead();
  }

  private void releaseTransaction() {
    if (transaction != null) {
      for (Command c : transaction) {
        c.release();
      }
      transaction.clear();
    }
  }

  /**
   * The publishes of one tx.commit: completes once each queue they went to settled its copy, as it
   * would settle a publisher confirm (for a persistent message in a durable queue, after the fsync
   * that covers it). A copy a queue refused (a length limit) is settled too: as in RabbitMQ, a
   * transaction does not say which of its messages a queue dropped.
   */
  private static final class Commit {
    private final AtomicInteger pending = new AtomicInteger(1);
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /** The copies of one publish; null when it reached no queue. */
    Confirmation register(int queues) {
      if (queues == 0) {
        return null;
      }
      pending.addAndGet(queues);
      return accepted -> arrived();
    }

    /** Every publish of the transaction is registered: completes once all are settled. */
    CompletableFuture<Void> seal() {
      arrived();
      return done;
    }

    private void arrived() {
      if (pending.decrementAndGet() == 0) {
        done.complete(null);
      }
    }
  }

  /** The channel closes: publishes of an open transaction are dropped. */
  void release() {
    releaseTransaction();
  }
}
