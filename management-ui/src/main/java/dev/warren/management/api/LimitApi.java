package dev.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.http.ApiError;
import dev.warren.management.http.ApiRequest;
import dev.warren.management.http.ApiResponse;
import dev.warren.management.http.Router;
import dev.warren.management.spi.UserInfo;
import dev.warren.management.spi.VhostInfo;
import java.util.TreeMap;

/** {@code /api/vhost-limits} and {@code /api/user-limits}. */
final class LimitApi {
  private LimitApi() {}

  static void register(Router r, Api api) {
    r.route("/api/vhost-limits").get(req -> vhostLimits(api, req));
    r.route("/api/vhost-limits/{vhost}").get(req -> vhostLimits(api, req));
    r.route("/api/vhost-limits/{vhost}/{name}")
        .put(req -> setVhost(api, req))
        .delete(req -> clearVhost(api, req));
    r.route("/api/user-limits").get(req -> userLimits(api, req));
    r.route("/api/user-limits/{user}").get(req -> userLimits(api, req));
    r.route("/api/user-limits/{user}/{name}")
        .put(req -> setUser(api, req))
        .delete(req -> clearUser(api, req));
  }

  private static ApiResponse vhostLimits(Api api, ApiRequest req) {
    var vhosts = api.scoped(req, api.backend.vhosts(), VhostInfo::name, true);
    ArrayNode out = Json.array();
    for (VhostInfo v : vhosts) {
      if (!v.limits().isEmpty()) {
        ObjectNode o = out.addObject();
        o.put("vhost", v.name());
        o.set("value", Json.tree(new TreeMap<>(v.limits())));
      }
    }
    return ApiResponse.ok(out);
  }

  private static ApiResponse userLimits(Api api, ApiRequest req) {
    String only = req.pathVars().get("user");
    if (only == null) {
      Api.admin(req);
    } else if (!req.caller().isMonitor() && !req.caller().name().equals(only)) {
      throw ApiError.notAuthorised("User not authorised to access object");
    }
    ArrayNode out = Json.array();
    for (UserInfo u : api.backend.users()) {
      if ((only == null || u.name().equals(only)) && !u.limits().isEmpty()) {
        ObjectNode o = out.addObject();
        o.put("user", u.name());
        o.set("value", Json.tree(new TreeMap<>(u.limits())));
      }
    }
    return ApiResponse.ok(out);
  }

  /** The {@code value} of a limit body: a number (RabbitMQ's validation text otherwise). */
  private static long value(ApiRequest req) {
    ObjectNode body = Json.body(req.body());
    PermissionApi.required(body, "value");
    JsonNode v = body.get("value");
    if (!v.isIntegralNumber()) {
      throw ApiError.badRequest(
          "Validation failed\n\n"
              + req.var("name")
              + " should be a number, actually was "
              + Json.erlangTerm(v)
              + "\n");
    }
    return v.longValue();
  }

  private static ApiResponse setVhost(Api api, ApiRequest req) {
    Api.admin(req);
    long value = value(req);
    api.vhost(req.var("vhost"));
    api.backend.setVhostLimit(req.var("vhost"), req.var("name"), value);
    return ApiResponse.noContent();
  }

  private static ApiResponse clearVhost(Api api, ApiRequest req) {
    Api.admin(req);
    api.vhost(req.var("vhost"));
    api.backend.clearVhostLimit(req.var("vhost"), req.var("name"));
    return ApiResponse.noContent();
  }

  private static ApiResponse setUser(Api api, ApiRequest req) {
    Api.admin(req);
    long value = value(req);
    UserApi.user(api, req.var("user")).orElseThrow(ApiError::objectNotFound);
    api.backend.setUserLimit(req.var("user"), req.var("name"), value);
    return ApiResponse.noContent();
  }

  private static ApiResponse clearUser(Api api, ApiRequest req) {
    Api.admin(req);
    UserApi.user(api, req.var("user")).orElseThrow(ApiError::objectNotFound);
    api.backend.clearUserLimit(req.var("user"), req.var("name"));
    return ApiResponse.noContent();
  }
}
