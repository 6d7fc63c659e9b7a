package dev.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.http.ApiError;
import dev.warren.management.http.ApiRequest;
import dev.warren.management.http.ApiResponse;
import dev.warren.management.http.Router;
import dev.warren.management.spi.BindingInfo;
import dev.warren.management.spi.ExchangeInfo;
import dev.warren.management.spi.GlobalParameter;
import dev.warren.management.spi.Parameter;
import dev.warren.management.spi.Permission;
import dev.warren.management.spi.Policy;
import dev.warren.management.spi.QueueInfo;
import dev.warren.management.spi.TopicPermission;
import dev.warren.management.spi.UserInfo;
import dev.warren.management.spi.VhostInfo;
import java.util.Comparator;
import java.util.Optional;

/**
 * {@code /api/definitions}: export in RabbitMQ's JSON (durable, non-exclusive queues and exchanges,
 * no {@code amq.*} or default exchange, bindings between those), import all or nothing.
 * Administrators only.
 */
final class DefinitionsApi {
  private DefinitionsApi() {}

  static void register(Router r, Api api) {
    r.route("/api/definitions")
        .get(req -> export(api, req, Optional.empty()))
        .post(req -> load(api, req, Optional.empty()));
    r.route("/api/all-configuration")
        .get(req -> export(api, req, Optional.empty()))
        .post(req -> load(api, req, Optional.empty()));
    r.route("/api/definitions/{vhost}")
        .get(req -> export(api, req, Optional.of(req.var("vhost"))))
        .post(req -> load(api, req, Optional.of(req.var("vhost"))));
  }

  private static boolean exported(ExchangeInfo x) {
    return x.durable() && !x.name().isEmpty() && !x.name().startsWith("amq.");
  }

  private static ApiResponse export(Api api, ApiRequest req, Optional<String> vhost) {
    Api.admin(req);
    vhost.ifPresent(api::vhostMustExist);
    String version = api.backend.node().productVersion();
    ObjectNode o = Json.object();
    o.put("rabbit_version", version);
    o.put("rabbitmq_version", version);
    o.put("product_name", api.backend.node().productName());
    o.put("product_version", version);
    if (vhost.isEmpty()) {
      ArrayNode users = o.putArray("users");
      api.backend.users().stream()
          .sorted(Comparator.comparing(UserInfo::name))
          .forEach(u -> users.add(UserApi.render(u)));
      ArrayNode vhosts = o.putArray("vhosts");
      for (VhostInfo v : api.backend.vhosts()) {
        ObjectNode vo = vhosts.addObject();
        vo.put("name", v.name());
        vo.put("description", v.description());
        vo.set("tags", Json.tree(v.tags()));
        ObjectNode meta = vo.putObject("metadata");
        meta.put("description", v.description());
        meta.set("tags", Json.tree(v.tags()));
      }
      ArrayNode perms = o.putArray("permissions");
      for (Permission p : api.backend.permissions()) {
        perms.add(PermissionApi.render(p));
      }
      ArrayNode topic = o.putArray("topic_permissions");
      for (TopicPermission p : api.backend.topicPermissions()) {
        topic.add(PermissionApi.render(p));
      }
    }
    ArrayNode params = o.putArray("parameters");
    for (Parameter p : ParameterApi.listed(api)) {
      if (vhost.map(p.vhost()::equals).orElse(true)) {
        params.add(strip(ParameterApi.render(p), vhost));
      }
    }
    if (vhost.isEmpty()) {
      ArrayNode globals = o.putArray("global_parameters");
      for (GlobalParameter g : api.backend.globalParameters()) {
        // Name first, as RabbitMQ's export (its API answers value first).
        ObjectNode go = globals.addObject();
        go.put("name", g.name());
        go.set("value", Json.tree(g.value()));
      }
    }
    ArrayNode policies = o.putArray("policies");
    for (Policy p : api.backend.policies(false)) {
      if (vhost.map(p.vhost()::equals).orElse(true)) {
        policies.add(strip(PolicyApi.render(p), vhost));
      }
    }
    ArrayNode queues = o.putArray("queues");
    for (QueueInfo q : api.backend.queues()) {
      if (q.durable() && !q.exclusive() && vhost.map(q.vhost()::equals).orElse(true)) {
        ObjectNode qo = queues.addObject();
        qo.put("name", q.name());
        qo.put("vhost", q.vhost());
        qo.put("durable", q.durable());
        qo.put("auto_delete", q.autoDelete());
        qo.set("arguments", Json.tree(q.arguments()));
        strip(qo, vhost);
      }
    }
    ArrayNode exchanges = o.putArray("exchanges");
    for (ExchangeInfo x : api.backend.exchanges()) {
      if (exported(x) && vhost.map(x.vhost()::equals).orElse(true)) {
        ObjectNode xo = exchanges.addObject();
        xo.put("name", x.name());
        xo.put("vhost", x.vhost());
        xo.put("type", x.type());
        xo.put("durable", x.durable());
        xo.put("auto_delete", x.autoDelete());
        xo.put("internal", x.internal());
        xo.set("arguments", Json.tree(x.arguments()));
        strip(xo, vhost);
      }
    }
    ArrayNode bindings = o.putArray("bindings");
    for (BindingInfo b : api.backend.bindings()) {
      if (!b.source().isEmpty() && vhost.map(b.vhost()::equals).orElse(true)) {
        ObjectNode bo = BindingApi.render(b);
        bo.remove("properties_key");
        bindings.add(strip(bo, vhost));
      }
    }
    return ApiResponse.ok(o);
  }

  /** A per-vhost export leaves the vhost out of each entry, as RabbitMQ does. */
  private static ObjectNode strip(ObjectNode o, Optional<String> vhost) {
    if (vhost.isPresent()) {
      o.remove("vhost");
    }
    return o;
  }

  private static ApiResponse load(Api api, ApiRequest req, Optional<String> vhost) {
    Api.admin(req);
    vhost.ifPresent(
        v -> {
          if (!api.vhostExists(v)) {
            throw ApiError.notFound("vhost_not_found");
          }
        });
    JsonNode body = Json.body(req.body());
    api.backend.importDefinitions(
        DefinitionsReader.read(body, vhost, api.backend.defaultHashingAlgorithm()), vhost);
    return ApiResponse.noContent();
  }
}
