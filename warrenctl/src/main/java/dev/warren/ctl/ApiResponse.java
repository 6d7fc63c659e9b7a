package dev.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One answer of the management API: the HTTP status and the JSON body (a {@link MissingNode} when
 * there is none). Errors come as RabbitMQ sends them: {@code {"error":"...","reason":"..."}}.
 */
public record ApiResponse(int status, JsonNode body) {
  public boolean ok() {
    return status / 100 == 2;
  }

  public boolean notFound() {
    return status == 404;
  }

  /**
   * The error's reason as text: RabbitMQ HTML-escapes some reasons (policy validation) and sends
   * others as Erlang terms turned into JSON lists; those are shown as compact JSON.
   */
  public String reason() {
    JsonNode reason = body.path("reason");
    if (reason.isMissingNode()) {
      return body.isMissingNode() ? "HTTP " + status : body.toString();
    }
    if (!reason.isTextual()) {
      return reason.toString();
    }
    return reason
        .textValue()
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
  }
}
