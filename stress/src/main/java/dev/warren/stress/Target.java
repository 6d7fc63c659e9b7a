package dev.warren.stress;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.nio.NioParams;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Option;

/**
 * The broker a scenario drives, and how its connections are made: the options every scenario shares
 * (a picocli mixin). Scenarios with thousands of connections use {@link #nio} factories, which
 * serve every socket from a few threads instead of one reader thread per connection.
 */
final class Target {
  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "broker host (${DEFAULT-VALUE})")
  String host;

  @Option(names = "--port", defaultValue = "5672", description = "AMQP port (${DEFAULT-VALUE})")
  int port;

  @Option(names = "--user", defaultValue = "guest", description = "user (${DEFAULT-VALUE})")
  String user;

  @Option(names = "--password", defaultValue = "guest", description = "password (${DEFAULT-VALUE})")
  String password;

  @Option(
      names = "--connect-timeout",
      defaultValue = "30000",
      description = "ms to wait for a TCP connection and the AMQP handshake (${DEFAULT-VALUE})")
  int connectTimeoutMillis;

  /** A factory with blocking sockets, one reader thread per connection, no automatic recovery. */
  ConnectionFactory factory() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(host);
    f.setPort(port);
    f.setUsername(user);
    f.setPassword(password);
    f.setConnectionTimeout(connectTimeoutMillis);
    f.setHandshakeTimeout(connectTimeoutMillis);
    f.setAutomaticRecoveryEnabled(false);
    f.setTopologyRecoveryEnabled(false);
    return f;
  }

  /**
   * A factory for many connections: {@code ioThreads} NIO threads serve every socket, and {@code
   * shared} runs every connection's consumer callbacks (otherwise each connection starts a pool of
   * its own).
   */
  ConnectionFactory nio(int ioThreads, ExecutorService shared) {
    ConnectionFactory f = factory();
    f.useNio();
    f.setNioParams(new NioParams().setNbIoThreads(ioThreads));
    f.setSharedExecutor(shared);
    return f;
  }

  Connection connect(String name) throws IOException, TimeoutException {
    return factory().newConnection(name);
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
