package dev.warren.management.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warren.management.spi.ManagementException;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one request in the order RabbitMQ's HTTP layer checks things: unknown path 404, method
 * not allowed 405 (before credentials), no credentials 401 with a Basic challenge, wrong
 * credentials 401 {@code not_authorized}, a user without a management tag 401 {@code
 * not_authorised}; then the endpoint, whose refusals become RabbitMQ's error bodies. A GET of a
 * path no route fits may name a file of the web console ({@link ConsoleAssets}).
 *
 * <p>Thread: any management worker; its only mutable state is the console's file cache.
 */
public final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  static final String REALM = "Basic realm=\"RabbitMQ Management\"";

  private final Router router;
  private final Authenticator authenticator;
  private final ObjectMapper json;
  private final ConsoleAssets console = new ConsoleAssets();

  public Dispatcher(Router router, Authenticator authenticator, ObjectMapper json) {
    this.router = router;
    this.authenticator = authenticator;
    this.json = json;
  }

  /** A serialized answer. */
  public record Reply(int status, Map<String, String> headers, byte[] body) {}

  public Reply dispatch(
      String method, String uri, Map<String, String> headers, byte[] body, InetAddress remote) {
    String authorization = headers.get("authorization");
    QueryStringDecoder qs = new QueryStringDecoder(uri);
    String rawPath = uri.indexOf('?') >= 0 ? uri.substring(0, uri.indexOf('?')) : uri;
    Router.Match match = router.match(rawPath);
    if (match == null) {
      if ("GET".equals(method) || "HEAD".equals(method)) {
        Optional<ConsoleAssets.Asset> asset = console.find(rawPath);
        if (asset.isPresent()) {
          return new Reply(
              200,
              Map.of("content-type", asset.get().contentType(), "cache-control", "no-cache"),
              asset.get().bytes());
        }
      }
      return error(ApiError.objectNotFound());
    }
    if ("OPTIONS".equals(method)) {
      return new Reply(200, Map.of("allow", match.route().allow()), new byte[0]);
    }
    Endpoint endpoint = match.route().endpoint(method);
    if (endpoint == null) {
      return new Reply(405, Map.of("allow", match.route().allow()), new byte[0]);
    }
    try {
      Caller caller = authenticate(authorization, remote);
      if (caller == null) {
        return new Reply(401, Map.of("www-authenticate", REALM), new byte[0]);
      }
      ApiRequest request =
          new ApiRequest(method, match.vars(), firstValues(qs), body, remote, headers, caller);
      ApiResponse response = endpoint.handle(request);
      return serialize(method, response);
    } catch (ApiError e) {
      return error(e);
    } catch (ManagementException e) {
      return error(translate(e));
    } catch (RuntimeException e) {
      LOG.error("management API {} {} failed", method, rawPath, e);
      return error(new ApiError(500, "internal_server_error", String.valueOf(e.getMessage())));
    }
  }

  /** The caller; null when no credentials were sent (challenge); ApiError when refused. */
  private Caller authenticate(String authorization, InetAddress remote) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw loginFailed();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw loginFailed();
    }
    Optional<Caller> caller =
        authenticator.authenticate(
            decoded.substring(0, colon), decoded.substring(colon + 1), remote);
    if (caller.isEmpty()) {
      throw loginFailed();
    }
    if (!caller.get().isManagementUser()) {
      throw ApiError.notAuthorised("Not management user");
    }
    return caller.get();
  }

  private static ApiError loginFailed() {
    return new ApiError(401, "not_authorized", "Login failed");
  }

  private static ApiError translate(ManagementException e) {
    return switch (e.kind()) {
      case NOT_FOUND -> ApiError.notFound(e.getMessage());
      case BAD_REQUEST -> ApiError.badRequest(e.getMessage());
      case ACCESS_REFUSED -> ApiError.notAuthorised(e.getMessage());
      case UNAVAILABLE -> new ApiError(503, "service_unavailable", e.getMessage());
      case TOO_MANY_REQUESTS ->
          new ApiError(429, "too_many_requests", e.getMessage(), e.retryAfterMillis());
    };
  }

  private Reply serialize(String method, ApiResponse response) {
    Map<String, String> headers = new LinkedHashMap<>(response.headers());
    if (response.body() == null) {
      return new Reply(response.status(), headers, new byte[0]);
    }
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(response.body());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
    headers.put("content-type", "application/json");
    if ("GET".equals(method) || "HEAD".equals(method)) {
      headers.put("cache-control", "no-cache");
    }
    return new Reply(response.status(), headers, bytes);
  }

  private Reply error(ApiError e) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", e.error());
    body.put("reason", e.reason());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    if ("not_authorized".equals(e.error())) {
      headers.put("www-authenticate", REALM);
    }
    if (e.retryAfterMillis() > 0) {
      // Whole seconds, as HTTP has it, rounded up so that a retry at that time is not refused.
      headers.put("retry-after", String.valueOf((e.retryAfterMillis() + 999) / 1000));
    }
    try {
      return new Reply(e.status(), headers, json.writeValueAsBytes(body));
    } catch (JsonProcessingException x) {
      throw new IllegalStateException("cannot write JSON", x);
    }
  }

  private static Map<String, String> firstValues(QueryStringDecoder qs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : qs.parameters().entrySet()) {
      out.put(e.getKey(), e.getValue().isEmpty() ? "" : e.getValue().get(0));
    }
    return out;
  }
}
