package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.warren.broker.it.AmqpSession;
import dev.warren.broker.it.Messages;
import dev.warren.broker.it.Poll;
import dev.warren.broker.it.TestBroker;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Prometheus endpoints as a scraper and RabbitMQ's Grafana dashboards read them: RabbitMQ's
 * metric names, types and labels on {@code /metrics} (aggregated), {@code /metrics/per-object} and
 * {@code /metrics/detailed}, following what AMQP clients do. Scrapes are parsed with a Prometheus
 * text-format parser. Runs against RabbitMQ's {@code rabbitmq_prometheus} too ({@code
 * -Dbroker.external.prometheus}); RabbitMQ refreshes its figures every few seconds, hence the
 * polls.
 */
class MetricsOverHttpTest {
  private static final Duration WITHIN = Duration.ofSeconds(15);
  private static final Map<String, String> DEFAULT_VHOST = Map.of("vhost", "/");

  @RegisterExtension final AmqpSession amqp = new AmqpSession();

  private final InetSocketAddress metrics = TestBroker.prometheusAddress();

  private Scraped scrape(String path) {
    return Scraped.from(metrics, path);
  }

  private double global(String name) {
    return scrape("/metrics").sum("rabbitmq_global_" + name);
  }

  /**
   * Polls {@code path} until {@code name}'s value (summed) is {@code expected}; returns the scrape.
   */
  private Scraped awaitSum(String path, String name, double expected) {
    AtomicReference<Scraped> last = new AtomicReference<>();
    Poll.until(
        WITHIN,
        () -> {
          last.set(scrape(path));
          return last.get().family(name).isPresent() && last.get().sum(name) == expected;
        },
        name + " = " + expected + " on " + path);
    return last.get();
  }

  private Scraped awaitQueueReady(String queue, double expected) {
    Map<String, String> labels = Map.of("vhost", "/", "queue", queue);
    AtomicReference<Scraped> last = new AtomicReference<>();
    Poll.until(
        WITHIN,
        () -> {
          last.set(scrape("/metrics/per-object"));
          return last.get().family("rabbitmq_queue_messages_ready").isPresent()
              && last.get().samples("rabbitmq_queue_messages_ready").stream()
                  .anyMatch(
                      m ->
                          m.getLabels().entrySet().containsAll(labels.entrySet())
                              && Scraped.value(m) == expected);
        },
        queue + " with " + expected + " ready messages on /metrics/per-object");
    return last.get();
  }

  @Test
  void publishedMessagesAreReadyOnTheirQueueAndCountedInTheGlobalTotals() throws Exception {
    double received = global("messages_received_total");
    double receivedConfirm = global("messages_received_confirm_total");
    double routed = global("messages_routed_total");
    double confirmed = global("messages_confirmed_total");
    double publishers = global("publishers");
    String q = amqp.queueName();
    amqp.channel().queueDeclare(q, false, false, false, null);

    amqp.publishNumbered(q, 7);

    Scraped perObject = awaitQueueReady(q, 7);
    Map<String, String> queue = Map.of("vhost", "/", "queue", q);
    assertEquals(0, perObject.value("rabbitmq_queue_messages_unacked", queue));
    assertEquals(7, perObject.value("rabbitmq_queue_messages", queue));
    assertEquals(
        7,
        perObject.value(
            "rabbitmq_queue_messages_published_total", Map.of("queue_vhost", "/", "queue", q)));
    assertEquals(
        1,
        perObject.value(
            "rabbitmq_queue_info",
            Map.of("vhost", "/", "queue", q, "queue_type", "rabbit_classic_queue")));
    MetricFamily ready = perObject.family("rabbitmq_queue_messages_ready").orElseThrow();
    assertEquals(MetricType.GAUGE, ready.getType());
    assertEquals("Messages ready to be delivered to consumers", ready.getHelp());
    Scraped after = awaitSum("/metrics", "rabbitmq_global_messages_received_total", received + 7);
    assertEquals(
        MetricType.COUNTER,
        after.family("rabbitmq_global_messages_received_total").orElseThrow().getType());
    assertEquals(
        Map.of("protocol", "amqp091"),
        after.samples("rabbitmq_global_messages_received_total").get(0).getLabels());
    assertEquals(receivedConfirm + 7, after.sum("rabbitmq_global_messages_received_confirm_total"));
    assertEquals(routed + 7, after.sum("rabbitmq_global_messages_routed_total"));
    assertEquals(confirmed + 7, after.sum("rabbitmq_global_messages_confirmed_total"));
    awaitSum("/metrics", "rabbitmq_global_publishers", publishers + 1);
    amqp.publisher().close();
    awaitSum("/metrics", "rabbitmq_global_publishers", publishers);
  }

  @Test
  void deliveriesGetsAndAcksAreCountedInTheGlobalTotals() throws Exception {
    String q = amqp.queueName();
    Channel ch = amqp.channel();
    ch.queueDeclare(q, false, false, false, null);
    amqp.publishNumbered(q, 3);
    awaitQueueReady(q, 3);
    double manualGets = global("messages_delivered_get_manual_ack_total");
    double autoGets = global("messages_delivered_get_auto_ack_total");
    double delivered = global("messages_delivered_total");
    double acked = global("messages_acknowledged_total");
    double empty = global("messages_get_empty_total");

    Messages.get(ch, q, false);
    long second = Messages.get(ch, q, false).getEnvelope().getDeliveryTag();
    Messages.get(ch, q, true);
    ch.basicAck(second, true);
    assertEquals(null, ch.basicGet(q, true));

    Scraped after = awaitSum("/metrics", "rabbitmq_global_messages_acknowledged_total", acked + 2);
    assertEquals(
        manualGets + 2, after.sum("rabbitmq_global_messages_delivered_get_manual_ack_total"));
    assertEquals(autoGets + 1, after.sum("rabbitmq_global_messages_delivered_get_auto_ack_total"));
    assertEquals(delivered + 3, after.sum("rabbitmq_global_messages_delivered_total"));
    assertEquals(empty + 1, after.sum("rabbitmq_global_messages_get_empty_total"));
  }

  @Test
  void connectionAndChannelGaugesFollowOpensAndCloses() throws Exception {
    Scraped before = scrape("/metrics");
    double connections = before.sum("rabbitmq_connections");
    double channels = before.sum("rabbitmq_channels");
    double opened = before.sum("rabbitmq_connections_opened_total");
    double closed = before.sum("rabbitmq_connections_closed_total");

    Connection c = TestBroker.newConnection();
    try {
      c.createChannel();
      c.createChannel();
      Scraped open = awaitSum("/metrics", "rabbitmq_connections", connections + 1);
      awaitSum("/metrics", "rabbitmq_channels", channels + 2);
      assertEquals(opened + 1, open.sum("rabbitmq_connections_opened_total"));
    } finally {
      c.close();
    }

    Scraped after = awaitSum("/metrics", "rabbitmq_connections", connections);
    awaitSum("/metrics", "rabbitmq_channels", channels);
    assertEquals(closed + 1, after.sum("rabbitmq_connections_closed_total"));
  }

  @Test
  void queueChurnCountsDeclaresCreationsAndDeletions() throws Exception {
    Scraped before = scrape("/metrics");
    double declared = before.sum("rabbitmq_queues_declared_total");
    double created = before.sum("rabbitmq_queues_created_total");
    double deleted = before.sum("rabbitmq_queues_deleted_total");
    String q = amqp.queueName();
    Channel ch = amqp.channel();

    ch.queueDeclare(q, false, false, false, null);
    ch.queueDeclare(q, false, false, false, null);
    ch.queueDelete(q);

    Scraped after = awaitSum("/metrics", "rabbitmq_queues_deleted_total", deleted + 1);
    assertEquals(declared + 2, after.sum("rabbitmq_queues_declared_total"));
    assertEquals(created + 1, after.sum("rabbitmq_queues_created_total"));
  }

  @Test
  void identityInfoNamesTheNodeTheClusterAndTheEndpoint() {
    JsonNode overview =
        ManagementHttp.guest(TestBroker.managementAddress()).get("/api/overview").json();
    for (String endpoint : List.of("aggregated", "per-object", "detailed")) {
      String path = endpoint.equals("aggregated") ? "/metrics" : "/metrics/" + endpoint;
      List<Metric> identity = scrape(path).samples("rabbitmq_identity_info");
      assertEquals(1, identity.size(), path);
      Map<String, String> labels = identity.get(0).getLabels();
      assertEquals(overview.get("node").asText(), labels.get("rabbitmq_node"), path);
      assertEquals(overview.get("cluster_name").asText(), labels.get("rabbitmq_cluster"), path);
      assertEquals(endpoint, labels.get("rabbitmq_endpoint"), path);
      assertEquals(1, Scraped.value(identity.get(0)));
    }
  }

  @Test
  void aggregatedMetricsCarryNoPerObjectLabels() throws Exception {
    String q = amqp.queueName();
    amqp.channel().queueDeclare(q, false, false, false, null);
    amqp.publishNumbered(q, 2);
    awaitQueueReady(q, 2);

    Scraped aggregated = scrape("/metrics");

    for (MetricFamily f : aggregated.families().values()) {
      if (!f.getName().startsWith("rabbitmq_")) {
        continue;
      }
      for (Metric m : f.getMetrics()) {
        for (String perObject : List.of("queue", "vhost", "channel", "exchange")) {
          assertFalse(m.getLabels().containsKey(perObject), f.getName() + m.getLabels());
        }
      }
    }
    assertFalse(aggregated.families().containsKey("rabbitmq_queue_info"));
    assertEquals(1, aggregated.samples("rabbitmq_queue_messages_ready").size());
    assertTrue(aggregated.sum("rabbitmq_queue_messages_ready") >= 2);
    assertTrue(aggregated.sum("rabbitmq_queues") >= 1);
  }

  @Test
  void detailedReportsOnlyTheFamiliesAndVhostsAskedFor() throws Exception {
    ManagementHttp api = ManagementHttp.guest(TestBroker.managementAddress());
    String other = AmqpSession.uniqueName("metrics-vhost");
    String otherPath = "/api/vhosts/" + ManagementHttp.segment(other);
    api.put(otherPath, "{}");
    try {
      String inOther = AmqpSession.uniqueName("metrics-other-queue");
      api.put(
          "/api/queues/" + ManagementHttp.segment(other) + "/" + ManagementHttp.segment(inOther),
          "{\"durable\":false}");
      String q = amqp.queueName();
      amqp.channel().queueDeclare(q, false, false, false, null);
      amqp.publishNumbered(q, 4);
      awaitQueueReady(q, 4);

      Scraped detailed = scrape("/metrics/detailed?family=queue_coarse_metrics&vhost=%2F");

      List<Metric> ready = detailed.samples("rabbitmq_detailed_queue_messages_ready");
      assertTrue(ready.stream().allMatch(m -> m.getLabels().get("vhost").equals("/")));
      assertEquals(4, detailed.value("rabbitmq_detailed_queue_messages_ready", Map.of("queue", q)));
      assertTrue(detailed.families().containsKey("rabbitmq_detailed_queue_messages_unacked"));
      assertTrue(detailed.families().containsKey("rabbitmq_detailed_queue_info"));
      for (String name : detailed.families().keySet()) {
        assertTrue(
            name.startsWith("rabbitmq_detailed_queue_")
                || name.equals("rabbitmq_identity_info")
                || name.equals("rabbitmq_build_info"),
            "only the family asked for, got " + name);
      }

      Scraped otherVhost =
          scrape(
              "/metrics/detailed?family=queue_coarse_metrics&vhost="
                  + ManagementHttp.segment(other));
      assertEquals(
          Map.of("vhost", other, "queue", inOther),
          otherVhost.samples("rabbitmq_detailed_queue_messages_ready").get(0).getLabels());
      assertEquals(1, otherVhost.samples("rabbitmq_detailed_queue_messages_ready").size());

      Scraped none = scrape("/metrics/detailed");
      assertEquals(
          List.of("rabbitmq_build_info", "rabbitmq_identity_info"),
          none.families().keySet().stream().sorted().toList());
    } finally {
      api.delete(otherPath);
    }
  }

  @Test
  void jvmAndProcessMetricsAreServedBesideTheBrokerOnes() {
    Scraped aggregated = scrape("/metrics");
    assertTrue(aggregated.sum("jvm_memory_used_bytes") > 0);
    assertTrue(aggregated.sum("process_resident_memory_bytes") > 0);
    assertTrue(aggregated.sum("rabbitmq_process_resident_memory_bytes") > 0);
    assertTrue(aggregated.sum("rabbitmq_resident_memory_limit_bytes") > 0);
    assertTrue(aggregated.sum("rabbitmq_disk_space_available_bytes") > 0);
    assertTrue(scrape("/metrics/per-object").families().containsKey("jvm_threads_current"));
    assertFalse(
        scrape("/metrics/detailed?family=queue_coarse_metrics")
            .families()
            .containsKey("jvm_memory_used_bytes"));
  }
}
