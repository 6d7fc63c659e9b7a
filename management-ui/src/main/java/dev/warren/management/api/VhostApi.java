package dev.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.http.ApiError;
import dev.warren.management.http.ApiRequest;
import dev.warren.management.http.ApiResponse;
import dev.warren.management.http.Router;
import dev.warren.management.spi.Permission;
import dev.warren.management.spi.QueueInfo;
import dev.warren.management.spi.VhostInfo;
import dev.warren.management.spi.VhostSpec;
import dev.warren.management.stats.SampleRing;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/vhosts} and what hangs off one vhost. */
final class VhostApi {
  static final Listing<VhostInfo> LISTING =
      new Listing<>(List.of("name"), VhostInfo::name, Map.of("name", VhostInfo::name), true);

  private VhostApi() {}

  static void register(Router r, Api api) {
    r.route("/api/vhosts").get(req -> list(api, req));
    r.route("/api/vhosts/{vhost}")
        .get(req -> show(api, req))
        .put(req -> put(api, req))
        .delete(req -> delete(api, req));
    r.route("/api/vhosts/{vhost}/permissions").get(req -> PermissionApi.ofVhost(api, req, false));
    r.route("/api/vhosts/{vhost}/topic-permissions")
        .get(req -> PermissionApi.ofVhost(api, req, true));
    r.route("/api/vhosts/{vhost}/connections").get(req -> ConnectionApi.connections(api, req));
    r.route("/api/vhosts/{vhost}/channels").get(req -> ConnectionApi.channels(api, req));
  }

  private static ApiResponse list(Api api, ApiRequest req) {
    var visible = api.visibleVhosts(req.caller(), true);
    var items = api.filtered(api.backend.vhosts(), v -> visible.test(v.name()));
    Views views = api.views(req);
    Map<String, long[]> depths = depths(api);
    return ApiResponse.ok(LISTING.reply(req, items, v -> render(v, views, depths)));
  }

  /** Ready and unacked messages per vhost, summed over its queues. */
  static Map<String, long[]> depths(Api api) {
    Map<String, long[]> d = new HashMap<>();
    for (QueueInfo q : api.backend.queues()) {
      long[] x = d.computeIfAbsent(q.vhost(), k -> new long[2]);
      x[0] += q.figures().ready();
      x[1] += q.figures().unacked();
    }
    return d;
  }

  private static ApiResponse show(Api api, ApiRequest req) {
    Api.admin(req);
    VhostInfo v = api.vhost(req.var("vhost"));
    return ApiResponse.ok(render(v, api.views(req), depths(api)));
  }

  static ObjectNode render(VhostInfo v, Views views, Map<String, long[]> depths) {
    ObjectNode o = Json.object();
    o.putObject("cluster_state").put(views.node(), "running");
    o.put("default_queue_type", v.defaultQueueType());
    o.put("description", v.description());
    SampleRing r = views.sampler().vhosts.ring(v.name());
    ObjectNode ms = StatsView.messageStats(v.counters(), r, views.details());
    if (ms != null) {
      o.set("message_stats", ms);
    }
    long[] d = depths.getOrDefault(v.name(), new long[2]);
    StatsView.depths(o, d[0], d[1], r, views.details());
    ObjectNode meta = o.putObject("metadata");
    meta.put("description", v.description());
    meta.set("tags", Json.tree(v.tags()));
    o.put("name", v.name());
    o.set("tags", Json.tree(v.tags()));
    o.put("tracing", v.tracing());
    return o;
  }

  private static ApiResponse put(Api api, ApiRequest req) {
    Api.admin(req);
    ObjectNode body = Json.body(req.body());
    String name = req.var("vhost");
    VhostInfo old =
        api.backend.vhosts().stream().filter(v -> v.name().equals(name)).findFirst().orElse(null);
    JsonNode tags = body.get("tags");
    JsonNode qt = body.get("default_queue_type");
    boolean created =
        api.backend.putVhost(
            new VhostSpec(
                name,
                body.hasNonNull("description")
                    ? body.get("description").asText()
                    : old != null ? old.description() : "",
                tags != null ? Api.tags(Json.plain(tags)) : old != null ? old.tags() : List.of(),
                qt != null && !qt.isNull()
                    ? qt.asText()
                    : old != null ? old.defaultQueueType() : "undefined",
                QueueApi.bool(body, "tracing", old != null && old.tracing())));
    if (created) {
      // RabbitMQ gives the user who creates a vhost through the API full permissions on it.
      api.backend.putPermission(new Permission(req.caller().name(), name, ".*", ".*", ".*"));
    }
    return ApiResponse.createdOrUpdated(created);
  }

  private static ApiResponse delete(Api api, ApiRequest req) {
    Api.admin(req);
    String name = req.var("vhost");
    if (!api.vhostExists(name)) {
      throw ApiError.objectNotFound();
    }
    api.backend.deleteVhost(name);
    return ApiResponse.noContent();
  }
}
