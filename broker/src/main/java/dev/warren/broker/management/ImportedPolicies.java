package dev.warren.broker.management;

import dev.warren.broker.metadata.PolicyChanges;
import dev.warren.broker.policy.PolicyException;
import dev.warren.broker.policy.VhostLimits;
import dev.warren.management.spi.Definitions;
import dev.warren.management.spi.ManagementException;
import dev.warren.management.spi.Parameter;
import dev.warren.management.spi.Policy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The policies and runtime parameters of a definitions file, checked before anything is applied
 * ({@link DefinitionsImport}): policies and operator policies with {@code Policy.of}, {@value
 * VhostLimits#COMPONENT} parameters with {@link VhostLimits#of}, any other component refused with
 * RabbitMQ's text. A refusal names the entry and, where the policy package knows it ({@link
 * PolicyException#field}), the field: {@code "definitions: policies[1].definition.max-length: -5 is
 * not a valid maximum length"}. Stateless.
 */
final class ImportedPolicies {
  private ImportedPolicies() {}

  /**
   * Checks the file's parameters and policies, each as {@link PolicyChanges} would check it alone.
   *
   * @param vhostNames the vhosts there are and those the file makes
   * @throws ManagementException 400 naming the first refused entry and field
   */
  static void check(Definitions d, Set<String> vhostNames) {
    List<Parameter> parameters = d.parameters();
    for (int i = 0; i < parameters.size(); i++) {
      Parameter p = parameters.get(i);
      String path = "parameters[" + i + "]";
      refuseMissingVhost(path, p.vhost(), vhostNames);
      if (p.component().equals(PolicyAdmin.OPERATOR_POLICY)) {
        checkPolicy(path + ".value", operatorPolicy(p, path), true);
      } else {
        try {
          PolicyChanges.checkLimitsParameter(p.component(), p.name());
          VhostLimits.of(p.value());
        } catch (PolicyException e) {
          throw refused(path, e.field() == null ? null : "value." + e.field(), e.reason());
        }
      }
    }
    List<Policy> policies = d.policies();
    for (int i = 0; i < policies.size(); i++) {
      String path = "policies[" + i + "]";
      refuseMissingVhost(path, policies.get(i).vhost(), vhostNames);
      checkPolicy(path, policies.get(i), false);
    }
  }

  private static void checkPolicy(String path, Policy p, boolean operator) {
    try {
      dev.warren.broker.policy.Policy.of(
          p.name(), p.pattern(), p.applyTo(), p.priority(), p.definition(), operator);
    } catch (PolicyException e) {
      throw refused(path, e.field(), e.reason());
    }
  }

  /**
   * The operator policy an {@value PolicyAdmin#OPERATOR_POLICY} parameter holds, its fields as
   * RabbitMQ exports them.
   *
   * @param path the parameter's path in the file, for a refusal
   */
  static Policy operatorPolicy(Parameter p, String path) {
    if (!(p.value() instanceof Map<?, ?> value)) {
      throw refused(path, "value", "an operator policy's value must be an object");
    }
    if (!(value.get("pattern") instanceof String pattern)) {
      throw refused(path, "value.pattern", "pattern should be a string");
    }
    if (!(value.get("definition") instanceof Map<?, ?> definition)) {
      throw refused(path, "value.definition", "definition should be an object");
    }
    Object priority = value.get("priority");
    if (priority != null && !(priority instanceof Number)) {
      throw refused(path, "value.priority", "priority should be a number");
    }
    Object applyTo = value.get("apply-to");
    Map<String, Object> keys = new HashMap<>();
    definition.forEach((k, v) -> keys.put(String.valueOf(k), v));
    return new Policy(
        p.vhost(),
        p.name(),
        pattern,
        applyTo == null ? "all" : String.valueOf(applyTo),
        keys,
        priority == null ? 0 : ((Number) priority).intValue());
  }

  private static void refuseMissingVhost(String path, String vhost, Set<String> vhostNames) {
    String missing = DefinitionsImport.missingVhost(vhost, vhostNames);
    if (missing != null) {
      throw refused(path, null, missing);
    }
  }

  /** 400 naming the entry, and the field within it when known. */
  private static ManagementException refused(String path, String field, String why) {
    return ManagementException.badRequest(
        "definitions: " + path + (field == null ? "" : "." + field) + ": " + why);
  }
}
