package dev.warren.broker.amqp;

import dev.warren.amqp.method.ExchangeBind;
import dev.warren.amqp.method.ExchangeDeclare;
import dev.warren.amqp.method.ExchangeDelete;
import dev.warren.amqp.method.ExchangeUnbind;
import dev.warren.amqp.method.Method;
import dev.warren.amqp.method.QueueBind;
import dev.warren.amqp.method.QueueDeclare;
import dev.warren.amqp.method.QueueDelete;
import dev.warren.amqp.method.QueueUnbind;

/**
 * RabbitMQ drops line feeds and carriage returns from the names of queues and exchanges in the
 * methods that declare, delete, bind and unbind them, so {@code "orders\n"} declares (and names in
 * declare-ok) the queue {@code orders}. It leaves them in routing keys, and in the names given to
 * basic.publish, consume, get and queue.purge, which then name no existing queue or exchange.
 * Stateless.
 */
final class LineBreaks {
  private LineBreaks() {}

  /** {@code m} with line breaks dropped from the names RabbitMQ strips; {@code m} if none. */
  static Method strip(Method m) {
    if (m instanceof QueueDeclare d && has(d.queue())) {
      return new QueueDeclare(
          d.reserved1(),
          strip(d.queue()),
          d.passive(),
          d.durable(),
          d.exclusive(),
          d.autoDelete(),
          d.noWait(),
          d.arguments());
    } else if (m instanceof QueueBind b && (has(b.queue()) || has(b.exchange()))) {
      return new QueueBind(
          b.reserved1(),
          strip(b.queue()),
          strip(b.exchange()),
          b.routingKey(),
          b.noWait(),
          b.arguments());
    } else if (m instanceof QueueUnbind u && (has(u.queue()) || has(u.exchange()))) {
      return new QueueUnbind(
          u.reserved1(), strip(u.queue()), strip(u.exchange()), u.routingKey(), u.arguments());
    } else if (m instanceof QueueDelete d && has(d.queue())) {
      return new QueueDelete(
          d.reserved1(), strip(d.queue()), d.ifUnused(), d.ifEmpty(), d.noWait());
    } else if (m instanceof ExchangeDeclare d && has(d.exchange())) {
      return new ExchangeDeclare(
          d.reserved1(),
          strip(d.exchange()),
          d.type(),
          d.passive(),
          d.durable(),
          d.autoDelete(),
          d.internal(),
          d.noWait(),
          d.arguments());
    } else if (m instanceof ExchangeDelete d && has(d.exchange())) {
      return new ExchangeDelete(d.reserved1(), strip(d.exchange()), d.ifUnused(), d.noWait());
    } else if (m instanceof ExchangeBind b && (has(b.destination()) || has(b.source()))) {
      return new ExchangeBind(
          b.reserved1(),
          strip(b.destination()),
          strip(b.source()),
          b.routingKey(),
          b.noWait(),
          b.arguments());
    } else if (m instanceof ExchangeUnbind u && (has(u.destination()) || has(u.source()))) {
      return new ExchangeUnbind(
          u.reserved1(),
          strip(u.destination()),
          strip(u.source()),
          u.routingKey(),
          u.noWait(),
          u.arguments());
    }
    return m;
  }

  private static boolean has(String name) {
    return name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0;
  }

  private static String strip(String name) {
    return has(name) ? name.replace("\n", "").replace("\r", "") : name;
  }
}
