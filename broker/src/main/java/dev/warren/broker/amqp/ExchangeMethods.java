package dev.warren.broker.amqp;

import static dev.warren.broker.amqp.QueueErrors.accessRefused;
import static dev.warren.broker.amqp.QueueErrors.notFound;
import static dev.warren.broker.amqp.QueueErrors.preconditionFailed;

import dev.warren.amqp.ChannelException;
import dev.warren.amqp.ConnectionException;
import dev.warren.amqp.ReplyCode;
import dev.warren.amqp.method.ExchangeBind;
import dev.warren.amqp.method.ExchangeBindOk;
import dev.warren.amqp.method.ExchangeDeclare;
import dev.warren.amqp.method.ExchangeDeclareOk;
import dev.warren.amqp.method.ExchangeDelete;
import dev.warren.amqp.method.ExchangeDeleteOk;
import dev.warren.amqp.method.ExchangeUnbind;
import dev.warren.amqp.method.ExchangeUnbindOk;
import dev.warren.amqp.method.Method;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.routing.Binding;
import dev.warren.routing.Destination;
import dev.warren.routing.Exchange;
import dev.warren.routing.ExchangeType;
import java.util.Map;
import java.util.function.Supplier;

/** The exchange class (spec 1.6): declare, delete, bind, unbind. Thread: the channel's. */
final class ExchangeMethods {
  private final AmqpChannel channel;

  ExchangeMethods(AmqpChannel channel) {
    this.channel = channel;
  }

  void handle(Method m) {
    if (m instanceof ExchangeDeclare d) {
      declare(d);
    } else if (m instanceof ExchangeDelete d) {
      delete(d);
    } else if (m instanceof ExchangeBind b) {
      bind(b.source(), b.destination(), b.routingKey(), b.arguments(), true, b.noWait(), m);
    } else if (m instanceof ExchangeUnbind u) {
      bind(u.source(), u.destination(), u.routingKey(), u.arguments(), false, u.noWait(), m);
    } else {
      throw AmqpChannel.unexpected(m);
    }
  }

  /**
   * A declaration that finds its exchange is checked against it at once. A new exchange is
   * registered by the metadata thread (a durable one stored first) and answered once registered.
   */
  private void declare(ExchangeDeclare d) {
    VirtualHost vhost = channel.vhost();
    if (d.passive()) {
      if (d.exchange().isEmpty()) {
        throw defaultExchangeRefused(d);
      }
      if (vhost.exchanges().lookup(d.exchange()).isEmpty()) {
        throw notFound("exchange", d.exchange(), vhost, d);
      }
      declared(d);
      return;
    }
    ExchangeType type =
        ExchangeType.named(d.type())
            .orElseThrow(
                () ->
                    new ConnectionException(
                        ReplyCode.COMMAND_INVALID,
                        "unknown exchange type '" + d.type() + "'",
                        d.classId(),
                        d.methodId()));
    Map<String, Object> args = d.arguments() == null ? Map.of() : d.arguments();
    Exchange wanted =
        new Exchange(d.exchange(), type, d.durable(), d.autoDelete(), d.internal(), args);
    if (d.exchange().isEmpty()) {
      throw accessRefused("operation not permitted on the default exchange", d);
    }
    AccessChecks.configure(channel, "exchange", d.exchange(), d);
    Exchange existing = vhost.exchanges().lookup(d.exchange()).orElse(null);
    if (existing != null) {
      checkEquivalent(existing, wanted, vhost, d);
      declared(d);
      return;
    }
    checkNameAllowed(d.exchange(), d);
    if (wanted.alternateExchange().isPresent()) {
      // A new exchange with an alternate: read on it, write on the alternate (RabbitMQ).
      AccessChecks.read(channel, "exchange", d.exchange(), d);
      AccessChecks.writeExchange(channel, wanted.alternateExchange().get(), d);
    }
    wanted
        .invalidArguments()
        .ifPresent(
            problem -> {
              throw preconditionFailed(problem, d);
            });
    channel.await(
        channel.connection().changes().declareExchange(vhost, wanted),
        registered -> {
          if (registered != wanted) {
            checkEquivalent(registered, wanted, vhost, d);
          }
          declared(d);
        },
        d);
  }

  private void declared(ExchangeDeclare d) {
    if (!d.noWait()) {
      channel.send(new ExchangeDeclareOk());
    }
  }

  /** New exchanges may not take RabbitMQ's reserved prefix. */
  private static void checkNameAllowed(String name, Method m) {
    if (name.startsWith("amq.")) {
      throw accessRefused("exchange name '" + name + "' contains reserved prefix 'amq.*'", m);
    }
  }

  /** RabbitMQ compares type, flags and the alternate-exchange argument; 406 names the first. */
  private static void checkEquivalent(Exchange existing, Exchange wanted, VirtualHost v, Method m) {
    Equivalence.exchange(existing, wanted, v.name())
        .ifPresent(
            text -> {
              throw preconditionFailed(text, m);
            });
  }

  private void delete(ExchangeDelete d) {
    VirtualHost vhost = channel.vhost();
    if (d.exchange().isEmpty()) {
      throw defaultExchangeRefused(d);
    }
    if (d.exchange().startsWith("amq.")) {
      throw accessRefused(
          "deletion of system exchange '"
              + d.exchange()
              + "' in vhost '"
              + vhost.name()
              + "' not allowed",
          d);
    }
    AccessChecks.configure(channel, "exchange", d.exchange(), d);
    channel.await(
        channel.connection().changes().deleteExchange(vhost, d.exchange(), d.ifUnused()),
        deleted -> {
          if (!deleted) {
            throw preconditionFailed(
                "exchange '" + d.exchange() + "' in vhost '" + vhost.name() + "' in use", d);
          }
          if (!d.noWait()) {
            channel.send(new ExchangeDeleteOk());
          }
        },
        d);
  }

  /**
   * exchange.bind, or exchange.unbind ({@code add} false), which RabbitMQ answers with unbind-ok
   * also when there is no such binding or either exchange is missing.
   */
  private void bind(
      String source,
      String destination,
      String key,
      Map<String, Object> arguments,
      boolean add,
      boolean noWait,
      Method m) {
    VirtualHost vhost = channel.vhost();
    AccessChecks.writeExchange(channel, destination, m);
    if (source.isEmpty() || destination.isEmpty()) {
      throw accessRefused("operation not permitted on the default exchange", m);
    }
    AccessChecks.read(channel, "exchange", source, m);
    vhost.exchanges().lookup(source).ifPresent(x -> AccessChecks.topicRead(channel, x, key, m));
    Binding binding =
        new Binding(
            source,
            Destination.exchange(destination),
            key,
            arguments == null ? Map.of() : arguments);
    Runnable ok =
        () -> {
          if (!noWait) {
            channel.send(add ? new ExchangeBindOk() : new ExchangeUnbindOk());
          }
        };
    if (!add) {
      channel.await(channel.connection().changes().unbind(vhost, binding), unbound -> ok.run(), m);
      return;
    }
    vhost
        .exchanges()
        .lookup(destination)
        .orElseThrow(() -> notFound("exchange", destination, vhost, m));
    Exchange from =
        vhost.exchanges().lookup(source).orElseThrow(() -> notFound("exchange", source, vhost, m));
    bind(channel, from, binding, m, ok, () -> notFound("exchange", destination, vhost, m));
  }

  /**
   * Binds after the exchange type's own checks (headers x-match, which fail with 406), then answers
   * with {@code ok}. The metadata thread checks both ends again and binds (storing the binding
   * first when both ends are stored); if the source or destination went meanwhile, the answer is
   * 404 ({@code destinationGone} names the destination).
   */
  static void bind(
      AmqpChannel channel,
      Exchange source,
      Binding binding,
      Method m,
      Runnable ok,
      Supplier<ChannelException> destinationGone) {
    source
        .invalidBinding(binding)
        .ifPresent(
            problem -> {
              throw preconditionFailed(problem, m);
            });
    VirtualHost vhost = channel.vhost();
    if (source.bindingsTo(binding.destination()).contains(binding)) {
      ok.run(); // there already: nothing to change
      return;
    }
    channel.await(
        channel.connection().changes().bind(vhost, binding),
        outcome -> {
          switch (outcome) {
            case BOUND -> ok.run();
            case NO_SOURCE -> throw notFound("exchange", source.name(), vhost, m);
            case NO_DESTINATION -> throw destinationGone.get();
          }
        },
        m);
  }

  /** Used by queue.bind too: a soft error naming the exchange. */
  static ChannelException defaultExchangeRefused(Method m) {
    return accessRefused("operation not permitted on the default exchange", m);
  }
}
