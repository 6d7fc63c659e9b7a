package dev.warren.routing;

import java.util.Objects;

/** What a binding points at: a queue or (exchange-to-exchange binding) another exchange. */
public record Destination(Kind kind, String name) {

  /** Whether the destination is a queue or an exchange. */
  public enum Kind {
    QUEUE,
    EXCHANGE
  }

  public Destination {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  public static Destination queue(String name) {
    return new Destination(Kind.QUEUE, name);
  }

  public static Destination exchange(String name) {
    return new Destination(Kind.EXCHANGE, name);
  }
}
