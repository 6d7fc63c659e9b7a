package dev.warren.management.metrics;

import dev.warren.management.spi.ChannelInfo;
import dev.warren.management.spi.ConnectionInfo;
import dev.warren.management.spi.ManagementBackend;
import dev.warren.management.spi.NodeInfo;
import dev.warren.management.spi.QueueTotals;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Every metric of a scrape, read from the backend's published figures when the scrape comes (the
 * backend's reads never wait for a queue or a connection): the broker's families with RabbitMQ's
 * names, and, outside {@code /metrics/detailed}, the JVM and process metrics of {@code jvm}. What a
 * scrape reports depends on its path and parameters ({@link Scrape}).
 *
 * <p>Threads: the HTTP server's, one scrape at a time or several at once; it keeps no state.
 */
final class BrokerCollector implements MultiCollector {
  private final ManagementBackend backend;
  private final PrometheusRegistry jvm;
  private final LongSupplier clock;

  BrokerCollector(ManagementBackend backend, PrometheusRegistry jvm, LongSupplier clock) {
    this.backend = backend;
    this.jvm = jvm;
    this.clock = clock;
  }

  @Override
  public MetricSnapshots collect() {
    return collect((PrometheusScrapeRequest) null);
  }

  @Override
  public MetricSnapshots collect(PrometheusScrapeRequest request) {
    Scrape s = Scrape.of(request);
    List<MetricSnapshot> out = new ArrayList<>();
    NodeInfo node = backend.node();
    QueueTotals queues = s.nodeWide() ? backend.queueTotals(vhost -> true) : QueueTotals.NONE;
    Collection<ConnectionInfo> connections = backend.connections();
    Collection<ChannelInfo> channels = backend.channels();
    NodeMetrics.Counts counts =
        new NodeMetrics.Counts(
            connections.size(), channels.size(), queues.sum().consumers(), queues.queues());
    NodeMetrics.collect(s, node, counts, clock.getAsLong(), out);
    if (s.nodeWide()) {
      GlobalMetrics.collect(
          backend.globalCounters(), queues.sum().consumers(), publishers(channels), out);
    }
    QueueMetrics.collect(s, backend, queues, out);
    ConnectionMetrics.collect(s, connections, channels, out);
    ExchangeMetrics.collect(s, backend, out);
    if (s.nodeWide()) {
      for (MetricSnapshot m : jvm.scrape(request)) {
        out.add(m);
      }
    }
    return new MetricSnapshots(out);
  }

  private static int publishers(Collection<ChannelInfo> channels) {
    int n = 0;
    for (ChannelInfo ch : channels) {
      if (ch.counters().publish() > 0) {
        n++;
      }
    }
    return n;
  }
}
