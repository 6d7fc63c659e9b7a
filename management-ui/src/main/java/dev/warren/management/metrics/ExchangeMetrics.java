package dev.warren.management.metrics;

import static dev.warren.management.metrics.Family.EXCHANGE_BINDINGS;
import static dev.warren.management.metrics.Family.EXCHANGE_METRICS;
import static dev.warren.management.metrics.Family.EXCHANGE_NAMES;
import static dev.warren.management.metrics.Family.VHOST_STATUS;

import dev.warren.management.spi.BindingInfo;
import dev.warren.management.spi.ExchangeInfo;
import dev.warren.management.spi.ManagementBackend;
import dev.warren.management.spi.VhostInfo;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code rabbitmq_exchange_messages_published_total} (labels {@code vhost}, {@code exchange}), and
 * the detailed endpoint's cluster families: {@code rabbitmq_cluster_vhost_status}, {@code
 * rabbitmq_cluster_exchange_name} and {@code rabbitmq_cluster_exchange_bindings} (the default and
 * internal exchanges left out, as RabbitMQ does). Exchanges' confirmed, returned and dropped counts
 * are not kept per exchange, so they are not reported.
 */
final class ExchangeMetrics {
  private ExchangeMetrics() {}

  static void collect(Scrape s, ManagementBackend backend, List<MetricSnapshot> out) {
    boolean names = s.wants(EXCHANGE_NAMES);
    boolean bindings = s.wants(EXCHANGE_BINDINGS);
    if (s.wants(VHOST_STATUS)) {
      Series status =
          Series.gauge(Scrape.cluster("vhost_status"), "Whether a given vhost is running");
      for (VhostInfo v : backend.vhosts()) {
        status.add(Labels.of("vhost", v.name()), 1);
      }
      out.add(status.snapshot());
    }
    if (!s.wants(EXCHANGE_METRICS) && !names && !bindings) {
      return;
    }
    Columns<ExchangeInfo> c = new Columns<>(s.perObject());
    if (s.wants(EXCHANGE_METRICS)) {
      c.counter(
          s.name("exchange_messages_published_total"),
          "Total number of messages published into an exchange",
          ExchangeInfo::publishIn);
    }
    Series named =
        Series.gauge(
            Scrape.cluster("exchange_name"),
            "Enumerates exchanges without any additional info. This value is cluster-wide. A"
                + " cheaper alternative to `exchange_bindings`");
    Series bound =
        Series.gauge(
            Scrape.cluster("exchange_bindings"),
            "Number of bindings for an exchange. This value is cluster-wide.");
    Map<List<String>, Integer> counts = bindings ? bindingCounts(backend) : Map.of();
    for (ExchangeInfo x : backend.exchanges()) {
      if (!s.vhosts().test(x.vhost())) {
        continue;
      }
      c.add(x, () -> Labels.of("vhost", x.vhost(), "exchange", x.name()));
      if ((names || bindings) && !x.name().isEmpty() && !x.internal()) {
        Labels l = Labels.of("vhost", x.vhost(), "exchange", x.name(), "type", x.type());
        named.add(l, 1);
        bound.add(l, counts.getOrDefault(List.of(x.vhost(), x.name()), 0));
      }
    }
    c.into(out);
    if (names) {
      out.add(named.snapshot());
    }
    if (bindings) {
      out.add(bound.snapshot());
    }
  }

  /** Bindings per source exchange, keyed by vhost and name. */
  private static Map<List<String>, Integer> bindingCounts(ManagementBackend backend) {
    Map<List<String>, Integer> counts = new HashMap<>();
    for (BindingInfo b : backend.bindings()) {
      counts.merge(List.of(b.vhost(), b.source()), 1, Integer::sum);
    }
    return counts;
  }
}
