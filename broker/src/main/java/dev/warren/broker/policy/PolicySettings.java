package dev.warren.broker.policy;

import dev.warren.queue.QueueSettings;
import dev.warren.queue.QueueSettings.Overflow;
import java.util.Map;

/**
 * A queue's settings from its declared arguments and the policy that applies, weighed as RabbitMQ's
 * classic queues weigh them (its {@code process_args_policy}): where both set a number ({@code
 * message-ttl}, {@code expires}, {@code max-length}, {@code max-length-bytes}, {@code
 * delivery-limit}) the lower applies; for {@code dead-letter-exchange}, {@code
 * dead-letter-routing-key} and {@code overflow} the argument wins. Priorities, single active
 * consumer and the consumer timeout come from the arguments only. An exchange's {@code
 * alternate-exchange} argument wins over the policy's (routing sees to that). Stateless.
 */
public final class PolicySettings {
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
        lower(number(arguments, "x-delivery-limit"), number(p, "delivery-limit")),
        declared.consumerTimeoutMillis());
  }

  /** The alternate exchange the policy names, or null. */
  public static String alternateExchange(EffectivePolicy policy) {
    return text(policy.definition(), "alternate-exchange");
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
