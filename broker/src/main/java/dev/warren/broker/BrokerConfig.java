package dev.warren.broker;

import java.nio.file.Path;

/**
 * Everything the broker is told at start-up; built once by the launcher (or a test) and passed to
 * constructors. Immutable.
 *
 * @param bindAddress address the AMQP and management listeners bind to
 * @param amqpPort AMQP listener port; 0 picks a free port (see {@link Broker#amqpPort()})
 * @param managementPort management HTTP port; 0 picks a free port
 * @param dataDir where durable state lives
 * @param frameMax largest frame the broker accepts and proposes in connection.tune
 * @param channelMax highest channel number the broker proposes in connection.tune
 * @param heartbeatSeconds heartbeat the broker proposes in connection.tune; 0 disables
 * @param defaultUser user created on first start (RabbitMQ: guest)
 * @param defaultPassword that user's password
 * @param loopbackUsersOnly when true the default user may only connect from a loopback address
 */
public record BrokerConfig(
    String bindAddress,
    int amqpPort,
    int managementPort,
    Path dataDir,
    int frameMax,
    int channelMax,
    int heartbeatSeconds,
    String defaultUser,
    String defaultPassword,
    boolean loopbackUsersOnly) {

  /** The embedded default: RabbitMQ's ports and limits, data under ./data. */
  public static BrokerConfig defaults() {
    return new BrokerConfig(
        "0.0.0.0", 5672, 15672, Path.of("data"), 131072, 2047, 60, "guest", "guest", true);
  }

  public BrokerConfig withAmqpPort(int port) {
    return new BrokerConfig(
        bindAddress,
        port,
        managementPort,
        dataDir,
        frameMax,
        channelMax,
        heartbeatSeconds,
        defaultUser,
        defaultPassword,
        loopbackUsersOnly);
  }

  public BrokerConfig withManagementPort(int port) {
    return new BrokerConfig(
        bindAddress,
        amqpPort,
        port,
        dataDir,
        frameMax,
        channelMax,
        heartbeatSeconds,
        defaultUser,
        defaultPassword,
        loopbackUsersOnly);
  }

  public BrokerConfig withDataDir(Path dir) {
    return new BrokerConfig(
        bindAddress,
        amqpPort,
        managementPort,
        dir,
        frameMax,
        channelMax,
        heartbeatSeconds,
        defaultUser,
        defaultPassword,
        loopbackUsersOnly);
  }
}
