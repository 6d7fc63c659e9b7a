package dev.warren.broker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The delivery limit a queue runs with, weighed as RabbitMQ 4 weighs it: a quorum queue for which
 * neither its argument nor a policy sets one gets 20, a negative value is no limit, and of two
 * values the lower applies unless one is negative. RabbitMQ 3.10 had no default and took the lower
 * of two (it refused negative ones), so this is where Warren follows 4.
 */
class DeliveryLimitSettingsTest {

  @Test
  void aQuorumQueueWithoutALimitGetsTwentyAndAClassicQueueNone() {
    assertEquals(20, limit("quorum", null, null));
    assertEquals(-1, limit("classic", null, null));
    assertEquals(-1, limit(null, null, null));
  }

  @Test
  void aNegativeLimitIsNoLimitOnEitherType() {
    assertEquals(-1, limit("quorum", -1L, null));
    assertEquals(-1, limit("quorum", null, -5L));
    assertEquals(-1, limit("classic", -1L, null));
  }

  @Test
  void ofArgumentAndPolicyTheLowerAppliesUnlessOneIsNegative() {
    assertEquals(3, limit("quorum", 3L, 7L));
    assertEquals(3, limit("quorum", 7L, 3L));
    assertEquals(0, limit("quorum", 0L, 7L));
    assertEquals(7, limit("quorum", -1L, 7L), "the limit, not the unlimited one");
    assertEquals(7, limit("quorum", 7L, -1L));
    assertEquals(-1, limit("quorum", -1L, -2L));
  }

  @Test
  void anOperatorPolicyCapsAPolicysLimitTheSameWay() {
    assertEquals(2, PolicySettings.mergeDeliveryLimits(5, 2));
    assertEquals(5, PolicySettings.mergeDeliveryLimits(-1, 5));
    Policy policy = Policy.of("p", ".*", "queues", 0, Map.of("delivery-limit", -1), false);
    Policy cap = Policy.of("cap", ".*", "queues", 0, Map.of("delivery-limit", 10), true);
    assertEquals(10L, EffectivePolicy.of(policy, cap).definition().get("delivery-limit"));
  }

  private static long limit(String type, Long argument, Long policy) {
    Map<String, Object> arguments = new HashMap<>();
    if (type != null) {
      arguments.put("x-queue-type", type);
    }
    if (argument != null) {
      arguments.put("x-delivery-limit", argument);
    }
    Map<String, Object> definition = policy == null ? Map.of() : Map.of("delivery-limit", policy);
    return PolicySettings.deliveryLimit(arguments, definition);
  }
}
