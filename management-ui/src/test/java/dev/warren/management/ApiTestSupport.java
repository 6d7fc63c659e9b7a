package dev.warren.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Starts the API on port 0 over an {@link InMemoryBackend}; plain HTTP helpers. */
abstract class ApiTestSupport {
  static final ObjectMapper JSON = new ObjectMapper();

  InMemoryBackend backend;
  ManagementServer server;
  final HttpClient http = HttpClient.newHttpClient();

  /** An answer: status, parsed JSON body (null when empty) and the raw response. */
  record Reply(int status, JsonNode json, HttpResponse<String> raw) {}

  @BeforeEach
  void start() throws InterruptedException {
    backend = new InMemoryBackend();
    server = ManagementServer.start(ManagementConfig.defaults("127.0.0.1", 0), backend);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  String base() {
    return "http://127.0.0.1:" + server.port();
  }

  Reply call(String method, String path, String user, String password, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (user != null) {
      b.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    if (body != null) {
      b.header("content-type", "application/json");
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = r.body().isEmpty() ? null : JSON.readTree(r.body());
    return new Reply(r.statusCode(), json, r);
  }

  Reply get(String path) throws IOException, InterruptedException {
    return call("GET", path, "guest", "guest", null);
  }

  Reply put(String path, String body) throws IOException, InterruptedException {
    return call("PUT", path, "guest", "guest", body);
  }

  Reply post(String path, String body) throws IOException, InterruptedException {
    return call("POST", path, "guest", "guest", body);
  }

  Reply delete(String path) throws IOException, InterruptedException {
    return call("DELETE", path, "guest", "guest", null);
  }

  /** Adds a user with these tags (comma-separated) and, if vhost is given, full permissions. */
  void user(String name, String tags, String vhost) throws IOException, InterruptedException {
    put("/api/users/" + name, "{\"password\":\"" + name + "\",\"tags\":\"" + tags + "\"}");
    if (vhost != null) {
      put(
          "/api/permissions/" + vhost + "/" + name,
          "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
    }
  }
}
