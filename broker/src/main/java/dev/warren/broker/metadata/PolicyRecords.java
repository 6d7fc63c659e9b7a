package dev.warren.broker.metadata;

import dev.warren.broker.policy.Policy;
import dev.warren.broker.policy.PolicyValues;
import dev.warren.broker.policy.VhostLimits;
import dev.warren.persistence.definitions.PutGlobalParameter;
import dev.warren.persistence.definitions.PutOperatorPolicy;
import dev.warren.persistence.definitions.PutParameter;
import dev.warren.persistence.definitions.PutPolicy;
import java.util.Collections;
import java.util.Map;

/**
 * Policies and parameters as stored, and back. A definition or a parameter's value is stored as
 * {@link StoredArguments} (an AMQP field table, keys in order); a global parameter's value, which
 * may be any JSON value, as a table of one key, {@code value}.
 */
final class PolicyRecords {
  private PolicyRecords() {}

  static Policy policy(PutPolicy p) {
    return Policy.of(
        p.name(),
        p.pattern(),
        p.applyTo(),
        p.priority(),
        StoredArguments.decode(p.definition()),
        false);
  }

  static Policy operatorPolicy(PutOperatorPolicy p) {
    return Policy.of(
        p.name(),
        p.pattern(),
        p.applyTo(),
        p.priority(),
        StoredArguments.decode(p.definition()),
        true);
  }

  static VhostLimits limits(PutParameter p) {
    return VhostLimits.of(StoredArguments.decode(p.value()));
  }

  static byte[] globalValue(Object value) {
    return StoredArguments.encode(Collections.singletonMap("value", value));
  }

  static Object globalValue(PutGlobalParameter p) {
    Map<String, Object> table = StoredArguments.decode(p.value());
    return PolicyValues.value(table.get("value"));
  }
}
