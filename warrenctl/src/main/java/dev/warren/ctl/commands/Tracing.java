package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.ctl.ApiPath;
import dev.warren.ctl.ApiResponse;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.ManagementApi;

/**
 * The firehose (trace_on, trace_off): PUT /api/vhosts/{vhost} with "tracing", sending back the
 * virtual host's description, tags and default queue type so the PUT changes nothing else. A
 * virtual host that does not exist is reported as traced anyway, as rabbitmqctl does.
 */
final class Tracing {
  private Tracing() {}

  static int set(Ctl ctl, boolean on) {
    String vhost = ctl.vhost();
    ctl.out().banner((on ? "Starting" : "Stopping") + " tracing for vhost \"" + vhost + "\" ...");
    String path = ApiPath.of("vhosts", vhost);
    ApiResponse current = ctl.api().get(path);
    if (current.ok()) {
      JsonNode existing = current.body();
      ObjectNode body = ManagementApi.JSON.createObjectNode();
      body.put("tracing", on);
      copy(existing, "description", body);
      JsonNode tags = existing.path("tags");
      if (tags.isArray()) {
        body.put("tags", String.join(",", Users.tags(existing)));
      } else if (tags.isTextual()) {
        body.put("tags", tags.textValue());
      }
      if (!"undefined".equals(existing.path("default_queue_type").asText("undefined"))) {
        copy(existing, "default_queue_type", body);
      }
      ApiResponse response = ctl.api().put(path, body);
      if (!response.ok()) {
        throw ctl.api().unexpected("PUT", path, response);
      }
    } else if (!current.notFound()) {
      throw ctl.api().unexpected("GET", path, current);
    }
    ctl.out().okValue("Trace " + (on ? "enabled" : "disabled") + " for vhost " + vhost);
    return 0;
  }

  private static void copy(JsonNode from, String field, ObjectNode to) {
    if (from.hasNonNull(field)) {
      to.set(field, from.get(field));
    }
  }
}
