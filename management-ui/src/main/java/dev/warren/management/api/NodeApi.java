package dev.warren.management.api;

import static dev.warren.management.stats.Sampler.M_CHURN;
import static dev.warren.management.stats.Sampler.M_READY;
import static dev.warren.management.stats.Sampler.M_UNACKED;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.http.ApiError;
import dev.warren.management.http.ApiRequest;
import dev.warren.management.http.ApiResponse;
import dev.warren.management.http.Router;
import dev.warren.management.spi.ChurnCounters;
import dev.warren.management.spi.ClusterNode;
import dev.warren.management.spi.Listener;
import dev.warren.management.spi.LiveCounts;
import dev.warren.management.spi.NodeInfo;
import dev.warren.management.stats.SampleRing;
import dev.warren.management.stats.Sampler;
import java.util.TreeMap;
import java.util.function.Predicate;

/** {@code /api/overview}, {@code /api/nodes}, {@code /api/extensions}, {@code /api/auth}. */
final class NodeApi {
  /** The management API version RabbitMQ 3.10 reports, which clients check. */
  static final String MANAGEMENT_VERSION = "3.10.8";

  private NodeApi() {}

  static void register(Router r, Api api) {
    r.route("/api/overview").get(req -> overview(api, req));
    r.route("/api/nodes").get(req -> nodes(api, req));
    r.route("/api/nodes/{node}")
        .get(req -> node(api, req))
        .delete(req -> ClusterNodeApi.forget(api, req));
    r.route("/api/extensions").get(req -> ApiResponse.ok(Json.array()));
    r.route("/api/auth").get(req -> auth());
  }

  private static ApiResponse auth() {
    ObjectNode o = Json.object();
    o.put("enable_uaa", false);
    o.put("uaa_client_id", "");
    o.put("uaa_location", "");
    return ApiResponse.ok(o);
  }

  private static ArrayNode exchangeTypes(NodeInfo n) {
    ArrayNode types = Json.array();
    for (String t : n.exchangeTypes()) {
      ObjectNode o = types.addObject();
      o.put("name", t);
      o.put("description", "AMQP " + t + " exchange, as per the AMQP specification");
      o.put("enabled", true);
    }
    return types;
  }

  /** Non-monitor users see the totals of their own vhosts and no node details, as in RabbitMQ. */
  private static ApiResponse overview(Api api, ApiRequest req) {
    NodeInfo n = api.backend.node();
    Views v = api.views(req);
    boolean monitor = req.caller().isMonitor();
    Predicate<String> visible = api.visibleVhosts(req.caller(), true);
    ObjectNode o = Json.object();
    o.put("management_version", MANAGEMENT_VERSION);
    o.put("rates_mode", "basic");
    ObjectNode retention = o.putObject("sample_retention_policies");
    retention.putArray("global").add(600).add(3600).add(28800).add(86400);
    retention.putArray("basic").add(600).add(3600);
    retention.putArray("detailed").add(600);
    o.set("exchange_types", exchangeTypes(n));
    o.put("product_version", n.productVersion());
    o.put("product_name", n.productName());
    o.put("rabbitmq_version", n.productVersion());
    o.put("cluster_name", n.clusterName());
    o.put("erlang_version", n.runtimeVersion());
    o.put("erlang_full_version", n.runtimeVersion());
    o.put("release_series_support_status", "supported");
    o.put("disable_stats", false);
    o.put("enable_queue_totals", false);
    SampleRing total = monitor ? v.sampler().total.ring("") : null;
    // The sampler's last round, as RabbitMQ's overview shows its last statistics collection:
    // summing 100,000 queues' or 10,000 connections' figures on every refresh would cost more
    // than the whole overview may.
    long[] latest = v.sampler().vhostsLatest(visible);
    ObjectNode ms = StatsView.messageStats(Sampler.messageCounters(latest), total, v.details());
    o.set("message_stats", ms == null ? Json.object() : ms);
    churn(o.putObject("churn_rates"), n.churn(), total, v.details());
    StatsView.depths(
        o.putObject("queue_totals"), latest[M_READY], latest[M_UNACKED], total, v.details());
    ObjectNode totals = o.putObject("object_totals");
    Predicate<String> counted = user -> monitor || user.equals(req.caller().name());
    LiveCounts live = api.backend.liveCounts(counted);
    totals.put("channels", live.channels());
    totals.put("connections", live.connections());
    if (monitor) {
      totals.put("consumers", live.consumers());
    }
    totals.put(
        "exchanges", api.backend.exchanges().stream().filter(x -> visible.test(x.vhost())).count());
    long queues = 0;
    for (String vhost : api.backend.vhostNames()) {
      if (visible.test(vhost)) {
        queues += api.backend.queueCount(vhost);
      }
    }
    totals.put("queues", queues);
    o.put("statistics_db_event_queue", 0);
    if (monitor) {
      o.put("node", n.name());
      ArrayNode listeners = o.putArray("listeners");
      for (Listener l : n.listeners()) {
        ObjectNode lo = listeners.addObject();
        lo.put("node", n.name());
        lo.put("protocol", l.protocol());
        lo.put("ip_address", l.ipAddress());
        lo.put("port", l.port());
        lo.putObject("socket_opts");
      }
      o.putArray("contexts");
    }
    return ApiResponse.ok(o);
  }

  private static void churn(ObjectNode o, ChurnCounters c, SampleRing r, Details d) {
    long[] values = {
      c.channelClosed(),
      c.channelCreated(),
      c.connectionClosed(),
      c.connectionCreated(),
      c.queueCreated(),
      c.queueDeclared(),
      c.queueDeleted()
    };
    String[] names = {
      "channel_closed",
      "channel_created",
      "connection_closed",
      "connection_created",
      "queue_created",
      "queue_declared",
      "queue_deleted"
    };
    for (int i = 0; i < names.length; i++) {
      d.count(o, names[i], values[i], r, M_CHURN + i);
    }
  }

  private static ObjectNode render(NodeInfo n) {
    ObjectNode o = Json.object();
    o.putArray("partitions");
    o.put("os_pid", String.valueOf(ProcessHandle.current().pid()));
    o.put("fd_total", n.fdTotal());
    o.put("fd_used", n.fdUsed());
    o.put("mem_used", n.memUsed());
    o.put("mem_limit", n.memLimit());
    o.put("mem_alarm", n.memAlarm());
    o.put("disk_free", n.diskFree());
    o.put("disk_free_limit", n.diskFreeLimit());
    o.put("disk_free_alarm", n.diskFreeAlarm());
    o.put("rates_mode", "basic");
    o.put("uptime", Math.max(0, System.currentTimeMillis() - n.startedAtMillis()));
    o.put("run_queue", 0);
    o.put("processors", n.processors());
    o.set("exchange_types", exchangeTypes(n));
    ArrayNode mechs = o.putArray("auth_mechanisms");
    for (String m : n.authMechanisms()) {
      ObjectNode mo = mechs.addObject();
      mo.put("name", m);
      mo.put("description", m);
      mo.put("enabled", true);
    }
    o.putArray("applications");
    o.putArray("contexts");
    o.put("being_drained", false);
    o.putArray("enabled_plugins").add("rabbitmq_management");
    o.put("name", n.name());
    o.put("type", "disc");
    o.put("running", true);
    return o;
  }

  /**
   * Another node of the cluster: what RabbitMQ shows of a node whose statistics it does not have (a
   * stopped one). This node does not gather the others' figures.
   */
  private static ObjectNode render(ClusterNode n) {
    ObjectNode o = Json.object();
    o.put("name", n.name());
    o.put("type", "disc");
    o.put("running", n.running());
    o.put("being_drained", false);
    return o;
  }

  /** This node and the others of its cluster, by name. */
  private static ApiResponse nodes(Api api, ApiRequest req) {
    Api.monitor(req);
    NodeInfo self = api.backend.node();
    TreeMap<String, ObjectNode> byName = new TreeMap<>();
    byName.put(self.name(), render(self));
    for (ClusterNode n : api.backend.clusterNodes()) {
      byName.putIfAbsent(n.name(), render(n));
    }
    ArrayNode out = Json.array();
    byName.values().forEach(out::add);
    return ApiResponse.ok(out);
  }

  private static ApiResponse node(Api api, ApiRequest req) {
    Api.monitor(req);
    NodeInfo n = api.backend.node();
    String name = req.var("node");
    if (n.name().equals(name)) {
      return ApiResponse.ok(render(n));
    }
    for (ClusterNode other : api.backend.clusterNodes()) {
      if (other.name().equals(name)) {
        return ApiResponse.ok(render(other));
      }
    }
    throw ApiError.objectNotFound();
  }
}
