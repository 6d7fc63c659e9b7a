package dev.warren.management.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.warren.management.http.ApiError;
import dev.warren.management.http.ApiRequest;
import dev.warren.management.http.ApiResponse;
import dev.warren.management.http.Caller;
import dev.warren.management.http.Router;
import dev.warren.management.spi.ChannelInfo;
import dev.warren.management.spi.ConnectionInfo;
import dev.warren.management.spi.ConsumerInfo;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Connections, channels and consumers. A user without {@code monitoring} sees only its own
 * connections and channels; closing someone else's needs {@code administrator}.
 */
final class ConnectionApi {
  static final Listing<ConnectionInfo> CONNECTIONS =
      new Listing<>(
          List.of("vhost", "name"), ConnectionInfo::name, ConnectionView.connectionKeys(), true);
  static final Listing<ChannelInfo> CHANNELS =
      new Listing<>(
          List.of("vhost", "name"), ChannelInfo::name, ConnectionView.channelKeys(), true);

  /**
   * Consumers page too (RabbitMQ 3.10 ignores {@code page} here and answers the whole list): the
   * web console lists them a page at a time. The name filter matches the consumer tag.
   */
  static final Listing<ConsumerInfo> CONSUMERS =
      new Listing<>(
          List.of("vhost", "queue"),
          ConsumerInfo::consumerTag,
          Map.of(
              "vhost", ConsumerInfo::vhost,
              "queue", ConsumerInfo::queue,
              "queue.vhost", ConsumerInfo::vhost,
              "queue.name", ConsumerInfo::queue,
              "consumer_tag", ConsumerInfo::consumerTag),
          true);

  private ConnectionApi() {}

  static void register(Router r, Api api) {
    r.route("/api/connections").get(req -> connections(api, req));
    r.route("/api/connections/{name}")
        .get(req -> ApiResponse.ok(ConnectionView.connection(connection(api, req), api.views(req))))
        .delete(req -> close(api, req));
    r.route("/api/connections/{name}/channels").get(req -> channelsOf(api, req));
    r.route("/api/channels").get(req -> channels(api, req));
    r.route("/api/channels/{name}").get(req -> channel(api, req));
    r.route("/api/consumers").get(req -> consumers(api, req));
    r.route("/api/consumers/{vhost}").get(req -> consumers(api, req));
  }

  private static boolean sees(Caller c, String owner) {
    return c.isMonitor() || c.name().equals(owner);
  }

  static ApiResponse connections(Api api, ApiRequest req) {
    Collection<ConnectionInfo> items =
        api.scoped(req, api.backend.connections(), ConnectionInfo::vhost, true);
    items = api.filtered(items, c -> sees(req.caller(), c.user()));
    Views v = api.views(req);
    return ApiResponse.ok(CONNECTIONS.reply(req, items, c -> ConnectionView.connection(c, v)));
  }

  private static ConnectionInfo connection(Api api, ApiRequest req) {
    ConnectionInfo c =
        api.backend.connections().stream()
            .filter(x -> x.name().equals(req.var("name")))
            .findFirst()
            .orElseThrow(ApiError::objectNotFound);
    boolean allowed =
        "DELETE".equals(req.method())
            ? req.caller().isAdmin() || req.caller().name().equals(c.user())
            : sees(req.caller(), c.user());
    if (!allowed) {
      throw ApiError.notAuthorised("User not authorised to access object");
    }
    return c;
  }

  /** DELETE closes the connection; the client sees the {@code X-Reason} header's text. */
  private static ApiResponse close(Api api, ApiRequest req) {
    ConnectionInfo c = connection(api, req);
    String reason = req.header("x-reason").orElse("Closed via management plugin");
    if (!api.backend.closeConnection(c.name(), reason)) {
      throw ApiError.objectNotFound();
    }
    return ApiResponse.noContent();
  }

  private static ApiResponse channelsOf(Api api, ApiRequest req) {
    ConnectionInfo c = connection(api, req);
    Views v = api.views(req);
    return ApiResponse.ok(
        CHANNELS.reply(
            req,
            api.filtered(api.backend.channels(), ch -> ch.connectionName().equals(c.name())),
            ch -> ConnectionView.channel(ch, v)));
  }

  static ApiResponse channels(Api api, ApiRequest req) {
    Collection<ChannelInfo> items =
        api.scoped(req, api.backend.channels(), ChannelInfo::vhost, true);
    items = api.filtered(items, c -> sees(req.caller(), c.user()));
    Views v = api.views(req);
    return ApiResponse.ok(CHANNELS.reply(req, items, c -> ConnectionView.channel(c, v)));
  }

  private static ApiResponse channel(Api api, ApiRequest req) {
    ChannelInfo c =
        api.backend.channels().stream()
            .filter(x -> x.name().equals(req.var("name")))
            .findFirst()
            .orElseThrow(ApiError::objectNotFound);
    if (!sees(req.caller(), c.user())) {
      throw ApiError.notAuthorised("User not authorised to access object");
    }
    var o = ConnectionView.channel(c, api.views(req));
    ArrayNode details = o.putArray("consumer_details");
    String node = api.backend.node().name();
    api.backend.consumers().stream()
        .filter(x -> x.channelName().equals(c.name()))
        .forEach(x -> details.add(ConnectionView.consumer(x, c, node)));
    o.putArray("deliveries");
    o.putArray("publishes");
    return ApiResponse.ok(o);
  }

  private static ApiResponse consumers(Api api, ApiRequest req) {
    Collection<ConsumerInfo> items =
        api.scoped(req, api.backend.consumers(), ConsumerInfo::vhost, true);
    Map<String, ChannelInfo> channels = new HashMap<>();
    api.backend.channels().forEach(c -> channels.put(c.name(), c));
    String node = api.backend.node().name();
    return ApiResponse.ok(
        CONSUMERS.reply(
            req, items, c -> ConnectionView.consumer(c, channels.get(c.channelName()), node)));
  }
}
