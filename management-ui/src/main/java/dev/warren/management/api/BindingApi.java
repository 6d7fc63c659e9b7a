package dev.warren.management.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.api.Api.Perm;
import dev.warren.management.http.ApiError;
import dev.warren.management.http.ApiRequest;
import dev.warren.management.http.ApiResponse;
import dev.warren.management.http.PathCodec;
import dev.warren.management.http.Router;
import dev.warren.management.spi.BindingInfo;
import dev.warren.management.spi.BindingInfo.DestinationType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /api/bindings} and the bindings of one exchange or queue. A binding is named in paths by
 * its {@code properties_key}: the routing key form-encoded ({@code ~} alone for an empty key
 * without arguments), then {@code ~} and a short hash of the arguments when it has any.
 */
final class BindingApi {
  static final Listing<BindingInfo> LISTING =
      new Listing<>(
          List.of("vhost", "source", "destination_type", "destination", "routing_key"),
          BindingInfo::source,
          Map.of(
              "vhost", BindingInfo::vhost,
              "source", BindingInfo::source,
              "destination_type", b -> b.destinationType().word(),
              "destination", BindingInfo::destination,
              "routing_key", BindingInfo::routingKey),
          false);

  private BindingApi() {}

  static void register(Router r, Api api) {
    r.route("/api/bindings").get(req -> list(api, req, api.backend.bindings()));
    r.route("/api/bindings/{vhost}").get(req -> list(api, req, api.backend.bindings()));
    r.route("/api/bindings/{vhost}/e/{source}/{dtype}/{destination}")
        .get(req -> between(api, req))
        .post(req -> create(api, req));
    r.route("/api/bindings/{vhost}/e/{source}/{dtype}/{destination}/{props}")
        .get(req -> ApiResponse.ok(render(find(api, req))))
        .delete(req -> delete(api, req));
  }

  private static ApiResponse list(Api api, ApiRequest req, Collection<BindingInfo> all) {
    var items = api.scoped(req, all, BindingInfo::vhost, false);
    return ApiResponse.ok(LISTING.reply(req, items, BindingApi::render));
  }

  static ApiResponse forQueue(Api api, ApiRequest req) {
    QueueApi.find(api, req);
    String vhost = req.var("vhost");
    String name = req.var("name");
    return ApiResponse.ok(
        LISTING.reply(
            req,
            api.filtered(
                api.backend.bindings(),
                b ->
                    b.vhost().equals(vhost)
                        && b.destinationType() == DestinationType.QUEUE
                        && b.destination().equals(name)),
            BindingApi::render));
  }

  static ApiResponse forExchange(Api api, ApiRequest req, boolean source) {
    ExchangeApi.find(api, req);
    String vhost = req.var("vhost");
    String name = ExchangeApi.name(req);
    return ApiResponse.ok(
        LISTING.reply(
            req,
            api.filtered(
                api.backend.bindings(),
                b ->
                    b.vhost().equals(vhost)
                        && (source
                            ? b.source().equals(name)
                            : b.destinationType() == DestinationType.EXCHANGE
                                && b.destination().equals(name))),
            BindingApi::render));
  }

  private static DestinationType dtype(ApiRequest req) {
    return switch (req.var("dtype")) {
      case "q" -> DestinationType.QUEUE;
      case "e" -> DestinationType.EXCHANGE;
      default -> throw ApiError.objectNotFound();
    };
  }

  private static String source(ApiRequest req) {
    String s = req.var("source");
    return s.equals("amq.default") ? "" : s;
  }

  private static ApiResponse between(Api api, ApiRequest req) {
    api.vhostAccess(req);
    api.vhostMustExist(req.var("vhost"));
    DestinationType t = dtype(req);
    return ApiResponse.ok(
        LISTING.reply(
            req,
            api.filtered(
                api.backend.bindings(),
                b ->
                    b.vhost().equals(req.var("vhost"))
                        && b.source().equals(source(req))
                        && b.destinationType() == t
                        && b.destination().equals(req.var("destination"))),
            BindingApi::render));
  }

  private static ApiResponse create(Api api, ApiRequest req) {
    api.vhostAccess(req);
    String vhost = req.var("vhost");
    DestinationType t = dtype(req);
    ObjectNode body = Json.body(req.body());
    if (!api.vhostExists(vhost)) {
      throw ApiError.notFound("vhost_not_found");
    }
    String rk = body.hasNonNull("routing_key") ? body.get("routing_key").asText() : "";
    BindingInfo b =
        new BindingInfo(
            vhost,
            source(req),
            req.var("destination"),
            t,
            rk,
            Json.plainObject(body.get("arguments")));
    api.resource(req, Perm.WRITE, vhost, t.word(), b.destination());
    api.resource(req, Perm.READ, vhost, "exchange", b.source());
    api.backend.bind(b);
    return ApiResponse.created(
        PathCodec.encode(b.destination()) + "/" + PathCodec.encode(propertiesKey(b)));
  }

  private static BindingInfo find(Api api, ApiRequest req) {
    api.vhostAccess(req);
    DestinationType t = dtype(req);
    String props = req.var("props");
    return api.backend.bindings().stream()
        .filter(
            b ->
                b.vhost().equals(req.var("vhost"))
                    && b.source().equals(source(req))
                    && b.destinationType() == t
                    && b.destination().equals(req.var("destination"))
                    && propertiesKey(b).equals(props))
        .findFirst()
        .orElseThrow(ApiError::objectNotFound);
  }

  private static ApiResponse delete(Api api, ApiRequest req) {
    BindingInfo b = find(api, req);
    api.resource(req, Perm.WRITE, b.vhost(), b.destinationType().word(), b.destination());
    api.resource(req, Perm.READ, b.vhost(), "exchange", b.source());
    api.backend.unbind(b);
    return ApiResponse.noContent();
  }

  static ObjectNode render(BindingInfo b) {
    ObjectNode o = Json.object();
    o.put("source", b.source());
    o.put("vhost", b.vhost());
    o.put("destination", b.destination());
    o.put("destination_type", b.destinationType().word());
    o.put("routing_key", b.routingKey());
    o.set("arguments", Json.tree(b.arguments()));
    o.put("properties_key", propertiesKey(b));
    return o;
  }

  static String propertiesKey(BindingInfo b) {
    if (b.arguments().isEmpty()) {
      return b.routingKey().isEmpty() ? "~" : quotePlus(b.routingKey());
    }
    return quotePlus(b.routingKey()) + "~" + argumentsHash(b.arguments());
  }

  /** Form encoding: letters, digits and {@code -_.} kept, space as {@code +}, the rest %XX. */
  static String quotePlus(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.') {
        sb.append((char) c);
      } else if (c == ' ') {
        sb.append('+');
      } else {
        sb.append('%').append(String.format("%02X", c));
      }
    }
    return sb.toString();
  }

  /** Six characters that tell bindings with different arguments apart (not RabbitMQ's hash). */
  private static String argumentsHash(Map<String, Object> args) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(Json.write(new TreeMap<>(args)).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(new byte[] {d[0], d[1], d[2], d[3]});
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
