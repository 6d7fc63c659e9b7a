package dev.warren.broker.policy;

/**
 * A policy, operator policy or runtime parameter refused as invalid, with RabbitMQ's reason text
 * (what {@code rabbitmqctl} prints after "Validation failed", and the management API returns as its
 * {@code reason}). Nothing was stored or changed.
 */
public final class PolicyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String reason;
  private final String field;

  public PolicyException(String reason) {
    this(reason, null);
  }

  /**
   * @param field the JSON field refused, relative to the policy or parameter value: {@code
   *     pattern}, {@code apply-to}, {@code definition.message-ttl}, {@code max-queues}; null when
   *     the refusal is about no one field
   */
  public PolicyException(String reason, String field) {
    super("Validation failed\n\n" + reason);
    this.reason = reason;
    this.field = field;
  }

  /** RabbitMQ's reason, e.g. {@code -1 is not a valid message TTL}. */
  public String reason() {
    return reason;
  }

  /** The JSON field refused (see the constructor), or null. */
  public String field() {
    return field;
  }
}
