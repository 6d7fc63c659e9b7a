package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.ctl.ApiPath;
import dev.warren.ctl.ApiResponse;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.ExitCode;
import dev.warren.ctl.ManagementApi;
import java.util.Map;

/** User and virtual host limits, which the API takes one per request. */
final class Limits {
  private Limits() {}

  /**
   * One PUT /api/{collection}/{owner}/{limit} per limit of the document, in its order. A limit the
   * API refuses is its reason, 69; the limits sent before it stay set.
   *
   * @param collection "user-limits" or "vhost-limits"
   */
  static void putEach(Ctl ctl, String collection, String owner, JsonNode limits) {
    for (Map.Entry<String, JsonNode> limit : limits.properties()) {
      ApiResponse response =
          ctl.api()
              .put(
                  ApiPath.of(collection, owner, limit.getKey()),
                  ManagementApi.JSON.createObjectNode().set("value", limit.getValue()));
      if (!response.ok()) {
        throw CtlException.error(ExitCode.UNAVAILABLE, response.reason());
      }
    }
  }
}
