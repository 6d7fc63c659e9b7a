package dev.warren.broker.management;

import dev.warren.broker.amqp.Equivalence;
import dev.warren.broker.metadata.DefinitionChanges;
import dev.warren.broker.policy.Policies;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.broker.vhost.VirtualHosts;
import dev.warren.management.spi.ExchangeInfo;
import dev.warren.management.spi.ExchangeSpec;
import dev.warren.management.spi.ManagementException;
import dev.warren.routing.Exchange;
import dev.warren.routing.ExchangeStats;
import dev.warren.routing.ExchangeType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Exchanges for the management API, with RabbitMQ's checks and texts as exchange.declare and
 * exchange.delete make them (refusals as the API words them: 401 {@code Access refused.} for the
 * default and {@code amq.*} exchanges, 400 with the bare text for the rest). Changes go through
 * {@link DefinitionChanges}, the one writer. Management worker threads.
 */
final class ExchangeAdmin {
  /** RabbitMQ's API answer for the exchanges it reserves. */
  static final String ACCESS_REFUSED = "Access refused.";

  private final VirtualHosts vhosts;
  private final VhostAdmin vhostAdmin;
  private final DefinitionChanges changes;
  private final Policies policies;

  ExchangeAdmin(
      VirtualHosts vhosts, VhostAdmin vhostAdmin, DefinitionChanges changes, Policies policies) {
    this.vhosts = vhosts;
    this.vhostAdmin = vhostAdmin;
    this.changes = changes;
    this.policies = policies;
  }

  Collection<ExchangeInfo> exchanges() {
    List<ExchangeInfo> all = new ArrayList<>();
    for (VirtualHost v : vhosts.all()) {
      for (Exchange x : v.exchanges().exchanges()) {
        all.add(info(v, x));
      }
    }
    return all;
  }

  Optional<ExchangeInfo> exchange(String vhost, String name) {
    return vhosts.lookup(vhost).flatMap(v -> v.exchanges().lookup(name).map(x -> info(v, x)));
  }

  /** With the name of the policy that applies to it now, if any. */
  private ExchangeInfo info(VirtualHost v, Exchange x) {
    ExchangeStats counted = x.stats();
    return new ExchangeInfo(
        v.name(),
        x.name(),
        x.type().wireName(),
        x.durable(),
        x.autoDelete(),
        x.internal(),
        FieldValues.json(x.arguments()),
        policies.forExchange(v.name(), x.name()).policy(),
        counted.publishIn(),
        counted.publishOut());
  }

  /** The exchange a spec describes, as exchange.declare would make it; 400 for an unknown type. */
  static Exchange wanted(ExchangeSpec spec) {
    ExchangeType type =
        ExchangeType.named(spec.type())
            .orElseThrow(
                () ->
                    ManagementException.badRequest("unknown exchange type '" + spec.type() + "'"));
    return new Exchange(
        spec.name(),
        type,
        spec.durable(),
        spec.autoDelete(),
        spec.internal(),
        FieldValues.table(spec.arguments()));
  }

  /**
   * Checks a declaration of {@code wanted} in {@code vhost} as exchange.declare does: refuses the
   * default exchange and a new {@code amq.*} one (401), an inequivalent redeclare and arguments the
   * type refuses (400). Returns whether an equivalent exchange exists already.
   */
  static boolean check(VirtualHost vhost, Exchange wanted) {
    if (wanted.name().isEmpty()) {
      throw new ManagementException(ManagementException.Kind.ACCESS_REFUSED, ACCESS_REFUSED);
    }
    Exchange existing = vhost.exchanges().lookup(wanted.name()).orElse(null);
    if (existing != null) {
      Equivalence.exchange(existing, wanted, vhost.name())
          .ifPresent(
              text -> {
                throw ManagementException.badRequest(text);
              });
      return true;
    }
    if (wanted.name().startsWith("amq.")) {
      throw new ManagementException(ManagementException.Kind.ACCESS_REFUSED, ACCESS_REFUSED);
    }
    wanted
        .invalidArguments()
        .ifPresent(
            problem -> {
              throw ManagementException.badRequest(problem);
            });
    return false;
  }

  boolean declareExchange(ExchangeSpec spec) {
    VirtualHost vhost = vhostAdmin.vhost(spec.vhost());
    Exchange wanted = wanted(spec);
    if (check(vhost, wanted)) {
      return false;
    }
    Exchange registered = Outcomes.await(changes.declareExchange(vhost, wanted));
    if (registered == wanted) {
      return true;
    }
    // Declared by someone else meanwhile: it must be equivalent.
    check(vhost, wanted);
    return false;
  }

  /** Deletes with its bindings; the default and {@code amq.*} exchanges may not be deleted. */
  void deleteExchange(String vhostName, String name, boolean ifUnused) {
    VirtualHost vhost = vhostAdmin.vhost(vhostName);
    if (name.isEmpty() || name.startsWith("amq.")) {
      throw new ManagementException(ManagementException.Kind.ACCESS_REFUSED, ACCESS_REFUSED);
    }
    if (vhost.exchanges().lookup(name).isEmpty()) {
      throw ManagementException.notFound("no exchange '" + name + "' in vhost '" + vhostName + "'");
    }
    if (!Outcomes.await(changes.deleteExchange(vhost, name, ifUnused))) {
      throw ManagementException.badRequest(
          "exchange '" + name + "' in vhost '" + vhostName + "' in use");
    }
  }
}
