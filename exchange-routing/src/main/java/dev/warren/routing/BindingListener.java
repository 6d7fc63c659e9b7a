package dev.warren.routing;

/**
 * Told by an {@link Exchange}, under its writer lock, when it gains its first binding to a
 * destination and loses its last; {@link ExchangeRegistry} keeps its reverse index with it.
 */
interface BindingListener {

  void firstBindingTo(Exchange source, Destination d);

  void lastBindingTo(Exchange source, Destination d);
}
