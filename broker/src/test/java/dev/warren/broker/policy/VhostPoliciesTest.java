package dev.warren.broker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.warren.amqp.LongString;
import dev.warren.queue.QueueSettings;
import dev.warren.queue.QueueSettings.Overflow;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which policy wins for a queue or exchange, how an operator policy merges in, and how the result
 * weighs against queue arguments: plain values, no broker.
 */
class VhostPoliciesTest {
  private static Policy policy(
      String name, String pattern, String applyTo, int priority, Map<String, ?> d) {
    return Policy.of(name, pattern, applyTo, priority, d, false);
  }

  @Test
  void theHighestPriorityWinsAndAmongEqualsTheNameThatSortsFirst() {
    VhostPolicies policies =
        VhostPolicies.EMPTY
            .with(policy("c", "q", "all", 1, Map.of("max-length", 1)), false)
            .with(policy("b", "q", "all", 1, Map.of("max-length", 2)), false)
            .with(policy("a", "q", "all", 0, Map.of("max-length", 3)), false);
    assertEquals("b", policies.forQueue("q").policy());
    assertEquals("a", policies.without("b", false).without("c", false).forQueue("q").policy());
  }

  @Test
  void aPatternMatchesAnywhereInTheNameUnlessAnchoredAndApplyToChoosesTheKind() {
    VhostPolicies policies =
        VhostPolicies.EMPTY
            .with(policy("queues", "ord", "queues", 0, Map.of("max-length", 1)), false)
            .with(policy("exchanges", "^ord$", "exchanges", 0, Map.of("max-length", 1)), false);
    assertEquals("queues", policies.forQueue("new-orders").policy());
    assertNull(policies.forExchange("new-orders").policy());
    assertEquals("exchanges", policies.forExchange("ord").policy());
  }

  @Test
  void anOperatorPolicyLowersTheNumbersItSetsAndAddsTheOthers() {
    VhostPolicies policies =
        VhostPolicies.EMPTY
            .with(
                policy(
                    "p",
                    ".*",
                    "all",
                    0,
                    Map.of("max-length", 10, "message-ttl", 100, "overflow", "reject-publish")),
                false)
            .with(
                Policy.of(
                    "op",
                    ".*",
                    "queues",
                    0,
                    Map.of("max-length", 5, "message-ttl", 1000, "expires", 60000),
                    true),
                true);
    EffectivePolicy effective = policies.forQueue("q");
    assertEquals(
        Map.of(
            "max-length", 5L, "message-ttl", 100L, "expires", 60000L, "overflow", "reject-publish"),
        effective.definition());
    assertEquals("op", effective.operatorPolicy());
  }

  @Test
  void argumentsAndPolicyWeighAsInRabbitMqsClassicQueues() {
    EffectivePolicy policy =
        VhostPolicies.EMPTY
            .with(
                policy(
                    "p",
                    ".*",
                    "queues",
                    0,
                    Map.of(
                        "message-ttl",
                        1000,
                        "max-length",
                        10,
                        "dead-letter-exchange",
                        "by-policy",
                        "dead-letter-routing-key",
                        "key-by-policy",
                        "overflow",
                        "reject-publish",
                        "delivery-limit",
                        3)),
                false)
            .forQueue("q");
    QueueSettings declared =
        new QueueSettings(
            5000, -1, 2, -1, Overflow.DROP_HEAD, "by-argument", null, 4, true, -1, 9000);
    QueueSettings s =
        PolicySettings.queue(
            declared,
            Map.of(
                "x-message-ttl",
                5000,
                "x-max-length",
                2L,
                "x-dead-letter-exchange",
                LongString.of("by-argument"),
                "x-overflow",
                LongString.of("drop-head")),
            policy);
    assertEquals(1000, s.messageTtlMillis(), "the policy's lower TTL");
    assertEquals(2, s.maxLength(), "the argument's lower length");
    assertEquals("by-argument", s.deadLetterExchange(), "the argument wins");
    assertEquals("key-by-policy", s.deadLetterRoutingKey(), "no argument: the policy's");
    assertEquals(Overflow.DROP_HEAD, s.overflow(), "the argument wins");
    assertEquals(3, s.deliveryLimit());
    assertEquals(4, s.maxPriority(), "from the declaration only");
    assertEquals(9000, s.consumerTimeoutMillis(), "from the declaration only");
    assertEquals(-1, s.expiresMillis(), "set by neither");
  }
}
