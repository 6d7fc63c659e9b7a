package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.ctl.ApiPath;
import dev.warren.ctl.Column;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.ManagementApi;
import dev.warren.ctl.ValueKind;
import java.util.List;

/**
 * Policies and operator policies, which differ only in their path (/api/policies or
 * /api/operator-policies) and in rabbitmqctl's wording.
 */
final class Policies {
  static final List<Column> COLUMNS =
      List.of(
          Column.of("vhost"),
          Column.of("name"),
          Column.of("pattern"),
          Column.of("apply-to"),
          Column.of("definition", ValueKind.JSON_TEXT),
          Column.of("priority"));

  /** "policies" or "operator-policies". */
  private final String collection;

  /** "policy" or "operator policy override" (setting) / "operator policy" (clearing). */
  private final String setNoun;

  private final String clearNoun;

  /** "policies" or "operator policy overrides". */
  private final String listNoun;

  private Policies(String collection, String setNoun, String clearNoun, String listNoun) {
    this.collection = collection;
    this.setNoun = setNoun;
    this.clearNoun = clearNoun;
    this.listNoun = listNoun;
  }

  static final Policies USER = new Policies("policies", "policy", "policy", "policies");
  static final Policies OPERATOR =
      new Policies(
          "operator-policies",
          "operator policy override",
          "operator policy",
          "operator policy overrides");

  /** PUT /api/{policies}/{vhost}/{name}; see {@link RuntimeParameters#put} for its answers. */
  int set(Ctl ctl, PolicyArguments policy) {
    String vhost = ctl.vhost();
    ctl.out()
        .banner(
            "Setting "
                + setNoun
                + " \""
                + policy.name
                + "\" for pattern \""
                + policy.pattern
                + "\" to \""
                + policy.definition
                + "\" with priority \""
                + policy.priority
                + "\" for vhost \""
                + vhost
                + "\" ...");
    JsonNode parsed = Arguments.json(policy.definition);
    if (!ctl.vhostExists(vhost)) {
      throw CtlException.noSuchVhost(vhost);
    }
    ObjectNode body = ManagementApi.JSON.createObjectNode();
    body.put("pattern", policy.pattern);
    body.set("definition", parsed);
    body.put("priority", policy.priority);
    body.put("apply-to", policy.applyTo);
    return RuntimeParameters.put(ctl, ApiPath.of(collection, vhost, policy.name), body);
  }

  /** DELETE /api/{policies}/{vhost}/{name}; see {@link RuntimeParameters#delete}. */
  int clear(Ctl ctl, String name) {
    String vhost = ctl.vhost();
    ctl.out().banner("Clearing " + clearNoun + " \"" + name + "\" on vhost \"" + vhost + "\" ...");
    return RuntimeParameters.delete(ctl, ApiPath.of(collection, vhost, name));
  }

  /**
   * GET /api/{policies}/{vhost}, the definition as compact JSON, keys sorted; a virtual host that
   * does not exist is 65.
   */
  int list(Ctl ctl, boolean headers) {
    String vhost = ctl.vhost();
    return Lists.printForVhost(
        ctl,
        "Listing " + listNoun + " for vhost \"" + vhost + "\" ...",
        ApiPath.of(collection, vhost),
        COLUMNS,
        headers);
  }
}
