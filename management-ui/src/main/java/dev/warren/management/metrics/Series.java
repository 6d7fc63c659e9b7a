package dev.warren.management.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;

/**
 * One metric family being filled during a scrape: its name, help and type as RabbitMQ's plugin
 * gives them, and its samples, made into the Prometheus client's snapshot at the end (the client
 * writes the exposition format). Confined to the scraping thread.
 */
final class Series {
  private final GaugeSnapshot.Builder gauge;
  private final CounterSnapshot.Builder counter;
  private final UnknownSnapshot.Builder untyped;

  private Series(
      GaugeSnapshot.Builder gauge,
      CounterSnapshot.Builder counter,
      UnknownSnapshot.Builder untyped) {
    this.gauge = gauge;
    this.counter = counter;
    this.untyped = untyped;
  }

  static Series gauge(String name, String help) {
    return new Series(GaugeSnapshot.builder().name(name).help(help), null, null);
  }

  /** A counter; {@code name} ends with {@code _total}, as RabbitMQ names its counters. */
  static Series counter(String name, String help) {
    return new Series(null, CounterSnapshot.builder().name(name).help(help), null);
  }

  /** An untyped family (RabbitMQ's {@code identity_info}, {@code build_info}, alarms). */
  static Series untyped(String name, String help) {
    return new Series(null, null, UnknownSnapshot.builder().name(name).help(help));
  }

  Series add(double value) {
    return add(Labels.EMPTY, value);
  }

  Series add(Labels labels, double value) {
    if (gauge != null) {
      gauge.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
    } else if (counter != null) {
      counter.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(value).build());
    } else {
      untyped.dataPoint(UnknownDataPointSnapshot.builder().labels(labels).value(value).build());
    }
    return this;
  }

  MetricSnapshot snapshot() {
    if (gauge != null) {
      return gauge.build();
    }
    return counter != null ? counter.build() : untyped.build();
  }
}
