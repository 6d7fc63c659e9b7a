package dev.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.http.ApiError;
import dev.warren.management.http.ApiRequest;
import dev.warren.management.http.ApiResponse;
import dev.warren.management.http.Router;
import dev.warren.management.spi.Permission;
import dev.warren.management.spi.TopicPermission;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /api/permissions} and {@code /api/topic-permissions}; administrators only. */
final class PermissionApi {
  static final Listing<Permission> PERMISSIONS =
      new Listing<>(
          List.of("vhost", "user"),
          Permission::user,
          Map.of("vhost", Permission::vhost, "user", Permission::user),
          false);
  static final Listing<TopicPermission> TOPIC =
      new Listing<>(
          List.of("vhost", "user"),
          TopicPermission::user,
          Map.of("vhost", TopicPermission::vhost, "user", TopicPermission::user),
          false);

  private PermissionApi() {}

  static void register(Router r, Api api) {
    r.route("/api/permissions").get(req -> all(api, req, false));
    r.route("/api/permissions/{vhost}/{user}")
        .get(req -> ApiResponse.ok(render(findPermission(api, req))))
        .put(req -> putPermission(api, req))
        .delete(req -> deletePermission(api, req));
    r.route("/api/topic-permissions").get(req -> all(api, req, true));
    r.route("/api/topic-permissions/{vhost}/{user}")
        .get(req -> topicOf(api, req))
        .put(req -> putTopic(api, req))
        .delete(req -> deleteTopic(api, req, Optional.empty()));
    r.route("/api/topic-permissions/{vhost}/{user}/{exchange}")
        .delete(req -> deleteTopic(api, req, Optional.of(req.var("exchange"))));
  }

  private static ApiResponse all(Api api, ApiRequest req, boolean topic) {
    Api.admin(req);
    return topic
        ? ApiResponse.ok(TOPIC.reply(req, api.backend.topicPermissions(), PermissionApi::render))
        : ApiResponse.ok(PERMISSIONS.reply(req, api.backend.permissions(), PermissionApi::render));
  }

  static ApiResponse ofVhost(Api api, ApiRequest req, boolean topic) {
    Api.admin(req);
    String vhost = req.var("vhost");
    api.vhostMustExist(vhost);
    return topic
        ? ApiResponse.ok(
            TOPIC.reply(
                req,
                api.filtered(api.backend.topicPermissions(), p -> p.vhost().equals(vhost)),
                PermissionApi::render))
        : ApiResponse.ok(
            PERMISSIONS.reply(
                req,
                api.filtered(api.backend.permissions(), p -> p.vhost().equals(vhost)),
                PermissionApi::render));
  }

  static ApiResponse ofUser(Api api, ApiRequest req, boolean topic) {
    Api.admin(req);
    String user = req.var("user");
    UserApi.user(api, user).orElseThrow(ApiError::objectNotFound);
    return topic
        ? ApiResponse.ok(
            TOPIC.reply(
                req,
                api.filtered(api.backend.topicPermissions(), p -> p.user().equals(user)),
                PermissionApi::render))
        : ApiResponse.ok(
            PERMISSIONS.reply(
                req,
                api.filtered(api.backend.permissions(), p -> p.user().equals(user)),
                PermissionApi::render));
  }

  static ObjectNode render(Permission p) {
    ObjectNode o = Json.object();
    o.put("user", p.user());
    o.put("vhost", p.vhost());
    o.put("configure", p.configure());
    o.put("write", p.write());
    o.put("read", p.read());
    return o;
  }

  static ObjectNode render(TopicPermission p) {
    ObjectNode o = Json.object();
    o.put("user", p.user());
    o.put("vhost", p.vhost());
    o.put("exchange", p.exchange());
    o.put("write", p.write());
    o.put("read", p.read());
    return o;
  }

  private static Permission findPermission(Api api, ApiRequest req) {
    Api.admin(req);
    return api.backend.permissions().stream()
        .filter(p -> p.vhost().equals(req.var("vhost")) && p.user().equals(req.var("user")))
        .findFirst()
        .orElseThrow(ApiError::objectNotFound);
  }

  /** The fields RabbitMQ requires, reported as its {@code key_missing} list when absent. */
  static void required(ObjectNode body, String... keys) {
    StringBuilder missing = new StringBuilder();
    for (String k : keys) {
      if (body.get(k) == null) {
        missing
            .append(missing.length() == 0 ? "" : ",")
            .append("{key_missing,")
            .append(k)
            .append('}');
      }
    }
    if (missing.length() > 0) {
      throw ApiError.badRequest("[" + missing + "]");
    }
  }

  private static void userAndVhostExist(Api api, String vhost, String user) {
    if (!api.vhostExists(vhost) || UserApi.user(api, user).isEmpty()) {
      throw ApiError.badRequest("vhost_or_user_not_found");
    }
  }

  private static ApiResponse putPermission(Api api, ApiRequest req) {
    Api.admin(req);
    ObjectNode body = Json.body(req.body());
    required(body, "configure", "write", "read");
    String vhost = req.var("vhost");
    String user = req.var("user");
    userAndVhostExist(api, vhost, user);
    boolean created =
        api.backend.putPermission(
            new Permission(
                user,
                vhost,
                body.get("configure").asText(),
                body.get("write").asText(),
                body.get("read").asText()));
    return ApiResponse.createdOrUpdated(created);
  }

  private static ApiResponse deletePermission(Api api, ApiRequest req) {
    Permission p = findPermission(api, req);
    api.backend.deletePermission(p.vhost(), p.user());
    return ApiResponse.noContent();
  }

  private static ApiResponse topicOf(Api api, ApiRequest req) {
    Api.admin(req);
    var list =
        api.filtered(
            api.backend.topicPermissions(),
            p -> p.vhost().equals(req.var("vhost")) && p.user().equals(req.var("user")));
    if (list.isEmpty()) {
      throw ApiError.objectNotFound();
    }
    return ApiResponse.ok(TOPIC.reply(req, list, PermissionApi::render));
  }

  private static ApiResponse putTopic(Api api, ApiRequest req) {
    Api.admin(req);
    ObjectNode body = Json.body(req.body());
    required(body, "exchange", "write", "read");
    String vhost = req.var("vhost");
    String user = req.var("user");
    userAndVhostExist(api, vhost, user);
    JsonNode x = body.get("exchange");
    boolean created =
        api.backend.putTopicPermission(
            new TopicPermission(
                user, vhost, x.asText(), body.get("write").asText(), body.get("read").asText()));
    return ApiResponse.createdOrUpdated(created);
  }

  private static ApiResponse deleteTopic(Api api, ApiRequest req, Optional<String> exchange) {
    Api.admin(req);
    String vhost = req.var("vhost");
    String user = req.var("user");
    boolean any =
        api.backend.topicPermissions().stream()
            .anyMatch(
                p ->
                    p.vhost().equals(vhost)
                        && p.user().equals(user)
                        && exchange.map(p.exchange()::equals).orElse(true));
    if (!any) {
      throw ApiError.objectNotFound();
    }
    api.backend.deleteTopicPermissions(vhost, user, exchange);
    return ApiResponse.noContent();
  }
}
