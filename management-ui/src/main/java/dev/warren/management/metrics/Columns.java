package dev.warren.management.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Metric families read from the same kind of object (a queue's figures, a channel): per object,
 * each object adds one labelled sample to every family; aggregated, the objects are summed and each
 * family gets one unlabelled sample, 0 when there was no object (as RabbitMQ's aggregated
 * families). Confined to the scraping thread.
 *
 * @param <T> the object the values are read from
 */
final class Columns<T> {
  private final boolean perObject;
  private final List<Series> series = new ArrayList<>();
  private final List<ToDoubleFunction<T>> values = new ArrayList<>();
  private double[] sums = new double[0];

  Columns(boolean perObject) {
    this.perObject = perObject;
  }

  Columns<T> gauge(String name, String help, ToDoubleFunction<T> value) {
    return column(Series.gauge(name, help), value);
  }

  Columns<T> counter(String name, String help, ToDoubleFunction<T> value) {
    return column(Series.counter(name, help), value);
  }

  private Columns<T> column(Series s, ToDoubleFunction<T> value) {
    series.add(s);
    values.add(value);
    sums = new double[series.size()];
    return this;
  }

  boolean isEmpty() {
    return series.isEmpty();
  }

  /** One object; its labels are asked for only per object. */
  void add(T object, Supplier<Labels> labels) {
    if (series.isEmpty()) {
      return;
    }
    if (perObject) {
      Labels l = labels.get();
      for (int i = 0; i < series.size(); i++) {
        series.get(i).add(l, values.get(i).applyAsDouble(object));
      }
    } else {
      for (int i = 0; i < series.size(); i++) {
        sums[i] += values.get(i).applyAsDouble(object);
      }
    }
  }

  void into(List<MetricSnapshot> out) {
    for (int i = 0; i < series.size(); i++) {
      if (!perObject) {
        series.get(i).add(sums[i]);
      }
      out.add(series.get(i).snapshot());
    }
  }
}
