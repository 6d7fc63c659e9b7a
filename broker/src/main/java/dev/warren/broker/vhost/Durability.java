package dev.warren.broker.vhost;

import dev.warren.queue.MessageQueue;
import dev.warren.queue.QueueDefinition;
import dev.warren.routing.Binding;
import dev.warren.routing.Exchange;

/**
 * Which definitions the definitions store keeps, as RabbitMQ: durable exchanges (never the default
 * exchange, which has no bindings of its own), durable queues that are not exclusive, and bindings
 * whose source exchange and destination are both kept. Everything else lives in memory only and
 * never reaches the store. Stateless.
 */
public final class Durability {
  private Durability() {}

  public static boolean stored(Exchange exchange) {
    return exchange.durable() && !exchange.name().isEmpty();
  }

  public static boolean stored(QueueDefinition queue) {
    return queue.durable() && !queue.exclusive();
  }

  public static boolean stored(MessageQueue queue) {
    return stored(queue.definition());
  }

  /** Whether both ends of {@code binding}, as {@code vhost} has them now, are stored. */
  public static boolean stored(VirtualHost vhost, Binding binding) {
    Exchange source = vhost.exchanges().lookup(binding.source()).orElse(null);
    if (source == null || !stored(source)) {
      return false;
    }
    String destination = binding.destination().name();
    return switch (binding.destination().kind()) {
      case QUEUE -> {
        MessageQueue queue = vhost.queue(destination);
        yield queue != null && !queue.isDeleted() && stored(queue);
      }
      case EXCHANGE -> vhost.exchanges().lookup(destination).map(Durability::stored).orElse(false);
    };
  }
}
