package dev.warren.broker;

/** A running broker. Start with {@link #start(BrokerConfig)}, stop with {@link #close()}. */
public final class Broker implements AutoCloseable {
  private final int amqpPort;

  private Broker(int amqpPort) {
    this.amqpPort = amqpPort;
  }

  /** Binds the listeners and returns once the broker accepts connections. */
  public static Broker start(BrokerConfig config) {
    throw new UnsupportedOperationException("not yet: the broker is being written");
  }

  /** The AMQP port actually bound (differs from the configured one when that was 0). */
  public int amqpPort() {
    return amqpPort;
  }

  @Override
  public void close() {}
}
