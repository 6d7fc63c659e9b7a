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
      bind(b.source(), b.destination(), b.routingKey(), b.arguments(), true, m);
      if (!b.noWait()) {
        channel.send(new ExchangeBindOk());
      }
    } else if (m instanceof ExchangeUnbind u) {
      bind(u.source(), u.destination(), u.routingKey(), u.arguments(), false, m);
      if (!u.noWait()) {
        channel.send(new ExchangeUnbindOk());
      }
    } else {
      throw AmqpChannel.unexpected(m);
    }
  }

  private void declare(ExchangeDeclare d) {
    VirtualHost vhost = channel.vhost();
    if (d.passive()) {
      if (vhost.exchanges().lookup(d.exchange()).isEmpty()) {
        throw notFound("exchange", d.exchange(), vhost, d);
      }
    } else {
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
      Exchange existing = vhost.exchanges().lookup(d.exchange()).orElse(null);
      if (existing == null) {
        checkNameAllowed(d.exchange(), d);
        wanted
            .invalidArguments()
            .ifPresent(
                problem -> {
                  throw preconditionFailed(problem, d);
                });
        existing = vhost.exchanges().declare(wanted);
      }
      if (existing != wanted) {
        checkEquivalent(existing, wanted, vhost, d);
      }
    }
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
    existing
        .inequivalentProperty(wanted)
        .ifPresent(
            field -> {
              throw preconditionFailed(
                  "inequivalent arg '"
                      + field
                      + "' for exchange '"
                      + existing.name()
                      + "' in vhost '"
                      + v.name()
                      + "': received "
                      + describe(field, wanted)
                      + " but current is "
                      + describe(field, existing),
                  m);
            });
  }

  private static String describe(String field, Exchange e) {
    return switch (field) {
      case "type" -> "'" + e.type().wireName() + "'";
      case "durable" -> "'" + e.durable() + "'";
      case "auto_delete" -> "'" + e.autoDelete() + "'";
      case "internal" -> "'" + e.internal() + "'";
      default -> "'" + e.arguments().get(field) + "'";
    };
  }

  private void delete(ExchangeDelete d) {
    VirtualHost vhost = channel.vhost();
    if (d.exchange().isEmpty() || d.exchange().startsWith("amq.")) {
      throw accessRefused(
          "operation not permitted on the " + describe(d.exchange()) + " exchange", d);
    }
    Exchange exchange = vhost.exchanges().lookup(d.exchange()).orElse(null);
    if (exchange != null) {
      if (d.ifUnused() && exchange.hasBindings()) {
        throw preconditionFailed(
            "exchange '" + d.exchange() + "' in vhost '" + vhost.name() + "' in use", d);
      }
      vhost.deleteExchange(d.exchange());
    }
    if (!d.noWait()) {
      channel.send(new ExchangeDeleteOk());
    }
  }

  private static String describe(String name) {
    return name.isEmpty() ? "default" : "'" + name + "'";
  }

  private void bind(
      String source,
      String destination,
      String key,
      Map<String, Object> arguments,
      boolean add,
      Method m) {
    VirtualHost vhost = channel.vhost();
    if (source.isEmpty() || destination.isEmpty()) {
      throw accessRefused("operation not permitted on the default exchange", m);
    }
    if (vhost.exchanges().lookup(destination).isEmpty()) {
      throw notFound("exchange", destination, vhost, m);
    }
    Exchange from =
        vhost.exchanges().lookup(source).orElseThrow(() -> notFound("exchange", source, vhost, m));
    Binding binding =
        new Binding(
            source,
            Destination.exchange(destination),
            key,
            arguments == null ? Map.of() : arguments);
    if (add) {
      bindChecked(from, binding, m);
    } else {
      vhost.unbind(binding);
    }
  }

  /** Binds after the exchange type's own checks (headers x-match), which fail with 406. */
  static void bindChecked(Exchange exchange, Binding binding, Method m) {
    exchange
        .invalidBinding(binding)
        .ifPresent(
            problem -> {
              throw preconditionFailed(problem, m);
            });
    exchange.bind(binding);
  }

  /** Used by queue.bind too: a soft error naming the exchange. */
  static ChannelException defaultExchangeRefused(Method m) {
    return accessRefused("operation not permitted on the default exchange", m);
  }
}
