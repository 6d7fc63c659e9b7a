package dev.warren.persistence.definitions;

/** What a binding points at: a queue, or another exchange (exchange-to-exchange binding). */
public enum DestinationKind {
  QUEUE,
  EXCHANGE
}
