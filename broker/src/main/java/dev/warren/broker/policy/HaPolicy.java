package dev.warren.broker.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RabbitMQ 3.x's classic queue mirroring keys ({@code ha-mode}, {@code ha-params}, {@code
 * ha-sync-mode}, {@code ha-sync-batch-size}, {@code ha-promote-on-shutdown}, {@code
 * ha-promote-on-failure}), checked together as RabbitMQ 3.10 checks them, with its texts. Warren
 * reads {@code ha-mode} as "replicate this queue": in a cluster a durable classic queue declared
 * while such a policy applies keeps its messages in a queue group, as a quorum queue does, on the
 * group's fixed voters whatever the mode and its parameters ask (README, Cluster); the other keys
 * change nothing. Stateless.
 */
public final class HaPolicy {
  private HaPolicy() {}

  static final Set<String> KEYS =
      Set.of(
          "ha-mode",
          "ha-params",
          "ha-sync-mode",
          "ha-sync-batch-size",
          "ha-promote-on-shutdown",
          "ha-promote-on-failure");

  /** Whether the policy asks for the queues it applies to to be mirrored. */
  public static boolean mirrors(EffectivePolicy policy) {
    return policy.definition().containsKey("ha-mode");
  }

  /**
   * Checks the mirroring keys of a normalized definition.
   *
   * @throws PolicyException with RabbitMQ's text
   */
  static void validate(Map<String, Object> definition) {
    Object mode = definition.get("ha-mode");
    if (mode == null) {
      for (String key : KEYS) {
        if (definition.containsKey(key)) {
          throw new PolicyException(
              "ha-mode must be specified to specify ha-params, ha-sync-mode or"
                  + " ha-promote-on-shutdown",
              "definition." + key);
        }
      }
      return;
    }
    Object params = definition.get("ha-params");
    String paramsText = params == null ? "none" : PolicyValues.format(params);
    if (!(mode instanceof String m) || !Set.of("all", "exactly", "nodes").contains(m)) {
      refuse(PolicyValues.format(mode) + " is not a valid ha-mode value", "ha-mode");
    } else if (m.equals("all") && params != null) {
      refuse("ha-mode=\"all\" does not take parameters", "ha-params");
    } else if (m.equals("exactly") && !(params instanceof Long n && n > 0)) {
      refuse("ha-mode=\"exactly\" takes an integer, " + paramsText + " given", "ha-params");
    } else if (m.equals("nodes")) {
      nodes(params, paramsText);
    }
    oneOf(definition, "ha-sync-mode", "\"manual\" or \"automatic\"", "manual", "automatic");
    Object batch = definition.get("ha-sync-batch-size");
    if (batch != null && !(batch instanceof Long n && n > 0)) {
      refuse(
          "ha-sync-batch-size takes an integer greater than 0, "
              + PolicyValues.format(batch)
              + " given",
          "ha-sync-batch-size");
    }
    oneOf(
        definition,
        "ha-promote-on-shutdown",
        "\"always\" or \"when-synced\"",
        "always",
        "when-synced");
    oneOf(
        definition,
        "ha-promote-on-failure",
        "\"always\" or \"when-synced\"",
        "always",
        "when-synced");
  }

  private static void nodes(Object params, String paramsText) {
    if (!(params instanceof List<?> nodes)) {
      refuse("ha-mode=\"nodes\" takes a list, " + paramsText + " given", "ha-params");
      return;
    }
    if (nodes.isEmpty()) {
      refuse("ha-mode=\"nodes\" list must be non-empty", "ha-params");
    }
    List<Object> invalid = new ArrayList<>();
    for (Object node : nodes) {
      if (!(node instanceof String)) {
        invalid.add(node);
      }
    }
    if (!invalid.isEmpty()) {
      refuse(
          "ha-mode=\"nodes\" takes a list of strings, "
              + PolicyValues.format(invalid)
              + " was not a string",
          "ha-params");
    }
  }

  private static void oneOf(
      Map<String, Object> definition, String key, String allowed, String a, String b) {
    Object v = definition.get(key);
    if (v != null && !a.equals(v) && !b.equals(v)) {
      refuse(key + " must be " + allowed + ", got " + PolicyValues.format(v), key);
    }
  }

  private static void refuse(String reason, String key) {
    throw new PolicyException(reason, "definition." + key);
  }
}
