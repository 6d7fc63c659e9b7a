package dev.warren.broker.policy;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What applies to one queue or exchange: the policy that won (highest priority among those that
 * match), the operator policy that won, and the definition the two make together, which the
 * management API shows as {@code policy}, {@code operator_policy} and {@code
 * effective_policy_definition}. Where both set a key, the lower number applies: operator policies
 * only set numeric limits ({@link PolicyDefinitions#operatorKeys}), which they cap (RabbitMQ's
 * merge); a negative {@code delivery-limit} means unlimited, so of two where one is negative the
 * higher applies (RabbitMQ 4). Queue arguments are weighed against this later ({@link
 * PolicySettings}).
 *
 * @param policy the policy's name, or null
 * @param operatorPolicy the operator policy's name, or null
 * @param definition normalized, in key order, unmodifiable
 */
public record EffectivePolicy(
    String policy, String operatorPolicy, Map<String, Object> definition) {

  /** Nothing applies. */
  public static final EffectivePolicy NONE = new EffectivePolicy(null, null, Map.of());

  static EffectivePolicy of(Policy policy, Policy operator) {
    if (policy == null && operator == null) {
      return NONE;
    }
    Map<String, Object> merged = new TreeMap<>();
    if (policy != null) {
      merged.putAll(policy.definition());
    }
    if (operator != null) {
      operator
          .definition()
          .forEach(
              (key, capped) ->
                  merged.merge(
                      key,
                      capped,
                      key.equals("delivery-limit")
                          ? EffectivePolicy::deliveryLimit
                          : EffectivePolicy::lower));
    }
    return new EffectivePolicy(
        policy == null ? null : policy.name(),
        operator == null ? null : operator.name(),
        Collections.unmodifiableMap(merged));
  }

  private static Object deliveryLimit(Object value, Object cap) {
    if (value instanceof Long v && cap instanceof Long c) {
      return PolicySettings.mergeDeliveryLimits(v, c);
    }
    return cap;
  }

  private static Object lower(Object value, Object cap) {
    if (value instanceof Long v && cap instanceof Long c) {
      return Math.min(v, c);
    }
    return cap;
  }
}
