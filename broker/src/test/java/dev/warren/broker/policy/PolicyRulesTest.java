package dev.warren.broker.policy;

import static dev.warren.broker.policy.PolicyFixture.exactly;
import static dev.warren.broker.policy.PolicyFixture.startingWith;
import static dev.warren.broker.policy.PolicyFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.it.Poll;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each policy key a client notices, through the RabbitMQ Java client: TTL, dead-lettering, length
 * limits and overflow, queue expiry, delivery limit, alternate exchange; how policies weigh against
 * queue arguments, against each other (priority) and against operator policies; and that a change
 * applies to live queues at once and a deletion reverts it. Runs against Warren (policies set
 * through its Java entry) and against RabbitMQ with {@code -Dbroker.rabbitmqctl}.
 */
class PolicyRulesTest {
  @RegisterExtension static final PolicyFixture fixture = new PolicyFixture();

  @Test
  void aMessageTtlPolicyExpiresTheMessagesOfTheQueuesItMatches() throws Exception {
    fixture.policy("ttl", startingWith("policy-it.ttl."), "queues", 0, Map.of("message-ttl", 100));
    String q = fixture.queue("policy-it.ttl.q");
    String other = fixture.queue("policy-it.not-ttl");
    fixture.publish(q, "m");
    fixture.publish(other, "m");
    fixture.awaitCount(q, 0, "the message to expire");
    assertEquals(1, fixture.count(other), "the policy does not match that queue");
  }

  @Test
  void anExpiredMessageGoesToThePolicysDeadLetterExchangeAndRoutingKey() throws Exception {
    fixture.policy(
        "dlx",
        exactly("policy-it.dlx.source"),
        "queues",
        0,
        Map.of(
            "message-ttl", 50,
            "dead-letter-exchange", "",
            "dead-letter-routing-key", "policy-it.dlx.target"));
    String source = fixture.queue("policy-it.dlx.source");
    String target = fixture.queue("policy-it.dlx.target");
    fixture.publish(source, "expiring");
    GetResponse dead = fixture.awaitMessage(target);
    assertEquals("expiring", text(dead));
    assertEquals("expired", PolicyFixture.death(dead.getProps(), "reason"));
    assertEquals(source, PolicyFixture.death(dead.getProps(), "queue"));
  }

  @Test
  void aMaxLengthPolicyWithRejectPublishNacksThePublishOverTheLimit() throws Exception {
    fixture.policy(
        "reject",
        exactly("policy-it.reject"),
        "queues",
        0,
        Map.of("max-length", 1, "overflow", "reject-publish"));
    String q = fixture.queue("policy-it.reject");
    Channel confirming = fixture.confirmingChannel();
    assertTrue(fixture.publishConfirmed(confirming, "", q, "first"));
    assertFalse(fixture.publishConfirmed(confirming, "", q, "second"), "refused: basic.nack");
    assertEquals(1, fixture.count(q));
  }

  @Test
  void aMaxLengthPolicyDropsTheOldestMessagesByDefault() throws Exception {
    fixture.policy("short", exactly("policy-it.short"), "queues", 0, Map.of("max-length", 2));
    String q = fixture.queue("policy-it.short");
    for (int i = 1; i <= 4; i++) {
      fixture.publish(q, "m" + i);
    }
    fixture.awaitCount(q, 2, "two messages kept");
    assertEquals("m3", text(fixture.channel().basicGet(q, true)));
    assertEquals("m4", text(fixture.channel().basicGet(q, true)));
  }

  @Test
  void anExpiresPolicyDeletesTheQueueOnceUnused() throws Exception {
    fixture.policy("expires", exactly("policy-it.expires"), "queues", 0, Map.of("expires", 300));
    String q = fixture.queue("policy-it.expires");
    // Probed by publishing, which is no use of a queue (a declare would renew its lease).
    Poll.until(PolicyFixture.WAIT, () -> !fixture.routable(q), "the queue to expire");
    assertFalse(fixture.exists(q));
  }

  @Test
  void aDeliveryLimitPolicyDeadLettersAMessageReturnedTooOften() throws Exception {
    // Quorum, since RabbitMQ 3.10 has delivery limits for quorum queues only.
    fixture.policy(
        "limit",
        exactly("policy-it.delivery-limit"),
        "queues",
        0,
        Map.of(
            "delivery-limit", 1,
            "dead-letter-exchange", "",
            "dead-letter-routing-key", "policy-it.delivery-limit.dead"));
    String q = fixture.queue("policy-it.delivery-limit", true, Map.of("x-queue-type", "quorum"));
    String dead = fixture.queue("policy-it.delivery-limit.dead");
    fixture.publish(q, "poison");
    Channel ch = fixture.channel();
    for (int delivery = 1; delivery <= 2; delivery++) {
      GetResponse r = awaitUnacked(ch, q);
      ch.basicReject(r.getEnvelope().getDeliveryTag(), true);
    }
    GetResponse deadLetter = fixture.awaitMessage(dead);
    assertEquals("poison", text(deadLetter));
    assertEquals("delivery_limit", PolicyFixture.death(deadLetter.getProps(), "reason"));
    assertEquals(0, fixture.count(q));
  }

  @Test
  void anAlternateExchangePolicyTakesWhatAnExchangeCannotRoute() throws Exception {
    String source = fixture.exchange("policy-it.ae.source", "direct", Map.of());
    String alternate = fixture.exchange("policy-it.ae.alternate", "fanout", Map.of());
    String caught = fixture.queue("policy-it.ae.caught");
    fixture.channel().queueBind(caught, alternate, "");
    // Set after the exchange exists: a live exchange takes it too.
    fixture.policy("ae", exactly(source), "exchanges", 0, Map.of("alternate-exchange", alternate));
    fixture.channel().basicPublish(source, "nowhere", null, "lost?".getBytes());
    assertEquals("lost?", text(fixture.awaitMessage(caught)));
  }

  @Test
  void whereArgumentAndPolicyBothSetANumberTheLowerApplies() throws Exception {
    fixture.policy("lower", startingWith("policy-it.lower."), "queues", 0, Map.of("max-length", 2));
    String argumentLower = fixture.queue("policy-it.lower.argument", Map.of("x-max-length", 1));
    String policyLower = fixture.queue("policy-it.lower.policy", Map.of("x-max-length", 3));
    for (int i = 0; i < 4; i++) {
      fixture.publish(argumentLower, "m" + i);
      fixture.publish(policyLower, "m" + i);
    }
    fixture.awaitCount(argumentLower, 1, "the argument's 1");
    fixture.awaitCount(policyLower, 2, "the policy's 2");
  }

  @Test
  void theArgumentsDeadLetterExchangeAndOverflowWinOverThePolicys() throws Exception {
    fixture.policy(
        "overridden",
        exactly("policy-it.overridden"),
        "queues",
        0,
        Map.of(
            "dead-letter-exchange", "",
            "dead-letter-routing-key", "policy-it.overridden.by-policy",
            "overflow", "drop-head"));
    String byPolicy = fixture.queue("policy-it.overridden.by-policy");
    String byArgument = fixture.queue("policy-it.overridden.by-argument");
    String q =
        fixture.queue(
            "policy-it.overridden",
            Map.of(
                "x-dead-letter-exchange",
                "",
                "x-dead-letter-routing-key",
                byArgument,
                "x-max-length",
                1,
                "x-overflow",
                "reject-publish-dlx"));
    Channel confirming = fixture.confirmingChannel();
    assertTrue(fixture.publishConfirmed(confirming, "", q, "kept"));
    assertFalse(fixture.publishConfirmed(confirming, "", q, "refused"), "reject-publish-dlx");
    assertEquals("refused", text(fixture.awaitMessage(byArgument)));
    assertEquals(0, fixture.count(byPolicy));
    assertEquals(1, fixture.count(q));
  }

  @Test
  void theAlternateExchangeArgumentWinsOverThePolicys() throws Exception {
    String byPolicy = fixture.exchange("policy-it.ae-arg.by-policy", "fanout", Map.of());
    String byArgument = fixture.exchange("policy-it.ae-arg.by-argument", "fanout", Map.of());
    String caught = fixture.queue("policy-it.ae-arg.caught");
    fixture.channel().queueBind(caught, byArgument, "");
    String wrong = fixture.queue("policy-it.ae-arg.wrong");
    fixture.channel().queueBind(wrong, byPolicy, "");
    fixture.policy(
        "ae-arg",
        exactly("policy-it.ae-arg.source"),
        "exchanges",
        0,
        Map.of("alternate-exchange", byPolicy));
    String source =
        fixture.exchange(
            "policy-it.ae-arg.source", "direct", Map.of("alternate-exchange", byArgument));
    fixture.channel().basicPublish(source, "nowhere", null, "m".getBytes());
    assertEquals("m", text(fixture.awaitMessage(caught)));
    assertEquals(0, fixture.count(wrong));
  }

  @Test
  void theMatchingPolicyOfHighestPriorityAppliesAndTheNextOnceItIsDeleted() throws Exception {
    // Named so that name order would choose the other one.
    fixture.policy("a-low", exactly("policy-it.priority"), "queues", 1, Map.of("max-length", 3));
    fixture.policy("b-high", exactly("policy-it.priority"), "all", 2, Map.of("max-length", 1));
    String q = fixture.queue("policy-it.priority");
    for (int i = 0; i < 3; i++) {
      fixture.publish(q, "m" + i);
    }
    fixture.awaitCount(q, 1, "b-high's limit");
    fixture.admin().clearPolicy("b-high");
    for (int i = 3; i < 6; i++) {
      fixture.publish(q, "m" + i);
    }
    fixture.awaitCount(q, 3, "a-low's limit, now that b-high is gone");
  }

  @Test
  void aPolicyOfAnotherKindDoesNotApply() throws Exception {
    fixture.policy(
        "exchanges-only", exactly("policy-it.kind"), "exchanges", 5, Map.of("max-length", 1));
    String q = fixture.queue("policy-it.kind");
    fixture.publish(q, "m1");
    fixture.publish(q, "m2");
    fixture.awaitCount(q, 2, "both kept: the policy applies to exchanges");
  }

  @Test
  void anOperatorPolicyCapsWhatThePolicyAndTheArgumentsAskFor() throws Exception {
    fixture.policy(
        "generous", startingWith("policy-it.cap."), "queues", 0, Map.of("max-length", 5));
    fixture.operatorPolicy(
        "cap", startingWith("policy-it.cap."), "queues", 0, Map.of("max-length", 2));
    String byPolicy = fixture.queue("policy-it.cap.policy");
    String byArgument = fixture.queue("policy-it.cap.argument", Map.of("x-max-length", 10));
    String lowerArgument = fixture.queue("policy-it.cap.lower", Map.of("x-max-length", 1));
    for (int i = 0; i < 4; i++) {
      fixture.publish(byPolicy, "m" + i);
      fixture.publish(byArgument, "m" + i);
      fixture.publish(lowerArgument, "m" + i);
    }
    fixture.awaitCount(byPolicy, 2, "the operator's cap over the policy's 5");
    fixture.awaitCount(byArgument, 2, "the operator's cap over the argument's 10");
    fixture.awaitCount(lowerArgument, 1, "a lower argument stays");
  }

  @Test
  void anOperatorPolicyAppliesWhereNoPolicyDoes() throws Exception {
    fixture.operatorPolicy(
        "op-ttl", exactly("policy-it.op-ttl"), "queues", 0, Map.of("message-ttl", 100));
    String q = fixture.queue("policy-it.op-ttl");
    fixture.publish(q, "m");
    fixture.awaitCount(q, 0, "the operator policy's TTL");
  }

  @Test
  void aPolicySetOnALiveQueueAppliesAtOnce() throws Exception {
    String q = fixture.queue("policy-it.live");
    for (int i = 0; i < 5; i++) {
      fixture.publish(q, "m" + i);
    }
    fixture.awaitCount(q, 5, "all five");
    fixture.policy("live", exactly(q), "queues", 0, Map.of("max-length", 2));
    fixture.awaitCount(q, 2, "the oldest dropped when the policy came");
  }

  @Test
  void deletingAPolicyRevertsTheQueuesItApplied() throws Exception {
    fixture.policy(
        "reverted",
        exactly("policy-it.reverted"),
        "queues",
        0,
        Map.of("max-length", 1, "overflow", "reject-publish"));
    String q = fixture.queue("policy-it.reverted");
    Channel confirming = fixture.confirmingChannel();
    assertTrue(fixture.publishConfirmed(confirming, "", q, "first"));
    assertFalse(fixture.publishConfirmed(confirming, "", q, "refused"));
    fixture.admin().clearPolicy("reverted");
    assertTrue(fixture.publishConfirmed(confirming, "", q, "accepted"), "no limit any more");
    assertEquals(2, fixture.count(q));
  }

  @Test
  void aPolicyDoesNotChangeWhatARedeclarationMustMatch() throws Exception {
    fixture.policy(
        "equivalence", exactly("policy-it.equivalence"), "queues", 0, Map.of("message-ttl", 60000));
    String q = fixture.queue("policy-it.equivalence");
    fixture.channel().queueDeclare(q, false, false, false, Map.of());
    assertEquals(0, fixture.count(q), "redeclared with its own (empty) arguments: declare-ok");
  }

  /** A message taken with basic.get and left unacked, waiting for one to be there. */
  private static GetResponse awaitUnacked(Channel ch, String q) {
    GetResponse[] got = new GetResponse[1];
    Poll.until(PolicyFixture.WAIT, () -> (got[0] = ch.basicGet(q, false)) != null, "a message");
    return got[0];
  }
}
