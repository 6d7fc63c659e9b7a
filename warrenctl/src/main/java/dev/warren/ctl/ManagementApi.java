package dev.warren.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * The client of RabbitMQ's management HTTP API (which Warren serves too): HTTP/1.1, Basic
 * authentication, JSON bodies. Used from the one thread that runs the command.
 *
 * <p>Any status comes back as an {@link ApiResponse} for the command to interpret, except the
 * failures that mean the node cannot be worked with at all, which become {@link CtlException}s with
 * rabbitmqctl's statuses: unreachable or refusing our credentials (69), timed out (75).
 */
public final class ManagementApi {
  /** Reads floats as decimals, so their text (RabbitMQ writes Erlang's, e.g. 1.0e5) survives. */
  public static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private final Endpoint endpoint;
  private final HttpClient http;
  private final String node;

  /**
   * @param node how errors name the node: the -n argument, or the API's address without one
   */
  public ManagementApi(Endpoint endpoint, String node) {
    this.endpoint = endpoint;
    this.node = node;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(endpoint.timeout())
            .build();
  }

  /** Where the API is, as whom, and how long one request may take. */
  public record Endpoint(URI url, String user, String password, Duration timeout) {}

  public Endpoint endpoint() {
    return endpoint;
  }

  public ApiResponse get(String path) {
    return send("GET", path, null, Map.of());
  }

  public ApiResponse put(String path, JsonNode body) {
    return send("PUT", path, body, Map.of());
  }

  public ApiResponse post(String path, JsonNode body) {
    return send("POST", path, body, Map.of());
  }

  public ApiResponse delete(String path) {
    return send("DELETE", path, null, Map.of());
  }

  /** DELETE of what may be gone already: a 404 is fine, any other failure is 69. */
  public void deleteIfPresent(String path) {
    deleteIfPresent(path, Map.of());
  }

  /**
   * As {@link #deleteIfPresent(String)}, with extra request headers (X-Reason when closing
   * connections).
   */
  public void deleteIfPresent(String path, Map<String, String> headers) {
    ApiResponse response = send("DELETE", path, null, headers);
    if (!response.ok() && !response.notFound()) {
      throw unexpected("DELETE", path, response);
    }
  }

  /** GET of something that must be there: any other answer is the node failing us (69). */
  public JsonNode require(String path) {
    ApiResponse response = get(path);
    if (!response.ok()) {
      throw unexpected("GET", path, response);
    }
    return response.body();
  }

  /** A failure the command has no better words for: the API's answer, status 69. */
  public CtlException unexpected(String method, String path, ApiResponse response) {
    return CtlException.error(
        ExitCode.UNAVAILABLE,
        method + " " + path + " answered " + response.status() + ": " + response.reason());
  }

  /**
   * Sends one request as the configured user.
   *
   * @param headers extra request headers (X-Reason when closing connections)
   */
  public ApiResponse send(String method, String path, JsonNode body, Map<String, String> headers) {
    return send(method, path, body, headers, endpoint.user(), endpoint.password(), true);
  }

  /**
   * Sends one request as the given user; with {@code ownCredentials} false a 401 is handed back
   * (authenticate_user asks about someone else's password) rather than failing the command.
   */
  public ApiResponse send(
      String method,
      String path,
      JsonNode body,
      Map<String, String> headers,
      String user,
      String password,
      boolean ownCredentials) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint.url().resolve(path))
            .timeout(endpoint.timeout())
            .header("Authorization", basic(user, password));
    headers.forEach(request::header);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(write(body)));
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw unreachable(e);
    } catch (HttpTimeoutException e) {
      throw CtlException.bare(
          ExitCode.TEMP_FAIL,
          "Error: operation "
              + method
              + " "
              + path
              + " on node "
              + node
              + " timed out. Timeout value used: "
              + endpoint.timeout().toMillis());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CtlException.error(ExitCode.UNAVAILABLE, "interrupted");
    }
    ApiResponse answer = new ApiResponse(response.statusCode(), parse(response.body()));
    if (ownCredentials && answer.status() == 401) {
      throw CtlException.bare(
          ExitCode.UNAVAILABLE,
          "Error: the management API at "
              + endpoint.url()
              + " refused the credentials of user '"
              + user
              + "' ("
              + answer.reason()
              + ").\nSet WARRENCTL_USER and WARRENCTL_PASSWORD, or --api-user and --api-password.");
    }
    return answer;
  }

  private CtlException unreachable(Exception cause) {
    return CtlException.bare(
        ExitCode.UNAVAILABLE,
        "Error: unable to perform an operation on node '"
            + node
            + "'. Please see diagnostics information and suggestions below.\n\n"
            + "Most common reasons for this are:\n\n"
            + " * Target node is unreachable (e.g. due to hostname resolution, TCP connection or"
            + " firewall issues)\n"
            + " * Target node is not running, or does not serve the management HTTP API\n"
            + " * WARRENCTL_URL (or --url) names the wrong address\n\n"
            + "DIAGNOSTICS\n===========\n\n"
            + "attempted to contact: "
            + endpoint.url()
            + "\n"
            + "error: "
            + describe(cause));
  }

  /**
   * The failure's class and the first message in its chain of causes. HttpClient's ConnectException
   * carries none (nor do its causes): it means the TCP connection failed.
   */
  private static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        return failure.getClass().getName() + ": " + t.getMessage();
      }
    }
    if (failure instanceof ConnectException) {
      return failure.getClass().getName()
          + ": the connection was refused or the host is unreachable";
    }
    return failure.getClass().getName();
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String write(JsonNode body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /** The body as JSON; an empty or non-JSON body (an HTML error page) is a missing node. */
  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return MissingNode.getInstance();
    }
  }
}
