package dev.warren.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Direct exchange: a map from binding key to the (copy-on-write) bindings with that key. Routing is
 * one map lookup and allocates nothing; a bind or unbind copies only that key's array.
 */
final class DirectTable implements BindingTable {

  private final ConcurrentHashMap<String, Binding[]> byKey = new ConcurrentHashMap<>();

  @Override
  public void add(Binding b) {
    Binding[] old = byKey.getOrDefault(b.routingKey(), Bindings.NONE);
    byKey.put(b.routingKey(), Bindings.with(old, b));
  }

  @Override
  public void remove(Binding b) {
    Binding[] old = byKey.get(b.routingKey());
    if (old == null) {
      return;
    }
    Binding[] now = Bindings.without(old, b);
    if (now.length == 0) {
      byKey.remove(b.routingKey());
    } else {
      byKey.put(b.routingKey(), now);
    }
  }

  @Override
  public void route(
      String routingKey,
      Map<String, Object> headers,
      HashProperties properties,
      Consumer<Destination> out) {
    Binding[] matches = byKey.get(routingKey);
    if (matches != null) {
      for (Binding b : matches) {
        out.accept(b.destination());
      }
    }
  }
}
