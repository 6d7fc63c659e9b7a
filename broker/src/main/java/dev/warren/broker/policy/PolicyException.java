package dev.warren.broker.policy;

/**
 * A policy, operator policy or runtime parameter refused as invalid, with RabbitMQ's reason text
 * (what {@code rabbitmqctl} prints after "Validation failed", and the management API returns as its
 * {@code reason}). Nothing was stored or changed.
 */
public final class PolicyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public PolicyException(String reason) {
    super("Validation failed\n\n" + reason);
    this.reason = reason;
  }

  /** RabbitMQ's reason, e.g. {@code -1 is not a valid message TTL}. */
  public String reason() {
    return reason;
  }
}
