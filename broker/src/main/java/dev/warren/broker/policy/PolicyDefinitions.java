package dev.warren.broker.policy;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The keys a policy or an operator policy may set, each checked as RabbitMQ 3.10 checks it, with
 * its refusal text ({@code -1 is not a valid message TTL}). Keys checked in key order, the first
 * refusal wins; keys no rule knows are refused together afterwards ({@code [{<<"foo">>,1}] are not
 * recognised policy settings}, for operator policies too, as RabbitMQ words it).
 *
 * <p>Keys of features the broker has (TTL, expiry, length limits, overflow, dead-lettering,
 * delivery limit, alternate exchange) take effect; {@code queue-mode}, {@code queue-version}, the
 * locators, {@code initial-cluster-size}, {@code max-in-memory-*} and {@code dead-letter-strategy}
 * change nothing here (as the queue arguments of the same names) but are checked. Classic
 * mirroring's {@code ha-*} keys are checked together ({@link HaPolicy}); {@code ha-mode} makes a
 * durable classic queue declared under it in a cluster replicated. Keys of features it does not
 * have (federation, streams' {@code max-age}) are refused as unknown rather than silently ignored.
 * {@code max-priority} is refused, as by RabbitMQ 3.10: a queue's priorities are fixed when it is
 * declared. Stateless.
 */
public final class PolicyDefinitions {
  private PolicyDefinitions() {}

  /** How a key's value is checked, and the end of the refusal after the printed value. */
  private record Rule(Predicate<Object> valid, String refusal) {}

  private static final Map<String, Rule> POLICY = new TreeMap<>();
  private static final Map<String, Rule> OPERATOR_POLICY = new TreeMap<>();

  static {
    POLICY.put(
        "alternate-exchange",
        new Rule(PolicyDefinitions::text, "is not a valid alternate exchange name"));
    POLICY.put(
        "dead-letter-exchange",
        new Rule(PolicyDefinitions::text, "is not a valid dead letter exchange name"));
    POLICY.put(
        "dead-letter-routing-key",
        new Rule(PolicyDefinitions::text, "is not a valid dead letter routing key"));
    POLICY.put("message-ttl", atLeast(0, "is not a valid message TTL"));
    POLICY.put("expires", atLeast(1, "is not a valid queue expiry"));
    POLICY.put("max-length", atLeast(0, "is not a valid maximum length"));
    POLICY.put("max-length-bytes", atLeast(0, "is not a valid maximum length in bytes"));
    // Any integer: a negative one means unlimited (RabbitMQ 4; 3.x refuses it).
    POLICY.put("delivery-limit", atLeast(Long.MIN_VALUE, "is not a valid delivery limit"));
    POLICY.put(
        "overflow",
        oneOf(
            Set.of("drop-head", "reject-publish", "reject-publish-dlx"),
            "is not a valid overflow value"));
    POLICY.put("queue-mode", oneOf(Set.of("default", "lazy"), "is not a valid queue-mode value"));
    POLICY.put(
        "queue-version",
        new Rule(
            v -> v instanceof Long n && (n == 1 || n == 2), "is not a valid queue-version value"));
    POLICY.put(
        "queue-master-locator",
        oneOf(
            Set.of("min-masters", "client-local", "random"), "invalid queue-master-locator value"));
    POLICY.put(
        "queue-leader-locator",
        oneOf(
            Set.of("client-local", "balanced", "random", "least-leaders"),
            "is not a valid queue leader locator value"));
    POLICY.put("initial-cluster-size", atLeast(0, "is not a valid cluster size"));
    POLICY.put("max-in-memory-length", atLeast(0, "is not a valid maximum memory in bytes"));
    POLICY.put("max-in-memory-bytes", atLeast(0, "is not a valid maximum memory in bytes"));
    POLICY.put(
        "dead-letter-strategy",
        oneOf(Set.of("at-most-once", "at-least-once"), "is not a valid dead letter strategy"));
    for (String key : HaPolicy.KEYS) {
      POLICY.put(key, new Rule(v -> true, "")); // checked together: HaPolicy
    }
    for (String key :
        Set.of(
            "expires",
            "message-ttl",
            "max-length",
            "max-length-bytes",
            "max-in-memory-length",
            "max-in-memory-bytes",
            "delivery-limit")) {
      OPERATOR_POLICY.put(key, POLICY.get(key));
    }
  }

  /** The keys an operator policy may set; where a policy sets one too, the lower value applies. */
  public static Set<String> operatorKeys() {
    return OPERATOR_POLICY.keySet();
  }

  /**
   * The definition, normalized ({@link PolicyValues}) and in key order, if every key is one the
   * kind of policy may set, with a valid value.
   *
   * @param operator whether it is an operator policy's
   * @throws PolicyException with RabbitMQ's text otherwise
   */
  public static Map<String, Object> validate(Map<String, ?> definition, boolean operator) {
    if (definition.isEmpty()) {
      throw new PolicyException("no policy provided", "definition");
    }
    Map<String, Object> normalized = PolicyValues.table(definition);
    Map<String, Rule> rules = operator ? OPERATOR_POLICY : POLICY;
    Map<String, Object> unknown = new TreeMap<>();
    for (Map.Entry<String, Object> e : normalized.entrySet()) {
      Rule rule = rules.get(e.getKey());
      if (rule == null) {
        unknown.put(e.getKey(), e.getValue());
      } else if (!rule.valid().test(e.getValue())) {
        throw new PolicyException(
            PolicyValues.format(e.getValue()) + " " + rule.refusal(), "definition." + e.getKey());
      }
    }
    if (!unknown.isEmpty()) {
      throw new PolicyException(
          PolicyValues.formatPairs(unknown) + " are not recognised policy settings",
          "definition." + unknown.keySet().iterator().next());
    }
    if (!operator) {
      HaPolicy.validate(normalized);
    }
    return normalized;
  }

  private static boolean text(Object v) {
    return v instanceof String;
  }

  private static Rule atLeast(long min, String refusal) {
    return new Rule(v -> v instanceof Long n && n >= min, refusal);
  }

  private static Rule oneOf(Set<String> allowed, String refusal) {
    return new Rule(v -> v instanceof String s && allowed.contains(s), refusal);
  }
}
