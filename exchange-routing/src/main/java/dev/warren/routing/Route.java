package dev.warren.routing;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The state of one {@link ExchangeRegistry#route} call, on the calling thread: the routing keys
 * (the message's, then those of its CC and BCC headers), the queue destinations reached, the
 * exchanges still to visit and those already visited. The work list and visited set are only
 * allocated once an exchange destination or an alternate exchange turns up. Headers and hashed
 * properties are fetched at most once, when the first exchange that reads them is visited.
 */
final class Route implements Consumer<Destination> {

  private final Map<String, Exchange> exchanges;
  private final List<String> routingKeys;
  private final Supplier<Map<String, Object>> headerSource;
  private final Supplier<HashProperties> propertySource;
  private final Set<Destination> queues;

  private Map<String, Object> headers;
  private boolean headersRead;
  private HashProperties properties;
  private boolean propertiesRead;
  private int reported;
  private ArrayDeque<String> pending;
  private Set<String> visited;

  Route(
      Map<String, Exchange> exchanges,
      List<String> routingKeys,
      Supplier<Map<String, Object>> headerSource,
      Supplier<HashProperties> propertySource,
      Set<Destination> queues) {
    this.exchanges = exchanges;
    this.routingKeys = routingKeys;
    this.headerSource = headerSource;
    this.propertySource = propertySource;
    this.queues = queues;
  }

  void from(Exchange first) {
    Exchange x = first;
    while (true) {
      visit(x);
      x = nextExchange(first);
      if (x == null) {
        return;
      }
    }
  }

  @Override
  public void accept(Destination d) {
    reported++;
    if (d.kind() == Destination.Kind.QUEUE) {
      queues.add(d);
    } else {
      enqueue(d.name());
    }
  }

  /** Every routing key at once: the alternate exchange applies only if none of them routed. */
  private void visit(Exchange x) {
    reported = 0;
    Map<String, Object> h = x.readsHeaders() ? headers() : null;
    HashProperties p = x.readsProperties() ? properties() : null;
    for (int i = 0; i < routingKeys.size(); i++) {
      x.route(routingKeys.get(i), h, p, this);
    }
    String alternate;
    if (reported == 0 && (alternate = x.alternateExchangeName()) != null) {
      enqueue(alternate);
    }
  }

  private void enqueue(String exchange) {
    if (pending == null) {
      pending = new ArrayDeque<>();
    }
    pending.add(exchange);
  }

  /** The next exchange to visit that has not been visited and exists; null when done. */
  private Exchange nextExchange(Exchange first) {
    if (pending == null) {
      return null;
    }
    if (visited == null) {
      visited = new HashSet<>();
      visited.add(first.name());
    }
    for (String name; (name = pending.poll()) != null; ) {
      if (!visited.add(name)) {
        continue;
      }
      if (name.isEmpty()) {
        byName(routingKeys, queues);
        continue;
      }
      Exchange x = exchanges.get(name);
      if (x != null) {
        return x;
      }
    }
    return null;
  }

  /** The default exchange: the queues named by the routing keys, to be looked up by name. */
  static void byName(List<String> routingKeys, Set<Destination> queues) {
    for (String key : routingKeys) {
      queues.add(Destination.queue(key));
    }
  }

  private Map<String, Object> headers() {
    if (!headersRead) {
      headersRead = true;
      headers = headerSource == null ? null : headerSource.get();
    }
    return headers;
  }

  private HashProperties properties() {
    if (!propertiesRead) {
      propertiesRead = true;
      properties = propertySource == null ? null : propertySource.get();
    }
    return properties;
  }
}
