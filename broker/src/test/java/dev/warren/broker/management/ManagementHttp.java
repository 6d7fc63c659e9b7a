package dev.warren.broker.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * Plain HTTP/1.1 calls to a management API (ours or RabbitMQ's), as curl would make them: the
 * status and the JSON body are what the tests check. HTTP/1.1 because RabbitMQ's server drops a
 * request that offers an h2c upgrade with a body.
 */
final class ManagementHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final String authorization;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** An answer: its status, its body parsed (null when empty), the body as text and headers. */
  record Reply(int status, JsonNode json, String body, HttpHeaders headers) {
    /** RabbitMQ's {@code reason} of an error answer. */
    String reason() {
      return json == null ? null : json.path("reason").asText(null);
    }
  }

  ManagementHttp(InetSocketAddress address, String user, String password) {
    this.base = "http://" + address.getHostString() + ":" + address.getPort();
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static ManagementHttp guest(InetSocketAddress address) {
    return new ManagementHttp(address, "guest", "guest");
  }

  /** The base URL of the API, for clients that build their own ({@code http://host:port}). */
  String base() {
    return base;
  }

  /** A path segment as the API expects it: {@code /} is {@code %2F}. */
  static String segment(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  Reply get(String path) {
    return call("GET", path, null);
  }

  Reply put(String path, String body) {
    return call("PUT", path, body);
  }

  Reply post(String path, String body) {
    return call("POST", path, body);
  }

  Reply delete(String path) {
    return call("DELETE", path, null);
  }

  Reply call(String method, String path, String body) {
    return call(method, path, body, Map.of());
  }

  /** As {@link #call(String, String, String)}, with more request headers. */
  Reply call(String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", authorization)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("content-type", "application/json");
    }
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = r.body().isEmpty() ? null : JSON.readTree(r.body());
      return new Reply(r.statusCode(), json, r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + method + " " + path, e);
    }
  }
}
