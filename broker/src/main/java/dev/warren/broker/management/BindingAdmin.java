package dev.warren.broker.management;

import dev.warren.broker.amqp.QueueErrors;
import dev.warren.broker.metadata.DefinitionChanges;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.broker.vhost.VirtualHosts;
import dev.warren.management.spi.BindingInfo;
import dev.warren.management.spi.BindingInfo.DestinationType;
import dev.warren.management.spi.ManagementException;
import dev.warren.queue.MessageQueue;
import dev.warren.routing.Binding;
import dev.warren.routing.Destination;
import dev.warren.routing.Exchange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Bindings for the management API: exchange to queue and exchange to exchange, listed as RabbitMQ
 * lists them (every queue also bound from the default exchange by its name), added and removed
 * through {@link DefinitionChanges}. Management worker threads.
 */
final class BindingAdmin {
  private final VirtualHosts vhosts;
  private final VhostAdmin vhostAdmin;
  private final DefinitionChanges changes;

  BindingAdmin(VirtualHosts vhosts, VhostAdmin vhostAdmin, DefinitionChanges changes) {
    this.vhosts = vhosts;
    this.vhostAdmin = vhostAdmin;
    this.changes = changes;
  }

  Collection<BindingInfo> bindings() {
    List<BindingInfo> all = new ArrayList<>();
    for (VirtualHost v : vhosts.all()) {
      for (MessageQueue q : v.queues()) {
        if (!q.isDeleted()) {
          all.add(
              new BindingInfo(v.name(), "", q.name(), DestinationType.QUEUE, q.name(), Map.of()));
        }
      }
      for (Exchange x : v.exchanges().exchanges()) {
        for (Binding b : x.bindings()) {
          all.add(info(v, b));
        }
      }
    }
    return all;
  }

  private static BindingInfo info(VirtualHost v, Binding b) {
    DestinationType type =
        b.destination().kind() == Destination.Kind.QUEUE
            ? DestinationType.QUEUE
            : DestinationType.EXCHANGE;
    return new BindingInfo(
        v.name(),
        b.source(),
        b.destination().name(),
        type,
        b.routingKey(),
        FieldValues.json(b.arguments()));
  }

  /**
   * Checks a binding as queue.bind and exchange.bind do (the default exchange is refused with 401,
   * a missing end is 404, arguments the source's type refuses 400) and returns it, ready to add.
   */
  static Binding checked(VirtualHost vhost, BindingInfo b) {
    boolean toQueue = b.destinationType() == DestinationType.QUEUE;
    if (b.source().isEmpty() || (!toQueue && b.destination().isEmpty())) {
      throw new ManagementException(
          ManagementException.Kind.ACCESS_REFUSED, ExchangeAdmin.ACCESS_REFUSED);
    }
    Exchange source =
        vhost
            .exchanges()
            .lookup(b.source())
            .orElseThrow(() -> missing("exchange", b.source(), vhost));
    Destination destination;
    if (toQueue) {
      MessageQueue queue = vhost.queue(b.destination());
      if (queue == null || queue.isDeleted()) {
        throw missing("queue", b.destination(), vhost);
      }
      if (queue.definition().exclusive()) {
        throw ManagementException.badRequest(QueueErrors.lockedText(queue.name(), vhost.name()));
      }
      destination = Destination.queue(queue.name(), queue);
    } else {
      if (vhost.exchanges().lookup(b.destination()).isEmpty()) {
        throw missing("exchange", b.destination(), vhost);
      }
      destination = Destination.exchange(b.destination());
    }
    Binding binding =
        new Binding(source.name(), destination, b.routingKey(), FieldValues.table(b.arguments()));
    source
        .invalidBinding(binding)
        .ifPresent(
            problem -> {
              throw ManagementException.badRequest(problem);
            });
    return binding;
  }

  private static ManagementException missing(String kind, String name, VirtualHost vhost) {
    return ManagementException.notFound(
        "no " + kind + " '" + name + "' in vhost '" + vhost.name() + "'");
  }

  void bind(BindingInfo b) {
    VirtualHost vhost = vhostAdmin.vhost(b.vhost());
    Binding binding = checked(vhost, b);
    switch (Outcomes.await(changes.bind(vhost, binding))) {
      case BOUND -> {}
      case NO_SOURCE -> throw missing("exchange", b.source(), vhost);
      case NO_DESTINATION ->
          throw missing(
              b.destinationType() == DestinationType.QUEUE ? "queue" : "exchange",
              b.destination(),
              vhost);
    }
  }

  /**
   * Removes the binding equal to {@code b} (its arguments compared as the API shows them); 404 when
   * there is none.
   */
  void unbind(BindingInfo b) {
    VirtualHost vhost = vhostAdmin.vhost(b.vhost());
    Destination destination =
        b.destinationType() == DestinationType.QUEUE
            ? Destination.queue(b.destination())
            : Destination.exchange(b.destination());
    Map<String, Object> arguments = FieldValues.json(FieldValues.table(b.arguments()));
    Binding found =
        vhost.exchanges().lookup(b.source()).stream()
            .flatMap(x -> x.bindingsTo(destination).stream())
            .filter(
                x ->
                    x.routingKey().equals(b.routingKey())
                        && FieldValues.json(x.arguments()).equals(arguments))
            .findFirst()
            .orElseThrow(() -> ManagementException.notFound("no binding"));
    Outcomes.await(changes.unbind(vhost, found));
  }
}
