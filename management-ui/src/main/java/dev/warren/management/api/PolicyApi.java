package dev.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.http.ApiError;
import dev.warren.management.http.ApiRequest;
import dev.warren.management.http.ApiResponse;
import dev.warren.management.http.Router;
import dev.warren.management.spi.Policy;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/policies} and {@code /api/operator-policies}. As in RabbitMQ 3.10: anyone lists those
 * of the vhosts they may use; a policy is read and changed by a policymaker with access to its
 * vhost (or an administrator), an operator policy by an administrator only.
 */
final class PolicyApi {
  static final Listing<Policy> LISTING =
      new Listing<>(
          List.of("priority"),
          Policy::name,
          Map.of(
              "priority", p -> (long) p.priority(),
              "name", Policy::name,
              "vhost", Policy::vhost),
          false);

  private PolicyApi() {}

  static void register(Router r, Api api) {
    for (boolean operator : new boolean[] {false, true}) {
      String base = operator ? "/api/operator-policies" : "/api/policies";
      r.route(base).get(req -> list(api, req, operator));
      r.route(base + "/{vhost}").get(req -> list(api, req, operator));
      r.route(base + "/{vhost}/{name}")
          .get(req -> ApiResponse.ok(render(find(api, req, operator))))
          .put(
              req ->
                  operator ? put(api, req, true) : Api.escapingReasons(() -> put(api, req, false)))
          .delete(req -> delete(api, req, operator));
    }
  }

  private static ApiResponse list(Api api, ApiRequest req, boolean operator) {
    var items = api.scoped(req, api.backend.policies(operator), Policy::vhost, false);
    return ApiResponse.ok(LISTING.reply(req, items, PolicyApi::render));
  }

  static ObjectNode render(Policy p) {
    ObjectNode o = Json.object();
    o.put("vhost", p.vhost());
    o.put("name", p.name());
    o.put("pattern", p.pattern());
    o.put("apply-to", p.applyTo());
    o.set("definition", Json.tree(p.definition()));
    o.put("priority", p.priority());
    return o;
  }

  private static void access(Api api, ApiRequest req, boolean operator) {
    if (operator) {
      Api.admin(req);
    } else {
      api.policyAccess(req);
    }
  }

  private static Policy find(Api api, ApiRequest req, boolean operator) {
    access(api, req, operator);
    return api.backend.policies(operator).stream()
        .filter(p -> p.vhost().equals(req.var("vhost")) && p.name().equals(req.var("name")))
        .findFirst()
        .orElseThrow(ApiError::objectNotFound);
  }

  private static ApiResponse put(Api api, ApiRequest req, boolean operator) {
    access(api, req, operator);
    ObjectNode body = Json.body(req.body());
    PermissionApi.required(body, "pattern", "definition");
    String vhost = req.var("vhost");
    if (!api.vhostExists(vhost)) {
      throw ApiError.notFound("vhost_not_found");
    }
    JsonNode pattern = body.get("pattern");
    if (!pattern.isTextual()) {
      throw ApiError.badRequest(
          "Validation failed\n\npattern should be a binary but was " + pattern + "\n");
    }
    JsonNode def = body.get("definition");
    if (!def.isObject()) {
      throw ApiError.badRequest("Validation failed\n\ndefinition must be a JSON object\n");
    }
    JsonNode priority = body.get("priority");
    int prio = 0;
    if (priority != null && !priority.isNull()) {
      if (!priority.isNumber() || !priority.canConvertToInt()) {
        throw ApiError.badRequest(
            "Validation failed\n\npriority should be a number, actually was "
                + Json.erlangTerm(priority)
                + "\n");
      }
      prio = priority.intValue();
    }
    JsonNode applyTo = body.get("apply-to");
    // The backend checks it, with RabbitMQ's text.
    String to = applyTo == null || applyTo.isNull() ? "all" : applyTo.asText();
    boolean created =
        api.backend.putPolicy(
            operator,
            new Policy(
                vhost, req.var("name"), pattern.textValue(), to, Json.plainObject(def), prio));
    return ApiResponse.createdOrUpdated(created);
  }

  private static ApiResponse delete(Api api, ApiRequest req, boolean operator) {
    Policy p = find(api, req, operator);
    api.backend.deletePolicy(operator, p.vhost(), p.name());
    return ApiResponse.noContent();
  }
}
