package dev.warren.routing;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Fanout exchange: one copy-on-write array of all bindings. A bind or unbind copies it, which costs
 * as much as one route does.
 */
final class FanoutTable implements BindingTable {

  private volatile Binding[] all = Bindings.NONE;

  @Override
  public void add(Binding b) {
    all = Bindings.with(all, b);
  }

  @Override
  public void remove(Binding b) {
    all = Bindings.without(all, b);
  }

  @Override
  public void route(
      String routingKey,
      Map<String, Object> headers,
      HashProperties properties,
      Consumer<Destination> out) {
    for (Binding b : all) {
      out.accept(b.destination());
    }
  }
}
