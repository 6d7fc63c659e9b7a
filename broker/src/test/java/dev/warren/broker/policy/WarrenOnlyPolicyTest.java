package dev.warren.broker.policy;

import static dev.warren.broker.policy.PolicyFixture.exactly;
import static dev.warren.broker.policy.PolicyFixture.startingWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.warren.broker.it.AmqpErrors;
import dev.warren.broker.it.Poll;
import dev.warren.broker.it.TestBroker;
import dev.warren.broker.metadata.PolicyChanges;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Warren-only: what RabbitMQ does differently, or what only Warren's Java entry shows. A policy's
 * TTL expires messages queued before it (RabbitMQ keeps the deadline each message got when it was
 * queued); the effective policy of a queue or exchange as the management API will show it; and
 * policies, operator policies, limits and global parameters surviving a restart.
 */
class WarrenOnlyPolicyTest {
  @RegisterExtension static final PolicyFixture fixture = new PolicyFixture();

  @BeforeEach
  void warrenOnly() {
    assumeFalse(TestBroker.isExternal(), "Warren-only: policies set through its Java entry");
  }

  @Test
  void aTtlPolicyExpiresMessagesQueuedBeforeItByTheirAge() throws Exception {
    String q = fixture.queue("policy-it.old-messages");
    for (int i = 0; i < 3; i++) {
      fixture.publish(q, "old" + i);
    }
    fixture.awaitCount(q, 3, "three messages queued without a TTL");
    Poll.letTimePass(Duration.ofSeconds(2));
    fixture.publish(q, "young");
    fixture.awaitCount(q, 4, "four queued");
    // 1.5 s: the young one outlives setting the policy, however slow the store is today.
    fixture.policy("ttl", exactly(q), "queues", 0, Map.of("message-ttl", 1500));
    fixture.awaitCount(q, 1, "the three older than 1.5 s gone at once");
    fixture.awaitCount(q, 0, "the young one 1.5 s after it was queued");
  }

  @Test
  void theEffectivePolicyNamesThePolicyAndOperatorPolicyAndTheirMergedDefinition()
      throws Exception {
    fixture.policy(
        "p-low", startingWith("policy-it.effective"), "all", 0, Map.of("max-length", 100));
    fixture.policy(
        "p-high",
        startingWith("policy-it.effective"),
        "queues",
        1,
        Map.of("max-length", 10, "message-ttl", 5000, "alternate-exchange", "ae"));
    fixture.operatorPolicy(
        "cap",
        startingWith("policy-it.effective"),
        "queues",
        0,
        Map.of("max-length", 3, "expires", 60000));
    Policies policies = fixture.warren().broker().policies();
    EffectivePolicy queue = policies.forQueue("/", "policy-it.effective.q");
    assertEquals("p-high", queue.policy());
    assertEquals("cap", queue.operatorPolicy());
    assertEquals(
        Map.of(
            "alternate-exchange", "ae", "expires", 60000L, "max-length", 3L, "message-ttl", 5000L),
        queue.definition());
    EffectivePolicy exchange = policies.forExchange("/", "policy-it.effective.x");
    assertEquals("p-low", exchange.policy(), "p-high applies to queues only");
    assertNull(exchange.operatorPolicy(), "cap applies to queues only");
    assertEquals(EffectivePolicy.NONE, policies.forQueue("/", "other"));
    fixture.admin().clearPolicy("p-high");
    assertEquals(
        Map.of("expires", 60000L, "max-length", 3L),
        policies.forQueue("/", "policy-it.effective.q").definition());
    assertEquals(
        List.of("p-low"), policies.vhost("/").policies().stream().map(Policy::name).toList());
  }

  @Test
  void policiesLimitsAndParametersSurviveARestartAndApplyToTheQueuesRebuilt() throws Exception {
    PolicyAdmin admin = fixture.admin();
    admin.setPolicy(
        "durable",
        startingWith("policy-it.restart"),
        "all",
        3,
        Map.of("max-length", 5, "alternate-exchange", "policy-it.restart.ae"));
    admin.setOperatorPolicy(
        "durable-cap", startingWith("policy-it.restart"), "queues", 0, Map.of("max-length", 2));
    admin.setVhostLimits("/", Map.of("max-queues", 3));
    admin.setGlobalParameter("cluster_name", "restarted");
    Channel ch = fixture.channel();
    ch.queueDeclare("policy-it.restart.q", true, false, false, null);
    ch.exchangeDeclare("policy-it.restart.x", "direct", true);
    ch.exchangeDeclare("policy-it.restart.ae", "fanout", true);
    ch.queueDeclare("policy-it.restart.caught", true, false, false, null);
    ch.queueDeclare("policy-it.restart.third", true, false, false, null);
    ch.queueBind("policy-it.restart.caught", "policy-it.restart.ae", "");
    fixture.warren().restart();

    Policies policies = fixture.warren().broker().policies();
    assertEquals("durable", policies.forQueue("/", "policy-it.restart.q").policy());
    assertEquals("durable-cap", policies.forQueue("/", "policy-it.restart.q").operatorPolicy());
    assertEquals(3, policies.limits("/").maxQueues());
    try (Connection c = admin.factory().newConnection()) {
      assertEquals("restarted", String.valueOf(c.getServerProperties().get("cluster_name")));
      Channel after = c.createChannel();
      for (int i = 0; i < 4; i++) {
        after.basicPublish("", "policy-it.restart.q", null, ("m" + i).getBytes());
      }
      Poll.until(
          PolicyFixture.WAIT,
          () -> after.queueDeclarePassive("policy-it.restart.q").getMessageCount() == 2,
          "the operator policy's cap on the rebuilt queue");
      after.basicPublish("policy-it.restart.x", "nowhere", null, "unroutable".getBytes());
      Poll.until(
          PolicyFixture.WAIT,
          () -> after.queueDeclarePassive("policy-it.restart.caught").getMessageCount() == 1,
          "the policy's alternate exchange on the rebuilt exchange");
      AMQP.Channel.Close refused =
          AmqpErrors.channelClose(
              after,
              () -> after.queueDeclare("policy-it.restart.fourth", false, false, false, null));
      assertEquals(406, refused.getReplyCode(), "three queues: the limit held");
    }
    admin.clearPolicy("durable");
    admin.clearOperatorPolicy("durable-cap");
    admin.clearVhostLimits("/");
    admin.clearGlobalParameter("cluster_name");
    try (Connection c = admin.factory().newConnection()) {
      Channel cleanup = c.createChannel();
      cleanup.queueDelete("policy-it.restart.q");
      cleanup.queueDelete("policy-it.restart.caught");
      cleanup.queueDelete("policy-it.restart.third");
      cleanup.exchangeDelete("policy-it.restart.x");
      cleanup.exchangeDelete("policy-it.restart.ae");
    }
  }

  @Test
  void aDeletedVhostTakesItsPoliciesAndLimitsWithIt() throws Exception {
    String vhost = "policy-it-deleted";
    assertEquals(201, http("PUT", "/api/vhosts/" + vhost));
    PolicyChanges changes = fixture.warren().broker().policyChanges();
    changes.putPolicy(vhost, "p", ".*", "all", 0, Map.of("max-length", 1)).join();
    changes.putOperatorPolicy(vhost, "op", ".*", "queues", 0, Map.of("max-length", 1)).join();
    changes.setVhostLimits(vhost, Map.of("max-queues", 0)).join();
    assertEquals(204, http("DELETE", "/api/vhosts/" + vhost));
    assertEquals(201, http("PUT", "/api/vhosts/" + vhost));
    Policies policies = fixture.warren().broker().policies();
    assertEquals(EffectivePolicy.NONE, policies.forQueue(vhost, "q"), "none came back");
    assertEquals(VhostLimits.NONE, policies.limits(vhost));
    fixture.warren().restart();
    policies = fixture.warren().broker().policies();
    assertEquals(EffectivePolicy.NONE, policies.forQueue(vhost, "q"), "nor from the store");
    assertEquals(VhostLimits.NONE, policies.limits(vhost));
    assertEquals(204, http("DELETE", "/api/vhosts/" + vhost));
  }

  /** A management API request as guest, without a body of interest; returns the status. */
  private static int http(String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + fixture.warren().broker().managementPort() + path))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    return HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void aPolicyForAVhostThatDoesNotExistIsRefused() {
    PolicyChanges changes = fixture.warren().broker().policyChanges();
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> {
              try {
                changes.putPolicy("nowhere", "p", ".*", "all", 0, Map.of("max-length", 1)).join();
              } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause();
              }
            });
    assertEquals("vhost 'nowhere' does not exist", refused.getMessage());
  }
}
