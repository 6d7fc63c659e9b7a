package dev.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.api.Api.Perm;
import dev.warren.management.http.ApiError;
import dev.warren.management.http.ApiRequest;
import dev.warren.management.http.ApiResponse;
import dev.warren.management.http.Router;
import dev.warren.management.spi.AckMode;
import dev.warren.management.spi.ChannelInfo;
import dev.warren.management.spi.ConnectionInfo;
import dev.warren.management.spi.FetchedMessage;
import dev.warren.management.spi.QueueInfo;
import dev.warren.management.spi.QueueSpec;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** {@code /api/queues}: list, declare, delete, purge, get. */
final class QueueApi {
  static final Listing<QueueInfo> LISTING =
      new Listing<>(List.of("vhost", "name"), QueueInfo::name, QueueView.sortKeys(), true);

  private QueueApi() {}

  static void register(Router r, Api api) {
    r.route("/api/queues").get(req -> list(api, req));
    r.route("/api/queues/detailed").get(req -> list(api, req));
    r.route("/api/queues/{vhost}").get(req -> list(api, req));
    r.route("/api/queues/{vhost}/{name}")
        .get(req -> show(api, req))
        .put(req -> declare(api, req))
        .delete(req -> delete(api, req));
    r.route("/api/queues/{vhost}/{name}/contents").delete(req -> purge(api, req));
    r.route("/api/queues/{vhost}/{name}/get").post(req -> get(api, req));
    r.route("/api/queues/{vhost}/{name}/bindings").get(req -> BindingApi.forQueue(api, req));
  }

  /** The list's default order, and the order of {@code sort=name}. */
  private static final List<String> BY_VHOST = List.of("vhost", "name");

  private static final List<String> BY_NAME = List.of("name", "vhost");

  /**
   * A page in either of the name orders is read off the backend's sorted names (the cost of the
   * page, whatever the number of queues); any other list sorts every queue's record.
   */
  private static ApiResponse list(Api api, ApiRequest req) {
    ListQuery q = LISTING.query(req);
    Views v = api.views(req);
    Function<String, ConnectionInfo> conns = connections(api);
    Function<QueueInfo, ObjectNode> render = x -> QueueView.render(x, v, conns);
    boolean byVhost = LISTING.pageInOrder(q, BY_VHOST);
    if (byVhost || LISTING.pageInOrder(q, BY_NAME)) {
      List<String> vhosts = api.scopedVhosts(req, false);
      int total = vhosts.stream().mapToInt(api.backend::queueCount).sum();
      var ordered = new QueuesInOrder(api.backend, vhosts, byVhost, q.reverse());
      return ApiResponse.ok(LISTING.page(q, ordered, total, render));
    }
    var items = api.scoped(req, api.backend.queues(), QueueInfo::vhost, false);
    return ApiResponse.ok(LISTING.reply(q, items, render));
  }

  static QueueInfo find(Api api, ApiRequest req) {
    api.vhostAccess(req);
    return api.backend
        .queue(req.var("vhost"), req.var("name"))
        .orElseThrow(ApiError::objectNotFound);
  }

  private static ApiResponse show(Api api, ApiRequest req) {
    QueueInfo q = find(api, req);
    ObjectNode o = QueueView.render(q, api.views(req), connections(api));
    Map<String, ChannelInfo> channels = new HashMap<>();
    api.backend.channels().forEach(c -> channels.put(c.name(), c));
    ArrayNode consumers = Json.array();
    api.backend.consumers().stream()
        .filter(c -> c.vhost().equals(q.vhost()) && c.queue().equals(q.name()))
        .forEach(
            c ->
                consumers.add(
                    ConnectionView.consumer(
                        c, channels.get(c.channelName()), api.backend.node().name())));
    o.set("consumer_details", consumers);
    o.putArray("deliveries");
    o.putArray("incoming");
    return ApiResponse.ok(o);
  }

  private static ApiResponse declare(Api api, ApiRequest req) {
    api.vhostAccess(req);
    String vhost = req.var("vhost");
    String name = req.var("name");
    ObjectNode body = Json.body(req.body());
    if (!api.vhostExists(vhost)) {
      throw ApiError.notFound("vhost_not_found");
    }
    api.resource(req, Perm.CONFIGURE, vhost, "queue", name);
    Map<String, Object> args = Json.plainObject(body.get("arguments"));
    JsonNode type = body.get("type");
    if (type != null && type.isTextual() && !args.containsKey("x-queue-type")) {
      args.put("x-queue-type", type.textValue());
    }
    boolean created =
        api.backend.declareQueue(
            new QueueSpec(
                vhost, name, bool(body, "durable", false), bool(body, "auto_delete", false), args));
    return ApiResponse.createdOrUpdated(created);
  }

  static boolean bool(ObjectNode body, String field, boolean dflt) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    return "true".equals(n.asText());
  }

  private static ApiResponse delete(Api api, ApiRequest req) {
    QueueInfo q = find(api, req);
    api.resource(req, Perm.CONFIGURE, q.vhost(), "queue", q.name());
    api.backend.deleteQueue(q.vhost(), q.name(), req.flag("if-empty"), req.flag("if-unused"));
    return ApiResponse.noContent();
  }

  private static ApiResponse purge(Api api, ApiRequest req) {
    QueueInfo q = find(api, req);
    api.resource(req, Perm.READ, q.vhost(), "queue", q.name());
    api.backend.purgeQueue(q.vhost(), q.name());
    return ApiResponse.noContent();
  }

  /**
   * POST .../get: {@code count}, {@code ackmode}, {@code encoding} (auto|base64), {@code truncate}.
   */
  private static ApiResponse get(Api api, ApiRequest req) {
    QueueInfo q = find(api, req);
    ObjectNode body = Json.body(req.body());
    JsonNode count = body.get("count");
    JsonNode ackmode = body.get("ackmode");
    JsonNode encoding = body.get("encoding");
    if (count == null || ackmode == null || encoding == null) {
      StringBuilder missing = new StringBuilder();
      for (String k : new String[] {"count", "ackmode", "encoding"}) {
        if (body.get(k) == null) {
          missing
              .append(missing.length() == 0 ? "" : ",")
              .append("{key_missing,")
              .append(k)
              .append('}');
        }
      }
      throw ApiError.badRequest("[" + missing + "]");
    }
    AckMode mode = null;
    for (AckMode m : AckMode.values()) {
      if (m.word().equals(ackmode.asText())) {
        mode = m;
      }
    }
    if (mode == null) {
      throw ApiError.badRequest("Unsupported ackmode " + ackmode.asText());
    }
    String enc = encoding.asText();
    if (!enc.equals("auto") && !enc.equals("base64")) {
      throw ApiError.badRequest("Unsupported encoding " + enc);
    }
    api.resource(req, Perm.READ, q.vhost(), "queue", q.name());
    JsonNode truncate = body.get("truncate");
    int trunc = truncate == null || !truncate.canConvertToInt() ? -1 : truncate.intValue();
    List<FetchedMessage> got = api.backend.get(q.vhost(), q.name(), count.asInt(1), mode, trunc);
    ArrayNode out = Json.array();
    for (FetchedMessage m : got) {
      ObjectNode o = out.addObject();
      o.put("payload_bytes", m.payloadBytes());
      o.put("redelivered", m.redelivered());
      o.put("exchange", m.exchange());
      o.put("routing_key", m.routingKey());
      o.put("message_count", m.messageCount());
      // RabbitMQ writes empty properties as an empty list.
      o.set("properties", m.properties().isEmpty() ? Json.array() : Json.tree(m.properties()));
      String text = enc.equals("auto") ? utf8(m.body()) : null;
      if (text != null) {
        o.put("payload", text);
        o.put("payload_encoding", "string");
      } else {
        o.put("payload", Base64.getEncoder().encodeToString(m.body()));
        o.put("payload_encoding", "base64");
      }
    }
    return ApiResponse.ok(out);
  }

  /** The body as text when it is valid UTF-8, else null (then it goes out as base64). */
  private static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Connections by name, listed once on first use (exclusive queues name their owner). */
  static Function<String, ConnectionInfo> connections(Api api) {
    Map<String, ConnectionInfo> byName = new HashMap<>();
    return name -> {
      if (byName.isEmpty()) {
        api.backend.connections().forEach(c -> byName.put(c.name(), c));
      }
      return byName.get(name);
    };
  }
}
