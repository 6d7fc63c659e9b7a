package dev.warren.broker.policy;

import dev.warren.queue.QueueSettings;
import dev.warren.queue.QueueSettings.Overflow;
import java.util.Map;

/**
 * A queue's settings from its declared arguments and the policy that applies, weighed as RabbitMQ's
 * classic queues weigh them (its {@code process_args_policy}): where both set a number ({@code
 * message-ttl}, {@code expires}, {@code max-length}, {@code max-length-bytes}) the lower applies;
 * for {@code dead-letter-exchange}, {@code dead-letter-routing-key} and {@code overflow} the
 * argument wins. Priorities, single active consumer and the consumer timeout come from the
 * arguments only. An exchange's {@code alternate-exchange} argument wins over the policy's (routing
 * sees to that). Stateless.
 *
 * <p>The delivery limit is weighed as RabbitMQ 4 weighs it: a negative value means unlimited; of
 * two values the lower applies unless one is negative, then the higher (the one that limits, if
 * any); a quorum queue for which neither sets one gets {@link #DEFAULT_QUORUM_DELIVERY_LIMIT}
 * (RabbitMQ 4.0+; 3.x had no default). Classic queues have none unless set (RabbitMQ has no limit
 * on them at all).
 */
public final class PolicySettings {
  /** RabbitMQ 4's delivery limit for a quorum queue that sets none. */
  public static final long DEFAULT_QUORUM_DELIVERY_LIMIT = 20;

  private PolicySettings() {}

  /**
   * The settings a queue runs with.
   *
   * @param declared the settings its arguments give (of which only priorities, single active
   *     consumer and consumer timeout are used: on a live queue these are what it runs with)
   * @param arguments its declared arguments, already checked ({@code QueueArguments})
   */
  public static QueueSettings queue(
      QueueSettings declared, Map<String, Object> arguments, EffectivePolicy policy) {
    Map<String, Object> p = policy.definition();
    return new QueueSettings(
        lower(number(arguments, "x-message-ttl"), number(p, "message-ttl")),
        lower(number(arguments, "x-expires"), number(p, "expires")),
        lower(number(arguments, "x-max-length"), number(p, "max-length")),
        lower(number(arguments, "x-max-length-bytes"), number(p, "max-length-bytes")),
        overflow(either(text(arguments, "x-overflow"), text(p, "overflow"))),
        either(text(arguments, "x-dead-letter-exchange"), text(p, "dead-letter-exchange")),
        either(text(arguments, "x-dead-letter-routing-key"), text(p, "dead-letter-routing-key")),
        declared.maxPriority(),
        declared.singleActiveConsumer(),
        deliveryLimit(arguments, p),
        declared.consumerTimeoutMillis());
  }

  /** The alternate exchange the policy names, or null. */
  public static String alternateExchange(EffectivePolicy policy) {
    return text(policy.definition(), "alternate-exchange");
  }

  /**
   * The delivery limit a queue runs with, -1 for none (as in {@link QueueSettings}); see the class
   * comment.
   */
  static long deliveryLimit(Map<String, Object> arguments, Map<String, Object> policy) {
    Long argument = integer(arguments, "x-delivery-limit");
    Long fromPolicy = integer(policy, "delivery-limit");
    Long limit;
    if (argument == null || fromPolicy == null) {
      limit = argument != null ? argument : fromPolicy;
    } else {
      limit = mergeDeliveryLimits(argument, fromPolicy);
    }
    if (limit == null) {
      boolean quorum = "quorum".equals(text(arguments, "x-queue-type"));
      return quorum ? DEFAULT_QUORUM_DELIVERY_LIMIT : -1;
    }
    return limit < 0 ? -1 : limit;
  }

  /**
   * Two delivery limits (argument and policy, or policy and operator policy) as one: the lower,
   * unless one is negative (unlimited), then the higher (RabbitMQ 4's "more conservative" value).
   */
  public static long mergeDeliveryLimits(long a, long b) {
    return a < 0 || b < 0 ? Math.max(a, b) : Math.min(a, b);
  }

  private static Long integer(Map<String, Object> values, String key) {
    return values.get(key) instanceof Number n ? n.longValue() : null;
  }

  /** -1 means unset, as in {@link QueueSettings}. */
  private static long lower(long argument, long policy) {
    if (argument < 0) {
      return policy;
    }
    return policy < 0 ? argument : Math.min(argument, policy);
  }

  private static String either(String argument, String policy) {
    return argument != null ? argument : policy;
  }

  private static long number(Map<String, Object> values, String key) {
    return values.get(key) instanceof Number n ? n.longValue() : -1;
  }

  /** A string value (an argument may be a {@code LongString}), or null. */
  private static String text(Map<String, Object> values, String key) {
    Object v = values.get(key);
    return v == null || v instanceof Number || v instanceof Boolean ? null : v.toString();
  }

  private static Overflow overflow(String name) {
    if (name == null) {
      return Overflow.DROP_HEAD;
    }
    return switch (name) {
      case "reject-publish" -> Overflow.REJECT_PUBLISH;
      case "reject-publish-dlx" -> Overflow.REJECT_PUBLISH_DLX;
      default -> Overflow.DROP_HEAD;
    };
  }
}
