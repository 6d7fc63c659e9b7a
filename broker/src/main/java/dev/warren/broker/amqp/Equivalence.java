package dev.warren.broker.amqp;

import dev.warren.queue.QueueDefinition;
import dev.warren.routing.Exchange;
import java.util.Optional;

/**
 * Whether a redeclaration matches what exists, by RabbitMQ's rules, and if not RabbitMQ's text for
 * the refusal ({@code "inequivalent arg '<field>' for queue '<q>' in vhost '<v>': received ... but
 * current is ..."}): 406 PRECONDITION_FAILED over AMQP, 400 over the management API. Stateless.
 */
public final class Equivalence {
  private Equivalence() {}

  /**
   * The refusal of {@code wanted} by {@code existing}, or empty when equivalent: type, flags and
   * the alternate-exchange argument are compared, the first that differs is named.
   */
  public static Optional<String> exchange(Exchange existing, Exchange wanted, String vhost) {
    return existing
        .inequivalentProperty(wanted)
        .map(
            field ->
                "inequivalent arg '"
                    + field
                    + "' for exchange '"
                    + existing.name()
                    + "' in vhost '"
                    + vhost
                    + "': received "
                    + describe(field, wanted)
                    + " but current is "
                    + describe(field, existing));
  }

  private static String describe(String field, Exchange e) {
    return switch (field) {
      case "type" -> "'" + e.type().wireName() + "'";
      case "durable" -> "'" + e.durable() + "'";
      case "auto_delete" -> "'" + e.autoDelete() + "'";
      case "internal" -> "'" + e.internal() + "'";
      default -> "'" + e.arguments().get(field) + "'";
    };
  }

  /**
   * The refusal of {@code wanted} by {@code existing}, or empty when equivalent: durable, then
   * auto_delete, then the {@code x-} arguments ({@link QueueEquivalence}). Exclusivity is the
   * caller's check (a different refusal, RESOURCE_LOCKED).
   */
  public static Optional<String> queue(
      QueueDefinition existing, QueueDefinition wanted, String vhost) {
    String field = null;
    String how = null;
    if (existing.durable() != wanted.durable()) {
      field = "durable";
      how = received(wanted.durable(), existing.durable());
    } else if (existing.autoDelete() != wanted.autoDelete()) {
      field = "auto_delete";
      how = received(wanted.autoDelete(), existing.autoDelete());
    } else {
      QueueEquivalence.Difference d =
          QueueEquivalence.firstDifference(existing.arguments(), wanted.arguments());
      if (d != null) {
        field = d.key();
        how = d.description();
      }
    }
    if (field == null) {
      return Optional.empty();
    }
    return Optional.of(
        "inequivalent arg '"
            + field
            + "' for queue '"
            + existing.name()
            + "' in vhost '"
            + vhost
            + "': "
            + how);
  }

  private static String received(Object now, Object was) {
    return "received '" + now + "' but current is '" + was + "'";
  }
}
