package dev.warren.management.metrics;

import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What one scrape asks for: its endpoint, the families it wants and the vhosts whose queues and
 * exchanges it wants, read from the path and the query parameters as RabbitMQ reads them.
 * Immutable.
 */
final class Scrape {
  private static final String PREFIX = "rabbitmq_";
  private static final String DETAILED_PREFIX = "rabbitmq_detailed_";
  private static final String CLUSTER_PREFIX = "rabbitmq_cluster_";

  final Endpoint endpoint;
  private final Set<Family> families;
  private final Predicate<String> vhosts;

  private Scrape(Endpoint endpoint, Set<Family> families, Predicate<String> vhosts) {
    this.endpoint = endpoint;
    this.families = families;
    this.vhosts = vhosts;
  }

  /**
   * The scrape a request asks for; null (a registry read outside HTTP) is the aggregated one. On
   * {@code /metrics/detailed}, {@code family} names the families (none: no family), {@code vhost}
   * the vhosts (none: every vhost).
   */
  static Scrape of(PrometheusScrapeRequest request) {
    Endpoint endpoint =
        request == null ? Endpoint.AGGREGATED : Endpoint.of(request.getRequestPath());
    if (endpoint != Endpoint.DETAILED) {
      return new Scrape(endpoint, Family.RAW, vhost -> true);
    }
    String[] named = request.getParameterValues("vhost");
    Predicate<String> vhosts = named == null ? vhost -> true : Set.of(distinct(named))::contains;
    return new Scrape(endpoint, Family.named(request.getParameterValues("family")), vhosts);
  }

  private static String[] distinct(String[] names) {
    return Arrays.stream(names).distinct().toArray(String[]::new);
  }

  boolean wants(Family family) {
    return families.contains(family);
  }

  /** Whether samples are per object (labelled) rather than one sum per family. */
  boolean perObject() {
    return endpoint.perObject();
  }

  /** Whether the node-wide families RabbitMQ's detailed registry lacks are reported. */
  boolean nodeWide() {
    return endpoint != Endpoint.DETAILED;
  }

  /** The vhosts whose queues and exchanges are reported. */
  Predicate<String> vhosts() {
    return vhosts;
  }

  /** The full name of a family's metric: {@code rabbitmq_} or, when detailed, the detailed one. */
  String name(String suffix) {
    return (endpoint == Endpoint.DETAILED ? DETAILED_PREFIX : PREFIX) + suffix;
  }

  static String plain(String suffix) {
    return PREFIX + suffix;
  }

  static String cluster(String suffix) {
    return CLUSTER_PREFIX + suffix;
  }
}
