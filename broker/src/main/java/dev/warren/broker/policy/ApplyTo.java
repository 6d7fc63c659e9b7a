package dev.warren.broker.policy;

/** What a policy applies to: RabbitMQ's {@code apply-to}. */
public enum ApplyTo {
  QUEUES("queues"),
  EXCHANGES("exchanges"),
  ALL("all");

  private final String wireName;

  ApplyTo(String wireName) {
    this.wireName = wireName;
  }

  /** As RabbitMQ names it: {@code queues}, {@code exchanges}, {@code all}. */
  public String wireName() {
    return wireName;
  }

  public boolean queues() {
    return this != EXCHANGES;
  }

  public boolean exchanges() {
    return this != QUEUES;
  }

  /**
   * @throws PolicyException with RabbitMQ's text for anything else
   */
  public static ApplyTo named(String name) {
    for (ApplyTo a : values()) {
      if (a.wireName.equals(name)) {
        return a;
      }
    }
    throw new PolicyException(
        "apply-to '" + name + "' unrecognised; should be 'queues', 'exchanges' or 'all'",
        "apply-to");
  }
}
