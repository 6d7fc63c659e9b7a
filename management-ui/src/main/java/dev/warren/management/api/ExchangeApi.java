package dev.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.api.Api.Perm;
import dev.warren.management.http.ApiError;
import dev.warren.management.http.ApiRequest;
import dev.warren.management.http.ApiResponse;
import dev.warren.management.http.Router;
import dev.warren.management.spi.ExchangeInfo;
import dev.warren.management.spi.ExchangeSpec;
import dev.warren.management.spi.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** {@code /api/exchanges}: list, declare, delete, publish, bindings. */
final class ExchangeApi {
  static final Listing<ExchangeInfo> LISTING =
      new Listing<>(List.of("vhost", "name"), ExchangeInfo::name, ExchangeView.sortKeys(), true);

  private ExchangeApi() {}

  static void register(Router r, Api api) {
    r.route("/api/exchanges").get(req -> list(api, req));
    r.route("/api/exchanges/{vhost}").get(req -> list(api, req));
    r.route("/api/exchanges/{vhost}/{name}")
        .get(req -> show(api, req))
        .put(req -> declare(api, req))
        .delete(req -> delete(api, req));
    r.route("/api/exchanges/{vhost}/{name}/publish").post(req -> publish(api, req));
    r.route("/api/exchanges/{vhost}/{name}/bindings/source")
        .get(req -> BindingApi.forExchange(api, req, true));
    r.route("/api/exchanges/{vhost}/{name}/bindings/destination")
        .get(req -> BindingApi.forExchange(api, req, false));
  }

  private static ApiResponse list(Api api, ApiRequest req) {
    var items = api.scoped(req, api.backend.exchanges(), ExchangeInfo::vhost, false);
    Views v = api.views(req);
    return ApiResponse.ok(LISTING.reply(req, items, x -> ExchangeView.render(x, v)));
  }

  /** The path's exchange; {@code amq.default} names the default exchange, as in RabbitMQ. */
  static ExchangeInfo find(Api api, ApiRequest req) {
    api.vhostAccess(req);
    return api.backend.exchange(req.var("vhost"), name(req)).orElseThrow(ApiError::objectNotFound);
  }

  static String name(ApiRequest req) {
    String n = req.var("name");
    return n.equals("amq.default") ? "" : n;
  }

  private static ApiResponse show(Api api, ApiRequest req) {
    ObjectNode o = ExchangeView.render(find(api, req), api.views(req));
    o.putArray("incoming");
    o.putArray("outgoing");
    return ApiResponse.ok(o);
  }

  private static ApiResponse declare(Api api, ApiRequest req) {
    api.vhostAccess(req);
    String vhost = req.var("vhost");
    String name = name(req);
    ObjectNode body = Json.body(req.body());
    if (!api.vhostExists(vhost)) {
      throw ApiError.notFound("vhost_not_found");
    }
    api.resource(req, Perm.CONFIGURE, vhost, "exchange", name);
    JsonNode type = body.get("type");
    boolean created =
        api.backend.declareExchange(
            new ExchangeSpec(
                vhost,
                name,
                type == null || type.isNull() ? "direct" : type.asText(),
                QueueApi.bool(body, "durable", false),
                QueueApi.bool(body, "auto_delete", false),
                QueueApi.bool(body, "internal", false),
                Json.plainObject(body.get("arguments"))));
    return ApiResponse.createdOrUpdated(created);
  }

  private static ApiResponse delete(Api api, ApiRequest req) {
    ExchangeInfo x = find(api, req);
    api.resource(req, Perm.CONFIGURE, x.vhost(), "exchange", x.name());
    api.backend.deleteExchange(x.vhost(), x.name(), req.flag("if-unused"));
    return ApiResponse.noContent();
  }

  /**
   * POST .../publish with {@code properties}, {@code routing_key}, {@code payload} and {@code
   * payload_encoding} ({@code string} or {@code base64}); answers {@code {"routed": bool}}.
   */
  private static ApiResponse publish(Api api, ApiRequest req) {
    ExchangeInfo x = find(api, req);
    ObjectNode body = Json.body(req.body());
    StringBuilder missing = new StringBuilder();
    for (String k : new String[] {"routing_key", "properties", "payload", "payload_encoding"}) {
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
    String encoding = body.get("payload_encoding").asText();
    byte[] payload;
    if (encoding.equals("string")) {
      payload = body.get("payload").asText().getBytes(StandardCharsets.UTF_8);
    } else if (encoding.equals("base64")) {
      try {
        payload = Base64.getDecoder().decode(body.get("payload").asText());
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest("payload is not valid base64");
      }
    } else {
      throw ApiError.badRequest("Unsupported encoding " + encoding);
    }
    api.resource(req, Perm.WRITE, x.vhost(), "exchange", x.name());
    boolean routed =
        api.backend.publish(
            new OutboundMessage(
                req.caller().name(),
                x.vhost(),
                x.name(),
                body.get("routing_key").asText(),
                Json.plainObject(body.get("properties")),
                payload));
    ObjectNode o = Json.object();
    o.put("routed", routed);
    return ApiResponse.ok(o);
  }
}
