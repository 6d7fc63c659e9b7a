package dev.warren.broker.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * Queues declared, created and deleted since the broker started: RabbitMQ's queue churn ({@code
 * queue_declared}, {@code queue_created}, {@code queue_deleted} of {@code /api/overview}'s
 * churn_rates; {@code rabbitmq_queues_*_total} in Prometheus). Counted by the definitions writer
 * ({@code DefinitionChanges}) as each change is applied; a declare that finds its queue counts as
 * declared only, as in RabbitMQ.
 *
 * <p>Thread-safe: whichever thread applies a definitions change counts; any thread reads.
 */
public final class QueueChurn {
  private final LongAdder declared = new LongAdder();
  private final LongAdder created = new LongAdder();
  private final LongAdder deleted = new LongAdder();

  /** A queue.declare (or an API or definitions declare) succeeded; {@code made}: a new queue. */
  public void declared(boolean made) {
    declared.increment();
    if (made) {
      created.increment();
    }
  }

  /** {@code n} queues left their virtual host. */
  public void deleted(int n) {
    if (n > 0) {
      deleted.add(n);
    }
  }

  public long declared() {
    return declared.sum();
  }

  public long created() {
    return created.sum();
  }

  public long deleted() {
    return deleted.sum();
  }
}
