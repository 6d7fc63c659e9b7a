package dev.warren.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The exchanges of one virtual host, and routing across them.
 *
 * <p>Starts empty: the broker declares the default exchange {@code ""} and the {@code amq.*}
 * exchanges itself. Routing to {@code ""} needs no declaration and no binding table: it reaches the
 * queue named by the routing key (the broker checks that it exists).
 *
 * <p>Threads: every method may be called from any thread. {@link #route} takes no lock. Definition
 * changes (declare, delete, bind, unbind) are each safe on their own, but a bind racing the
 * deletion of its source or destination may leave a binding behind: a caller that needs the two
 * ordered serialises them itself (the broker makes every change on one thread).
 *
 * <p>A reverse index (destination to the exchanges bound to it) makes {@link #bindingsTo}, {@link
 * #removeBindingsTo} and {@link #delete} cost in proportion to the bindings concerned, not to all
 * exchanges. It is kept current by the exchanges themselves, so {@link Exchange#bind} and {@link
 * Exchange#unbind} may be called directly.
 */
public final class ExchangeRegistry {

  private final ConcurrentHashMap<String, Exchange> exchanges = new ConcurrentHashMap<>();

  private final ConcurrentHashMap<Destination, Set<Exchange>> sourcesByDestination =
      new ConcurrentHashMap<>();

  private final BindingListener index =
      new BindingListener() {
        @Override
        public void firstBindingTo(Exchange source, Destination d) {
          sourcesByDestination.compute(
              d,
              (k, sources) -> {
                Set<Exchange> s = sources != null ? sources : ConcurrentHashMap.newKeySet();
                s.add(source);
                return s;
              });
        }

        @Override
        public void lastBindingTo(Exchange source, Destination d) {
          sourcesByDestination.computeIfPresent(
              d,
              (k, sources) -> {
                sources.remove(source);
                return sources.isEmpty() ? null : sources;
              });
        }
      };

  public ExchangeRegistry() {}

  /**
   * Adds the exchange unless one of that name exists; returns the exchange now registered under the
   * name: {@code e} itself, or the existing one (the caller then checks {@link
   * Exchange#equivalent}).
   */
  public Exchange declare(Exchange e) {
    Exchange existing = exchanges.putIfAbsent(e.name(), e);
    if (existing != null) {
      return existing;
    }
    e.listener(index);
    return e;
  }

  public Optional<Exchange> lookup(String name) {
    return Optional.ofNullable(exchanges.get(name));
  }

  /**
   * Removes the exchange and every binding whose destination it is from the other exchanges;
   * returns the removed exchange, or null if there was none. Its own bindings (as source) stay
   * readable on the returned object. Bindings removed from other exchanges may leave an auto-delete
   * exchange without bindings; call {@link #removeBindingsTo} first to learn which.
   */
  public Exchange delete(String name) {
    Exchange removed = exchanges.remove(name);
    if (removed == null) {
      return null;
    }
    removed.listener(null);
    removeBindingsTo(Destination.exchange(name));
    return removed;
  }

  /** A snapshot of the exchanges, in no particular order. */
  public List<Exchange> exchanges() {
    return new ArrayList<>(exchanges.values());
  }

  /**
   * Removes every binding to {@code d} from every exchange (the queue or exchange {@code d} is
   * being deleted) and returns them, so the caller can delete them from storage and auto-delete any
   * source exchange left without bindings.
   */
  public List<Binding> removeBindingsTo(Destination d) {
    Set<Exchange> sources = sourcesByDestination.get(d);
    if (sources == null) {
      return List.of();
    }
    List<Binding> removed = new ArrayList<>();
    for (Exchange source : sources.toArray(new Exchange[0])) {
      removed.addAll(source.removeAllTo(d));
    }
    return removed;
  }

  /** A snapshot of the bindings to {@code d}, from all exchanges. */
  public List<Binding> bindingsTo(Destination d) {
    Set<Exchange> sources = sourcesByDestination.get(d);
    if (sources == null) {
      return List.of();
    }
    List<Binding> all = new ArrayList<>();
    for (Exchange source : sources) {
      all.addAll(source.bindingsTo(d));
    }
    return all;
  }

  /** A snapshot of the bindings from the named exchange; empty if there is no such exchange. */
  public List<Binding> bindingsFrom(String exchange) {
    Exchange source = exchanges.get(exchange);
    return source == null ? List.of() : source.bindings();
  }

  /**
   * Adds to {@code queuesOut} the destination of every queue that a message published to {@code
   * exchange} with this routing key and these headers reaches, on the calling thread.
   *
   * <ul>
   *   <li>{@code ""} (the default exchange) reaches the queue named by the routing key: a
   *       destination without a target, which the caller looks up by name. Every other queue
   *       destination is the one its binding was made with, target included.
   *   <li>Exchange-to-exchange bindings are followed, each exchange visited at most once, so cycles
   *       are harmless; a queue reached several times is added once ({@code queuesOut} is a set).
   *   <li>An exchange whose own bindings match nothing passes the message to its {@code
   *       alternate-exchange}, if that exists, as RabbitMQ does at every exchange on the path.
   *   <li>{@code headers} is called at most once, and only if a headers exchange or a
   *       consistent-hash exchange with {@code hash-header} is on the path; it may be or return
   *       null (no headers).
   *   <li>An unknown exchange (or an exchange destination that no longer exists) reaches nothing.
   * </ul>
   *
   * <p>A consistent-hash exchange declared with {@code hash-property} on the path sees no
   * properties through this method (all its messages then go to one destination); use {@link
   * #route(String, String, Supplier, Supplier, Set)}.
   */
  public void route(
      String exchange,
      String routingKey,
      Supplier<Map<String, Object>> headers,
      Set<Destination> queuesOut) {
    route(exchange, routingKey, headers, null, queuesOut);
  }

  /**
   * {@link #route(String, String, Supplier, Set)} that also passes the basic properties a
   * consistent-hash exchange declared with {@code hash-property} hashes. {@code properties} is
   * called at most once, and only if such an exchange is on the path; it may be or return null
   * (none). The broker passes {@code () -> HashProperties.of(props.messageId(),
   * props.correlationId(), props.timestamp())}.
   */
  public void route(
      String exchange,
      String routingKey,
      Supplier<Map<String, Object>> headers,
      Supplier<HashProperties> properties,
      Set<Destination> queuesOut) {
    Objects.requireNonNull(routingKey, "routingKey");
    route(exchange, List.of(routingKey), headers, properties, queuesOut);
  }

  /**
   * Routes with several routing keys at once, as RabbitMQ does for sender-selected distribution
   * (the message's key, then its {@code CC} and {@code BCC} keys): a queue reached by several keys
   * is added once, and an alternate exchange is used only when no key routed anywhere.
   */
  public void route(
      String exchange,
      List<String> routingKeys,
      Supplier<Map<String, Object>> headers,
      Supplier<HashProperties> properties,
      Set<Destination> queuesOut) {
    if (exchange.isEmpty()) {
      Route.byName(routingKeys, queuesOut);
      return;
    }
    Exchange first = exchanges.get(exchange);
    if (first != null) {
      new Route(exchanges, routingKeys, headers, properties, queuesOut).from(first);
    }
  }
}
