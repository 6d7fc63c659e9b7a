package dev.warren.management.metrics;

import dev.warren.management.spi.ManagementBackend;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus metrics with the names, types, labels and help of RabbitMQ's {@code
 * rabbitmq_prometheus} plugin, on a port of their own (RabbitMQ's 15692): {@code /metrics}, {@code
 * /metrics/per-object} and {@code /metrics/detailed} ({@link Endpoint}). The Prometheus Java
 * client's HTTP exporter serves them (content negotiation: Prometheus text, OpenMetrics, protobuf;
 * gzip), with no authentication, as RabbitMQ's plugin by default.
 *
 * <p>Threads: {@value #THREADS} {@code prometheus-http} threads run scrapes; each reads the
 * backend's published figures ({@link BrokerCollector}).
 */
public final class MetricsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

  /** The Prometheus client's version, {@code prometheus_client_version} of build info. */
  static final String CLIENT_VERSION = "1.10.0";

  private static final int THREADS = 2;

  private final HTTPServer server;

  private MetricsServer(HTTPServer server) {
    this.server = server;
  }

  /**
   * Binds {@code bindAddress:port} (0 picks a free port, {@link #port()} tells which) and serves.
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static MetricsServer start(String bindAddress, int port, ManagementBackend backend) {
    PrometheusRegistry jvm = new PrometheusRegistry();
    JvmMetrics.builder().register(jvm);
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new BrokerCollector(backend, jvm, System::currentTimeMillis));
    ExecutorService threads =
        Executors.newFixedThreadPool(THREADS, new DefaultThreadFactory("prometheus-http", true));
    try {
      HTTPServer server =
          HTTPServer.builder()
              .hostname(bindAddress)
              .port(port)
              .registry(registry)
              .executorService(threads)
              .buildAndStart();
      LOG.info("Prometheus metrics listening on {}:{}", bindAddress, server.getPort());
      return new MetricsServer(server);
    } catch (IOException e) {
      threads.shutdownNow();
      throw new UncheckedIOException(
          "cannot serve Prometheus metrics on " + bindAddress + ":" + port, e);
    }
  }

  /** The port bound (the chosen one when configured with 0). */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
