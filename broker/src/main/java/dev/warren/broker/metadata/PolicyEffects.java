package dev.warren.broker.metadata;

import dev.warren.broker.policy.EffectivePolicy;
import dev.warren.broker.policy.PolicySettings;
import dev.warren.broker.policy.VhostPolicies;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.queue.MessageQueue;
import dev.warren.queue.QueueSettings;
import dev.warren.routing.Exchange;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policies put into effect on queues and exchanges: on those made from now on, and on the live ones
 * when the policies of their virtual host change. The metadata writer's only (it also makes queues
 * and exchanges, so a declaration and a policy change never cross): a live queue gets its new
 * settings through {@link MessageQueue#applySettings}, which applies them on the queue's own thread
 * (a shorter TTL expires what is already older, a lower limit drops at once); an exchange its
 * alternate exchange.
 */
final class PolicyEffects {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyEffects.class);

  private PolicyEffects() {}

  /** The settings a queue made now starts with, given those its arguments declare. */
  static QueueSettings queueSettings(
      VhostPolicies policies, String queue, QueueSettings declared, Map<String, Object> arguments) {
    return PolicySettings.queue(declared, arguments, policies.forQueue(queue));
  }

  /** An exchange made now takes the alternate exchange of the policy that applies to it. */
  static void exchangeMade(VhostPolicies policies, Exchange exchange) {
    exchange.policyAlternateExchange(
        PolicySettings.alternateExchange(policies.forExchange(exchange.name())));
  }

  /**
   * Every exchange of the virtual host takes the alternate exchange its policy names (start-up).
   */
  static void exchangesMade(VirtualHost vhost, VhostPolicies policies) {
    for (Exchange x : vhost.exchanges().exchanges()) {
      exchangeMade(policies, x);
    }
  }

  /**
   * The virtual host's policies went from {@code before} to {@code after}: each queue and exchange
   * to which something else applies now takes it. Queues are told in the writer's order, so each
   * ends with the last change.
   */
  static void changed(VirtualHost vhost, VhostPolicies before, VhostPolicies after) {
    int queues = 0;
    for (MessageQueue q : vhost.queues()) {
      EffectivePolicy now = after.forQueue(q.name());
      if (q.isDeleted() || now.equals(before.forQueue(q.name()))) {
        continue;
      }
      // A live queue runs with its declared priorities, single active consumer and timeout.
      q.applySettings(PolicySettings.queue(q.settings(), q.definition().arguments(), now));
      queues++;
    }
    int exchanges = 0;
    for (Exchange x : vhost.exchanges().exchanges()) {
      String alternate = PolicySettings.alternateExchange(after.forExchange(x.name()));
      if (!Objects.equals(
          alternate, PolicySettings.alternateExchange(before.forExchange(x.name())))) {
        x.policyAlternateExchange(alternate);
        exchanges++;
      }
    }
    LOG.info(
        "policies of vhost '{}' changed: applied to {} queues and {} exchanges",
        vhost.name(),
        queues,
        exchanges);
  }
}
