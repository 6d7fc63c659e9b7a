package dev.warren.broker.policy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A virtual host's limits: RabbitMQ's runtime parameter of component {@value #COMPONENT}, name
 * {@value #NAME}, whose value sets {@code max-connections} and {@code max-queues}. A negative
 * number (or an absent key) is no limit; 0 allows none.
 *
 * @param value the parameter's value as set, normalized
 */
public record VhostLimits(long maxConnections, long maxQueues, Map<String, Object> value) {
  public static final String COMPONENT = "vhost-limits";
  public static final String NAME = "limits";

  /** No parameter set. */
  public static final VhostLimits NONE = new VhostLimits(-1, -1, Map.of());

  /**
   * @param raw the parameter's value, a JSON object (or an empty list: no limits)
   * @throws PolicyException with RabbitMQ's text for a value that is not an object, a limit that is
   *     not an integer or a key that is not one of the two
   */
  public static VhostLimits of(Object raw) {
    if (raw instanceof List<?> list && list.isEmpty()) {
      // RabbitMQ's empty proplist: what it exports once every limit of a vhost is lifted.
      return new VhostLimits(-1, -1, Map.of());
    }
    if (!(raw instanceof Map<?, ?> map)) {
      throw new PolicyException(
          "limits not a list " + PolicyValues.format(PolicyValues.value(raw)));
    }
    Map<String, Object> value = PolicyValues.table(map);
    Map<String, Object> unknown = new TreeMap<>();
    for (Map.Entry<String, Object> e : value.entrySet()) {
      if (e.getKey().equals("max-connections") || e.getKey().equals("max-queues")) {
        if (!(e.getValue() instanceof Long)) {
          throw new PolicyException(
              e.getKey() + " should be a number, actually was " + PolicyValues.format(e.getValue()),
              e.getKey());
        }
      } else {
        unknown.put(e.getKey(), e.getValue());
      }
    }
    if (!unknown.isEmpty()) {
      throw new PolicyException(
          "Unrecognised terms " + PolicyValues.formatPairs(unknown) + " in limits",
          unknown.keySet().iterator().next());
    }
    return new VhostLimits(limit(value, "max-connections"), limit(value, "max-queues"), value);
  }

  private static long limit(Map<String, Object> value, String key) {
    return value.get(key) instanceof Long n ? n : -1;
  }
}
