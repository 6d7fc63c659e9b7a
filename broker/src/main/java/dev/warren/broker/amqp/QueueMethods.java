package dev.warren.broker.amqp;

import static dev.warren.broker.amqp.QueueErrors.accessRefused;
import static dev.warren.broker.amqp.QueueErrors.locked;
import static dev.warren.broker.amqp.QueueErrors.notFound;
import static dev.warren.broker.amqp.QueueErrors.preconditionFailed;

import dev.warren.amqp.ChannelException;
import dev.warren.amqp.ReplyCode;
import dev.warren.amqp.method.Method;
import dev.warren.amqp.method.QueueBind;
import dev.warren.amqp.method.QueueBindOk;
import dev.warren.amqp.method.QueueDeclare;
import dev.warren.amqp.method.QueueDeclareOk;
import dev.warren.amqp.method.QueueDelete;
import dev.warren.amqp.method.QueueDeleteOk;
import dev.warren.amqp.method.QueuePurge;
import dev.warren.amqp.method.QueuePurgeOk;
import dev.warren.amqp.method.QueueUnbind;
import dev.warren.amqp.method.QueueUnbindOk;
import dev.warren.broker.metadata.DefinitionChanges;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.queue.MessageQueue;
import dev.warren.queue.QueueDefinition;
import dev.warren.queue.QueueSettings;
import dev.warren.routing.Binding;
import dev.warren.routing.Destination;
import dev.warren.routing.Exchange;
import io.netty.channel.EventLoop;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The queue class (spec 1.7): declare, bind, unbind, purge, delete. Thread: the channel's. */
final class QueueMethods {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AmqpChannel channel;

  /** The name of the last queue declared on this channel, or null before the first declare. */
  private String lastDeclared;

  QueueMethods(AmqpChannel channel) {
    this.channel = channel;
  }

  void handle(Method m) {
    if (m instanceof QueueDeclare d) {
      declare(d);
    } else if (m instanceof QueueBind b) {
      bind(
          queueName(b.queue(), b),
          b.exchange(),
          routingKey(b.queue(), b.routingKey()),
          b.arguments(),
          b,
          () -> {
            if (!b.noWait()) {
              channel.send(new QueueBindOk());
            }
          });
    } else if (m instanceof QueueUnbind u) {
      unbind(u);
    } else if (m instanceof QueuePurge p) {
      String name = queueName(p.queue(), p);
      AccessChecks.read(channel, "queue", name, p);
      MessageQueue queue = accessible(name, p);
      channel.await(
          queue.purge(),
          count -> {
            if (!p.noWait()) {
              channel.send(new QueuePurgeOk(count));
            }
          },
          p);
    } else if (m instanceof QueueDelete d) {
      delete(d);
    } else {
      throw AmqpChannel.unexpected(m);
    }
  }

  /**
   * The queue a method names. An empty name means the last queue declared on this channel (spec
   * 1.7.2 and 1.8.3), and before any declare it is 404, with RabbitMQ's text.
   */
  String queueName(String name, Method m) {
    if (!name.isEmpty()) {
      return name;
    }
    if (lastDeclared == null) {
      throw new ChannelException(
          ReplyCode.NOT_FOUND, "no previously declared queue", m.classId(), m.methodId());
    }
    return lastDeclared;
  }

  /** A bind or unbind with no queue name and no routing key uses the queue's name as the key. */
  private String routingKey(String queue, String key) {
    return queue.isEmpty() && key.isEmpty() ? lastDeclared : key;
  }

  /**
   * The queue of that name, if it exists and this connection may use it. A queue that deleted
   * itself is gone even before its thread has removed it from the vhost.
   */
  MessageQueue accessible(String name, Method m) {
    VirtualHost vhost = channel.vhost();
    MessageQueue queue = vhost.queue(name);
    if (queue == null || queue.isDeleted()) {
      throw notFound("queue", name, vhost, m);
    }
    checkOwner(queue, m);
    return queue;
  }

  private void checkOwner(MessageQueue queue, Method m) {
    Object owner = queue.exclusiveOwner();
    if (owner != null && owner != channel.connection()) {
      throw locked(queue, channel.vhost(), m);
    }
  }

  /**
   * A declaration that finds its queue is checked against it at once. A new queue is made by the
   * metadata thread (a durable one stored first, which gives its id and log) and answered once
   * made.
   */
  private void declare(QueueDeclare d) {
    VirtualHost vhost = channel.vhost();
    String name = d.queue().isEmpty() ? serverNamed() : d.queue();
    if (DirectReplyTo.isReplyQueue(name)) {
      declareReplyTo(name, d);
      return;
    }
    if (d.passive()) {
      // A passive declare names the queue it checks: the empty name is no shortcut here (RabbitMQ).
      declared(accessible(d.queue(), d), d);
      return;
    }
    if (name.startsWith("amq.") && !d.queue().isEmpty()) {
      throw accessRefused("queue name '" + name + "' contains reserved prefix 'amq.*'", d);
    }
    AccessChecks.configure(channel, "queue", name, d);
    Map<String, Object> args = d.arguments() == null ? Map.of() : d.arguments();
    QueueSettings settings =
        QueueArguments.parse(
            args,
            new QueueArguments.QueueDefinitionView(
                name, vhost.name(), d.durable(), d.exclusive(), d.autoDelete()),
            d);
    QueueDefinition wanted =
        new QueueDefinition(name, d.durable(), d.exclusive(), d.autoDelete(), args);
    EventLoop loop = channel.connection().ctx().channel().eventLoop();
    MessageQueue existing = vhost.queue(name);
    if (existing != null && !existing.isDeleted()) {
      checkDeclared(existing, wanted, d);
      // Found without the definitions writer: counted here, as DefinitionChanges counts the rest.
      channel.connection().changes().queueChurn().declared(false);
      declared(existing, d);
      return;
    }
    if (settings.deadLetterExchange() != null) {
      // A new queue that dead-letters: read on it, write on its dead-letter exchange (RabbitMQ).
      AccessChecks.read(channel, "queue", name, d);
      AccessChecks.writeExchange(channel, settings.deadLetterExchange(), d);
    }
    Object owner = d.exclusive() ? channel.connection() : null;
    channel.await(
        channel.connection().changes().declareQueue(vhost, wanted, settings, owner, loop),
        found -> {
          if (found.created() && d.exclusive()) {
            channel.connection().ownExclusive(found.queue());
          }
          checkDeclared(found.queue(), wanted, d);
          declared(found.queue(), d);
        },
        d);
  }

  /**
   * Direct reply-to, as RabbitMQ: the pseudo-queue, and the reply address of a channel still
   * consuming replies, declare (passive or not) as a queue with one consumer; an address nobody
   * consumes from (any more) is 404.
   */
  private void declareReplyTo(String name, QueueDeclare d) {
    VirtualHost vhost = channel.vhost();
    if (!name.equals(PublishedProperties.REPLY_TO_PSEUDO_QUEUE)
        && !vhost.replySinks().containsKey(name)) {
      throw notFound("queue", name, vhost, d);
    }
    if (!d.noWait()) {
      channel.send(new QueueDeclareOk(name, 0, 1));
    }
  }

  /** The queue found under the name must be usable by us and declared as we ask. */
  private void checkDeclared(MessageQueue queue, QueueDefinition wanted, Method m) {
    checkOwner(queue, m);
    if (queue.definition().exclusive() != wanted.exclusive()) {
      throw locked(queue, channel.vhost(), m);
    }
    checkEquivalent(queue.definition(), wanted, channel.vhost(), m);
  }

  /**
   * declare-ok with the counts, which the queue's own thread knows exactly. The queue becomes the
   * channel's last declared one, passive declares included (as RabbitMQ).
   */
  private void declared(MessageQueue queue, QueueDeclare d) {
    queue.touch();
    channel.await(
        queue.counts(),
        counts -> {
          lastDeclared = queue.name();
          if (!d.noWait()) {
            channel.send(
                new QueueDeclareOk(queue.name(), counts.messageCount(), counts.consumerCount()));
          }
        },
        d);
  }

  private static String serverNamed() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "amq.gen-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void checkEquivalent(
      QueueDefinition existing, QueueDefinition wanted, VirtualHost v, Method m) {
    Equivalence.queue(existing, wanted, v.name())
        .ifPresent(
            text -> {
              throw preconditionFailed(text, m);
            });
  }

  private void bind(
      String queueName,
      String exchangeName,
      String key,
      Map<String, Object> arguments,
      Method m,
      Runnable ok) {
    VirtualHost vhost = channel.vhost();
    AccessChecks.write(channel, "queue", queueName, m);
    if (exchangeName.isEmpty()) {
      throw ExchangeMethods.defaultExchangeRefused(m);
    }
    AccessChecks.read(channel, "exchange", exchangeName, m);
    Exchange found = vhost.exchanges().lookup(exchangeName).orElse(null);
    if (found != null) {
      AccessChecks.topicRead(channel, found, key, m);
    }
    MessageQueue queue = accessible(queueName, m);
    Exchange exchange =
        Optional.ofNullable(found).orElseThrow(() -> notFound("exchange", exchangeName, vhost, m));
    Binding binding =
        new Binding(
            exchangeName,
            Destination.queue(queue.name(), queue),
            key,
            arguments == null ? Map.of() : arguments);
    ExchangeMethods.bind(channel, exchange, binding, m, ok, () -> queueGone(queue, m));
  }

  private ChannelException queueGone(MessageQueue queue, Method m) {
    return notFound("queue", queue.name(), channel.vhost(), m);
  }

  /**
   * Removes a binding. As RabbitMQ, unbind-ok also answers when there is no such binding, queue or
   * exchange; only an existing binding to another connection's exclusive queue is refused.
   */
  private void unbind(QueueUnbind u) {
    VirtualHost vhost = channel.vhost();
    String name = queueName(u.queue(), u);
    AccessChecks.write(channel, "queue", name, u);
    if (u.exchange().isEmpty()) {
      throw ExchangeMethods.defaultExchangeRefused(u);
    }
    AccessChecks.read(channel, "exchange", u.exchange(), u);
    Binding binding =
        new Binding(
            u.exchange(),
            Destination.queue(name),
            routingKey(u.queue(), u.routingKey()),
            u.arguments() == null ? Map.of() : u.arguments());
    Exchange source = vhost.exchanges().lookup(u.exchange()).orElse(null);
    if (source != null) {
      // As on bind (RabbitMQ checks the topic read pattern on unbind too).
      AccessChecks.topicRead(channel, source, binding.routingKey(), u);
    }
    MessageQueue queue = vhost.queue(name);
    if (queue != null
        && source != null
        && source.bindingsTo(binding.destination()).contains(binding)) {
      checkOwner(queue, u);
    }
    channel.await(
        channel.connection().changes().unbind(vhost, binding),
        unbound -> channel.send(new QueueUnbindOk()),
        u);
  }

  private void delete(QueueDelete d) {
    VirtualHost vhost = channel.vhost();
    String name = queueName(d.queue(), d);
    AccessChecks.configure(channel, "queue", name, d);
    MessageQueue queue = vhost.queue(name);
    if (queue == null || queue.isDeleted()) {
      if (!d.noWait()) {
        channel.send(new QueueDeleteOk(0));
      }
      return;
    }
    checkOwner(queue, d);
    DefinitionChanges changes = channel.connection().changes();
    // Forgotten as soon as it is deleted, whatever becomes of this channel meanwhile: a deleted
    // queue left in the vhost would keep its bindings and its stored row.
    CompletableFuture<Integer> forgotten =
        queue
            .delete(d.ifUnused(), d.ifEmpty())
            .thenCompose(count -> changes.forgetQueue(vhost, queue).thenApply(done -> count));
    channel.await(
        forgotten,
        count -> {
          if (!d.noWait()) {
            channel.send(new QueueDeleteOk(count));
          }
        },
        d);
  }
}
