package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.ctl.ApiPath;
import dev.warren.ctl.ApiResponse;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.ExitCode;
import dev.warren.ctl.ManagementApi;

/**
 * Policies and operator policies, which differ only in their path (/api/policies or
 * /api/operator-policies) and in rabbitmqctl's wording.
 */
final class Policies {
  /** "policies" or "operator-policies". */
  private final String collection;

  /** "policy" or "operator policy override" (setting) / "operator policy" (clearing). */
  private final String setNoun;

  private final String clearNoun;

  private Policies(String collection, String setNoun, String clearNoun) {
    this.collection = collection;
    this.setNoun = setNoun;
    this.clearNoun = clearNoun;
  }

  static final Policies USER = new Policies("policies", "policy", "policy");
  static final Policies OPERATOR =
      new Policies("operator-policies", "operator policy override", "operator policy");

  /** PUT /api/{policies}/{vhost}/{name}; the API's validation message on a 400 (69). */
  int set(Ctl ctl, String name, String pattern, String definition, int priority, String applyTo) {
    String vhost = ctl.vhost();
    ctl.out()
        .banner(
            "Setting "
                + setNoun
                + " \""
                + name
                + "\" for pattern \""
                + pattern
                + "\" to \""
                + definition
                + "\" with priority \""
                + priority
                + "\" for vhost \""
                + vhost
                + "\" ...");
    JsonNode parsed = Arguments.json(definition);
    if (!ctl.vhostExists(vhost)) {
      throw CtlException.noSuchVhost(vhost);
    }
    ObjectNode body = ManagementApi.JSON.createObjectNode();
    body.put("pattern", pattern);
    body.set("definition", parsed);
    body.put("priority", priority);
    body.put("apply-to", applyTo);
    String path = ApiPath.of(collection, vhost, name);
    ApiResponse response = ctl.api().put(path, body);
    if (response.notFound()) {
      throw CtlException.noSuchVhost(vhost);
    }
    if (!response.ok()) {
      throw CtlException.error(ExitCode.UNAVAILABLE, response.reason());
    }
    ctl.out().ok();
    return 0;
  }

  /** DELETE /api/{policies}/{vhost}/{name}; none by that name is rabbitmqctl's 69. */
  int clear(Ctl ctl, String name) {
    String vhost = ctl.vhost();
    ctl.out().banner("Clearing " + clearNoun + " \"" + name + "\" on vhost \"" + vhost + "\" ...");
    String path = ApiPath.of(collection, vhost, name);
    ApiResponse response = ctl.api().delete(path);
    if (response.notFound()) {
      throw CtlException.error(ExitCode.UNAVAILABLE, "Parameter does not exist");
    }
    if (!response.ok()) {
      throw ctl.api().unexpected("DELETE", path, response);
    }
    ctl.out().ok();
    return 0;
  }
}
