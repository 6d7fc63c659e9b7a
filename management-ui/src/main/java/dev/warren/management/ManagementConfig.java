package dev.warren.management;

import java.time.Duration;

/**
 * Settings of the management HTTP server, built by the launcher.
 *
 * @param bindAddress address to listen on
 * @param port TCP port; 0 picks a free one ({@link ManagementServer#port()} tells which)
 * @param workerThreads threads that run API requests (they may block on the backend)
 * @param sampleInterval how often the sampler reads every object's counters (RabbitMQ: 5 s)
 * @param maxBodyBytes the largest request body accepted (definitions uploads); larger is 413
 */
public record ManagementConfig(
    String bindAddress, int port, int workerThreads, Duration sampleInterval, int maxBodyBytes) {

  /** RabbitMQ's defaults on the given port: 5 s samples, 20 MiB bodies, 2 workers. */
  public static ManagementConfig defaults(String bindAddress, int port) {
    return new ManagementConfig(bindAddress, port, 2, Duration.ofSeconds(5), 20 * 1024 * 1024);
  }
}
