package dev.warren.broker.policy;

import static dev.warren.broker.policy.PolicyFixture.exactly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.rabbitmq.client.Channel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Invalid policies, operator policies and vhost limits are refused with RabbitMQ's reason texts
 * (checked against RabbitMQ 3.10 with {@code -Dbroker.rabbitmqctl}), and a refusal changes nothing.
 */
class PolicyValidationTest {
  @RegisterExtension static final PolicyFixture fixture = new PolicyFixture();

  private static void assertPolicyRefused(String reason, Map<String, Object> definition) {
    PolicyAdmin.Refused refused =
        assertThrows(
            PolicyAdmin.Refused.class,
            () -> fixture.admin().setPolicy("invalid", ".*", "queues", 0, definition));
    assertEquals(reason, refused.reason());
  }

  private static void assertOperatorPolicyRefused(String reason, Map<String, Object> definition) {
    PolicyAdmin.Refused refused =
        assertThrows(
            PolicyAdmin.Refused.class,
            () -> fixture.admin().setOperatorPolicy("invalid", ".*", "queues", 0, definition));
    assertEquals(reason, refused.reason());
  }

  @Test
  void unknownKeysAreRefusedTogetherAfterTheKnownOnesAreChecked() {
    assertPolicyRefused(
        "[{<<\"max-priority\">>,5}] are not recognised policy settings", Map.of("max-priority", 5));
    assertPolicyRefused(
        "[{<<\"a\">>,<<\"x\">>},{<<\"b\">>,1}] are not recognised policy settings",
        Map.of("b", 1, "a", "x", "message-ttl", 5));
    assertPolicyRefused("-5 is not a valid message TTL", Map.of("zzz", 1, "message-ttl", -5));
    assertPolicyRefused(
        "[{<<\"consumer-timeout\">>,1000}] are not recognised policy settings",
        Map.of("consumer-timeout", 1000));
  }

  @Test
  void valuesOfTheWrongTypeOrRangeAreRefusedNamingTheValue() {
    assertPolicyRefused("-1 is not a valid message TTL", Map.of("message-ttl", -1));
    assertPolicyRefused("<<\"x\">> is not a valid message TTL", Map.of("message-ttl", "x"));
    assertPolicyRefused("1.5 is not a valid message TTL", Map.of("message-ttl", 1.5));
    assertPolicyRefused("0 is not a valid queue expiry", Map.of("expires", 0));
    assertPolicyRefused("-1 is not a valid maximum length", Map.of("max-length", -1));
    assertPolicyRefused("true is not a valid maximum length", Map.of("max-length", true));
    assertPolicyRefused(
        "<<\"a\">> is not a valid maximum length in bytes", Map.of("max-length-bytes", "a"));
    assertPolicyRefused("<<\"x\">> is not a valid overflow value", Map.of("overflow", "x"));
    // Any integer is a delivery limit (RabbitMQ 4: negative is unlimited; 3.10 refuses -2).
    assertPolicyRefused("<<\"x\">> is not a valid delivery limit", Map.of("delivery-limit", "x"));
    assertPolicyRefused(
        "5 is not a valid alternate exchange name", Map.of("alternate-exchange", 5));
    assertPolicyRefused(
        "5 is not a valid dead letter exchange name", Map.of("dead-letter-exchange", 5));
    assertPolicyRefused(
        "true is not a valid dead letter routing key", Map.of("dead-letter-routing-key", true));
    assertPolicyRefused("<<\"x\">> is not a valid queue-mode value", Map.of("queue-mode", "x"));
    assertPolicyRefused("3 is not a valid queue-version value", Map.of("queue-version", 3));
  }

  @Test
  void classicMirroringKeysAreCheckedTogetherWithRabbitMqsTexts() {
    assertPolicyRefused(
        "ha-mode must be specified to specify ha-params, ha-sync-mode or ha-promote-on-shutdown",
        Map.of("ha-params", 2));
    assertPolicyRefused("<<\"x\">> is not a valid ha-mode value", Map.of("ha-mode", "x"));
    assertPolicyRefused(
        "ha-mode=\"all\" does not take parameters", Map.of("ha-mode", "all", "ha-params", 2));
    assertPolicyRefused(
        "ha-mode=\"exactly\" takes an integer, none given", Map.of("ha-mode", "exactly"));
    assertPolicyRefused(
        "ha-mode=\"exactly\" takes an integer, 0 given",
        Map.of("ha-mode", "exactly", "ha-params", 0));
    assertPolicyRefused(
        "ha-mode=\"nodes\" takes a list, <<\"a\">> given",
        Map.of("ha-mode", "nodes", "ha-params", "a"));
    assertPolicyRefused(
        "ha-mode=\"nodes\" list must be non-empty",
        Map.of("ha-mode", "nodes", "ha-params", List.of()));
    assertPolicyRefused(
        "ha-mode=\"nodes\" takes a list of strings, [1] was not a string",
        Map.of("ha-mode", "nodes", "ha-params", List.of(1, "a")));
    assertPolicyRefused(
        "ha-sync-mode must be \"manual\" or \"automatic\", got <<\"x\">>",
        Map.of("ha-mode", "all", "ha-sync-mode", "x"));
    assertPolicyRefused(
        "ha-sync-batch-size takes an integer greater than 0, 0 given",
        Map.of("ha-mode", "all", "ha-sync-batch-size", 0));
    assertPolicyRefused(
        "ha-promote-on-shutdown must be \"always\" or \"when-synced\", got <<\"x\">>",
        Map.of("ha-mode", "all", "ha-promote-on-shutdown", "x"));
  }

  @Test
  void anEmptyDefinitionAndAnUnknownApplyToAreRefused() {
    assertPolicyRefused("no policy provided", Map.of());
    PolicyAdmin.Refused refused =
        assertThrows(
            PolicyAdmin.Refused.class,
            () -> fixture.admin().setPolicy("invalid", ".*", "queue", 0, Map.of("max-length", 1)));
    assertEquals(
        "apply-to 'queue' unrecognised; should be 'queues', 'exchanges' or 'all'",
        refused.reason());
  }

  @Test
  void anOperatorPolicyMaySetOnlyTheLimitsItCaps() {
    assertOperatorPolicyRefused(
        "[{<<\"dead-letter-exchange\">>,<<\"x\">>}] are not recognised policy settings",
        Map.of("dead-letter-exchange", "x"));
    assertOperatorPolicyRefused(
        "[{<<\"overflow\">>,<<\"reject-publish\">>}] are not recognised policy settings",
        Map.of("overflow", "reject-publish"));
    assertOperatorPolicyRefused("-1 is not a valid message TTL", Map.of("message-ttl", -1));
    assertOperatorPolicyRefused("no policy provided", Map.of());
  }

  @Test
  void vhostLimitsMustBeNumbersOfTheTwoKnownLimits() {
    String vhost = fixture.admin().limitsVhost();
    PolicyAdmin.Refused notANumber =
        assertThrows(
            PolicyAdmin.Refused.class,
            () -> fixture.admin().setVhostLimits(vhost, Map.of("max-connections", "x")));
    assertEquals("max-connections should be a number, actually was <<\"x\">>", notANumber.reason());
    PolicyAdmin.Refused unknown =
        assertThrows(
            PolicyAdmin.Refused.class,
            () -> fixture.admin().setVhostLimits(vhost, Map.of("foo", 1)));
    assertEquals("Unrecognised terms [{<<\"foo\">>,1}] in limits", unknown.reason());
  }

  @Test
  void aRefusedReplacementLeavesThePolicyInForce() throws Exception {
    fixture.policy("kept", exactly("policy-it.kept"), "queues", 0, Map.of("max-length", 1));
    Map<String, Object> invalid = new LinkedHashMap<>();
    invalid.put("max-length", 5);
    invalid.put("message-ttl", -1);
    assertThrows(
        PolicyAdmin.Refused.class,
        () -> fixture.admin().setPolicy("kept", exactly("policy-it.kept"), "queues", 0, invalid));
    String q = fixture.queue("policy-it.kept");
    Channel ch = fixture.channel();
    for (int i = 0; i < 3; i++) {
      fixture.publish(q, "m" + i);
    }
    fixture.awaitCount(q, 1, "the first definition's max-length");
    assertEquals("m2", PolicyFixture.text(ch.basicGet(q, true)));
  }
}
