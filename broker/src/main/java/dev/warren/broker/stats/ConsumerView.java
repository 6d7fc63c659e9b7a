package dev.warren.broker.stats;

import java.util.Locale;
import java.util.Map;

/**
 * A consumer as the management API lists it ({@code /api/consumers}). Everything but {@link
 * #activity} is fixed at basic.consume; the activity changes on the queue's thread when a single
 * active consumer hands over. Any thread may read it.
 */
public interface ConsumerView {
  String vhost();

  String queueName();

  String tag();

  /** Not no-ack: deliveries wait for an ack ({@code ack_required}). */
  boolean ackRequired();

  boolean exclusive();

  /** The prefetch-count it was given at basic.consume; 0 for none ({@code prefetch_count}). */
  int prefetch();

  /** The basic.consume arguments, as AMQP field values. */
  Map<String, Object> arguments();

  Activity activity();

  /** RabbitMQ's {@code activity_status}; only {@link #UP} and {@link #SINGLE_ACTIVE} receive. */
  enum Activity {
    UP,
    SINGLE_ACTIVE,
    WAITING;

    /**
     * The name in RabbitMQ's management API: {@code up}, {@code single_active}, {@code waiting}.
     */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public boolean active() {
      return this != WAITING;
    }
  }
}
