package dev.warren.management.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.http.ApiError;
import dev.warren.management.http.ApiRequest;
import dev.warren.management.http.ApiResponse;
import dev.warren.management.http.Router;
import dev.warren.management.spi.AckMode;
import dev.warren.management.spi.FetchedMessage;
import dev.warren.management.spi.Listener;
import dev.warren.management.spi.OutboundMessage;
import dev.warren.management.spi.QueueSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Health checks: {@code 200 {"status":"ok"}} when healthy, {@code 503 {"status":"failed", ...}}
 * otherwise, as RabbitMQ answers them; and {@code /api/aliveness-test/{vhost}}.
 */
final class HealthApi {
  private HealthApi() {}

  static void register(Router r, Api api) {
    r.route("/api/health/checks/alarms").get(req -> alarms(api));
    r.route("/api/health/checks/local-alarms").get(req -> alarms(api));
    r.route("/api/health/checks/virtual-hosts").get(req -> ok());
    r.route("/api/health/checks/node-is-quorum-critical").get(req -> ok());
    r.route("/api/health/checks/node-is-mirror-sync-critical").get(req -> ok());
    r.route("/api/health/checks/ready-to-serve-clients").get(req -> ok());
    r.route("/api/health/checks/certificate-expiration/{within}/{unit}").get(req -> ok());
    r.route("/api/health/checks/port-listener/{port}").get(req -> port(api, req));
    r.route("/api/health/checks/protocol-listener/{protocol}").get(req -> protocol(api, req));
    r.route("/api/healthchecks/node").get(req -> ok());
    r.route("/api/healthchecks/node/{node}").get(req -> ok());
    r.route("/api/aliveness-test/{vhost}").get(req -> aliveness(api, req));
  }

  private static ApiResponse ok() {
    ObjectNode o = Json.object();
    o.put("status", "ok");
    return ApiResponse.ok(o);
  }

  private static ApiResponse failed(ObjectNode o) {
    return new ApiResponse(503, o, Map.of());
  }

  private static ApiResponse alarms(Api api) {
    List<String> alarms = api.backend.alarms();
    if (alarms.isEmpty()) {
      return ok();
    }
    ObjectNode o = Json.object();
    o.put("status", "failed");
    o.put("reason", "There are alarms in effect in the cluster");
    ArrayNode a = o.putArray("alarms");
    for (String alarm : alarms) {
      ObjectNode x = a.addObject();
      x.put("node", api.backend.node().name());
      x.put("resource", alarm);
    }
    return failed(o);
  }

  private static ApiResponse port(Api api, ApiRequest req) {
    int port;
    try {
      port = Integer.parseInt(req.var("port"));
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("Invalid port " + req.var("port"));
    }
    List<Listener> ls = api.backend.node().listeners();
    if (ls.stream().anyMatch(l -> l.port() == port)) {
      ObjectNode o = Json.object();
      o.put("status", "ok");
      o.put("port", port);
      return ApiResponse.ok(o);
    }
    ObjectNode o = Json.object();
    o.put("status", "failed");
    o.put("reason", "No active listener");
    o.put("missing", port);
    ArrayNode ports = o.putArray("ports");
    ls.forEach(l -> ports.add(l.port()));
    return failed(o);
  }

  private static ApiResponse protocol(Api api, ApiRequest req) {
    String protocol = req.var("protocol");
    List<Listener> ls = api.backend.node().listeners();
    if (ls.stream().anyMatch(l -> l.protocol().equals(protocol))) {
      ObjectNode o = Json.object();
      o.put("status", "ok");
      o.put("protocol", protocol);
      return ApiResponse.ok(o);
    }
    ObjectNode o = Json.object();
    o.put("status", "failed");
    o.put("reason", "No active listener");
    o.put("missing", protocol);
    ArrayNode ps = o.putArray("protocols");
    ls.forEach(l -> ps.add(l.protocol()));
    return failed(o);
  }

  /**
   * Declares the queue {@code aliveness-test} in the vhost, publishes a message to it through the
   * default exchange and takes it back, as RabbitMQ's aliveness test does.
   */
  private static ApiResponse aliveness(Api api, ApiRequest req) {
    api.vhostAccess(req);
    String vhost = req.var("vhost");
    api.vhostMustExist(vhost);
    api.backend.declareQueue(new QueueSpec(vhost, "aliveness-test", false, false, Map.of()));
    byte[] body = "test_message".getBytes(StandardCharsets.UTF_8);
    api.backend.publish(
        new OutboundMessage(req.caller().name(), vhost, "", "aliveness-test", Map.of(), body));
    List<FetchedMessage> got =
        api.backend.get(vhost, "aliveness-test", 1, AckMode.ACK_REQUEUE_FALSE, -1);
    if (got.isEmpty()) {
      ObjectNode o = Json.object();
      o.put("status", "failed");
      o.put("reason", "aliveness-test queue did not return the message");
      return failed(o);
    }
    return ok();
  }
}
