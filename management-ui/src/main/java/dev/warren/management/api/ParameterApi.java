package dev.warren.management.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.http.ApiError;
import dev.warren.management.http.ApiRequest;
import dev.warren.management.http.ApiResponse;
import dev.warren.management.http.Router;
import dev.warren.management.spi.GlobalParameter;
import dev.warren.management.spi.Parameter;
import dev.warren.management.spi.VhostInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /api/parameters} (vhost limits show there as component {@code vhost-limits}, name {@code
 * limits}, as in RabbitMQ), {@code /api/global-parameters} and {@code /api/cluster-name}. As in
 * RabbitMQ 3.10, policies and operator policies are parameters too (components {@value #POLICY} and
 * {@code operator_policy}), but the list of every component leaves the policies out (the operator
 * policies stay in it, and in an export's {@code parameters}).
 */
final class ParameterApi {
  static final Listing<Parameter> LISTING =
      new Listing<>(
          List.of("vhost", "component", "name"),
          Parameter::name,
          Map.of(
              "vhost", Parameter::vhost,
              "component", Parameter::component,
              "name", Parameter::name),
          false);
  static final Listing<GlobalParameter> GLOBAL =
      new Listing<>(
          List.of("name"), GlobalParameter::name, Map.of("name", GlobalParameter::name), false);

  /** The component of policies, listed only when asked for by name. */
  static final String POLICY = "policy";

  private ParameterApi() {}

  static void register(Router r, Api api) {
    r.route("/api/cluster-name").get(req -> clusterName(api)).put(req -> setClusterName(api, req));
    r.route("/api/parameters").get(req -> list(api, req));
    r.route("/api/parameters/{component}").get(req -> list(api, req));
    r.route("/api/parameters/{component}/{vhost}").get(req -> list(api, req));
    r.route("/api/parameters/{component}/{vhost}/{name}")
        .get(req -> ApiResponse.ok(render(find(api, req))))
        .put(req -> Api.escapingReasons(() -> put(api, req)))
        .delete(req -> delete(api, req));
    r.route("/api/global-parameters").get(req -> globals(api, req));
    r.route("/api/global-parameters/{name}")
        .get(req -> ApiResponse.ok(render(findGlobal(api, req))))
        .put(req -> putGlobal(api, req))
        .delete(req -> deleteGlobal(api, req));
  }

  private static ApiResponse clusterName(Api api) {
    ObjectNode o = Json.object();
    o.put("name", api.backend.node().clusterName());
    return ApiResponse.ok(o);
  }

  private static ApiResponse setClusterName(Api api, ApiRequest req) {
    Api.admin(req);
    ObjectNode body = Json.body(req.body());
    PermissionApi.required(body, "name");
    api.backend.putGlobalParameter(new GlobalParameter("cluster_name", body.get("name").asText()));
    return ApiResponse.noContent();
  }

  /** Every parameter but the policies, as an export and the list of all components show them. */
  static Collection<Parameter> listed(Api api) {
    return api.filtered(all(api), p -> !p.component().equals(POLICY));
  }

  /** Every parameter, vhost limits and policies included. */
  static Collection<Parameter> all(Api api) {
    List<Parameter> all = new ArrayList<>(api.backend.parameters());
    for (VhostInfo v : api.backend.vhosts()) {
      if (!v.limits().isEmpty()) {
        all.add(new Parameter(v.name(), "vhost-limits", "limits", new TreeMap<>(v.limits())));
      }
    }
    return all;
  }

  private static ApiResponse list(Api api, ApiRequest req) {
    api.policyAccess(req);
    String component = req.pathVars().get("component");
    var items =
        api.scoped(req, component == null ? listed(api) : all(api), Parameter::vhost, false);
    if (component != null) {
      items = api.filtered(items, p -> p.component().equals(component));
    }
    return ApiResponse.ok(LISTING.reply(req, items, ParameterApi::render));
  }

  static ObjectNode render(Parameter p) {
    ObjectNode o = Json.object();
    o.set("value", Json.tree(p.value()));
    o.put("vhost", p.vhost());
    o.put("component", p.component());
    o.put("name", p.name());
    return o;
  }

  static ObjectNode render(GlobalParameter p) {
    ObjectNode o = Json.object();
    o.set("value", Json.tree(p.value()));
    o.put("name", p.name());
    return o;
  }

  private static Parameter find(Api api, ApiRequest req) {
    api.policyAccess(req);
    return all(api).stream()
        .filter(
            p ->
                p.component().equals(req.var("component"))
                    && p.vhost().equals(req.var("vhost"))
                    && p.name().equals(req.var("name")))
        .findFirst()
        .orElseThrow(ApiError::objectNotFound);
  }

  private static ApiResponse put(Api api, ApiRequest req) {
    api.policyAccess(req);
    ObjectNode body = Json.body(req.body());
    PermissionApi.required(body, "value");
    String vhost = req.var("vhost");
    if (!api.vhostExists(vhost)) {
      throw ApiError.notFound("vhost_not_found");
    }
    boolean created =
        api.backend.putParameter(
            new Parameter(
                vhost, req.var("component"), req.var("name"), Json.plain(body.get("value"))));
    return ApiResponse.createdOrUpdated(created);
  }

  private static ApiResponse delete(Api api, ApiRequest req) {
    Parameter p = find(api, req);
    api.backend.deleteParameter(p.component(), p.vhost(), p.name());
    return ApiResponse.noContent();
  }

  private static ApiResponse globals(Api api, ApiRequest req) {
    Api.policymaker(req);
    return ApiResponse.ok(GLOBAL.reply(req, api.backend.globalParameters(), ParameterApi::render));
  }

  private static GlobalParameter findGlobal(Api api, ApiRequest req) {
    Api.policymaker(req);
    return api.backend.globalParameters().stream()
        .filter(p -> p.name().equals(req.var("name")))
        .findFirst()
        .orElseThrow(ApiError::objectNotFound);
  }

  private static ApiResponse putGlobal(Api api, ApiRequest req) {
    Api.policymaker(req);
    ObjectNode body = Json.body(req.body());
    PermissionApi.required(body, "value");
    boolean created =
        api.backend.putGlobalParameter(
            new GlobalParameter(req.var("name"), Json.plain(body.get("value"))));
    return ApiResponse.createdOrUpdated(created);
  }

  private static ApiResponse deleteGlobal(Api api, ApiRequest req) {
    GlobalParameter p = findGlobal(api, req);
    api.backend.deleteGlobalParameter(p.name());
    return ApiResponse.noContent();
  }
}
