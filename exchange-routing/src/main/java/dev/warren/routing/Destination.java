package dev.warren.routing;

import java.util.Objects;

/**
 * What a binding points at: a queue or (exchange-to-exchange binding) another exchange, by name. A
 * queue destination made by whoever binds may carry its {@link #target()}: the queue object itself,
 * which routing hands back as it is, so that a route resolves to queues without a lookup by name.
 * Two destinations are equal when their kind and name are: the target does not count.
 *
 * <p>Immutable.
 */
public final class Destination {

  /** Whether the destination is a queue or an exchange. */
  public enum Kind {
    QUEUE,
    EXCHANGE
  }

  private final Kind kind;
  private final String name;
  private final Object target;

  private Destination(Kind kind, String name, Object target) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.name = Objects.requireNonNull(name, "name");
    this.target = target;
  }

  /** A queue known by its name only (the default exchange routes this way). */
  public static Destination queue(String name) {
    return new Destination(Kind.QUEUE, name, null);
  }

  /** A queue and the object that stands for it (the broker's queue), handed back by routing. */
  public static Destination queue(String name, Object target) {
    return new Destination(Kind.QUEUE, name, target);
  }

  public static Destination exchange(String name) {
    return new Destination(Kind.EXCHANGE, name, null);
  }

  public Kind kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  /** The queue object given when the destination was made, or null (then look it up by name). */
  public Object target() {
    return target;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Destination d && d.kind == kind && d.name.equals(name);
  }

  @Override
  public int hashCode() {
    return 31 * kind.hashCode() + name.hashCode();
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + " '" + name + "'";
  }
}
