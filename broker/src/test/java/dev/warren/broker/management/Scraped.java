package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;

/**
 * One scrape of a Prometheus endpoint over HTTP, read with a Prometheus text-format parser (the
 * Hawkular scraper's), as a Prometheus server would read it.
 */
final class Scraped {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Map<String, MetricFamily> families;

  private Scraped(Map<String, MetricFamily> families) {
    this.families = families;
  }

  /** GETs {@code pathAndQuery} (e.g. {@code /metrics}); the answer must be 200 in text format. */
  static Scraped from(InetSocketAddress server, String pathAndQuery) {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://" + server.getHostString() + ":" + server.getPort() + pathAndQuery))
            .timeout(Duration.ofSeconds(20))
            .build();
    try {
      HttpResponse<byte[]> reply = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, reply.statusCode(), pathAndQuery);
      String type = reply.headers().firstValue("content-type").orElse("");
      assertTrue(type.startsWith("text/plain"), "text format, got " + type);
      Map<String, MetricFamily> families = new LinkedHashMap<>();
      TextPrometheusMetricDataParser parser =
          new TextPrometheusMetricDataParser(new ByteArrayInputStream(reply.body()));
      for (MetricFamily f = parser.parse(); f != null; f = parser.parse()) {
        families.put(f.getName(), f);
      }
      return new Scraped(families);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Map<String, MetricFamily> families() {
    return families;
  }

  Optional<MetricFamily> family(String name) {
    return Optional.ofNullable(families.get(name));
  }

  /** The samples of a family; a missing family fails the test. */
  List<Metric> samples(String name) {
    MetricFamily f = families.get(name);
    assertTrue(f != null, "family " + name + " in " + families.keySet());
    return f.getMetrics();
  }

  /** The value of the one sample of {@code name} whose labels include {@code labels}. */
  double value(String name, Map<String, String> labels) {
    List<Metric> matching =
        samples(name).stream()
            .filter(m -> m.getLabels().entrySet().containsAll(labels.entrySet()))
            .toList();
    assertEquals(1, matching.size(), name + labels + " among " + samples(name).size());
    return value(matching.get(0));
  }

  /** The sum of every sample of {@code name} (a family RabbitMQ labels by protocol, say). */
  double sum(String name) {
    return samples(name).stream().mapToDouble(Scraped::value).sum();
  }

  static double value(Metric m) {
    if (m instanceof Counter c) {
      return c.getValue();
    }
    if (m instanceof Gauge g) {
      return g.getValue();
    }
    throw new AssertionError("not a counter or gauge: " + m.getName());
  }
}
