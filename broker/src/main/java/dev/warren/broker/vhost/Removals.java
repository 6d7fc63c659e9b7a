package dev.warren.broker.vhost;

import dev.warren.queue.MessageQueue;
import dev.warren.routing.Binding;
import dev.warren.routing.Exchange;
import java.util.ArrayList;
import java.util.List;

/**
 * What one change removed from a virtual host's memory that the definitions store keeps (see {@link
 * Durability}): the queue forgotten, the exchanges deleted (auto-delete cascades included) and the
 * binding removed by an unbind. Bindings that go with their queue or exchange are not listed: the
 * store removes those itself. The caller hands it to the metadata thread, which removes the same
 * things from the store.
 *
 * <p>Thread: filled by the thread making the change, then handed over (through an executor) and
 * only read.
 */
public final class Removals {
  private final List<MessageQueue> queues = new ArrayList<>(1);
  private final List<Exchange> exchanges = new ArrayList<>(1);
  private final List<Binding> bindings = new ArrayList<>(1);

  void queue(MessageQueue queue) {
    queues.add(queue);
  }

  void exchange(Exchange exchange) {
    exchanges.add(exchange);
  }

  void binding(Binding binding) {
    bindings.add(binding);
  }

  public List<MessageQueue> queues() {
    return queues;
  }

  public List<Exchange> exchanges() {
    return exchanges;
  }

  public List<Binding> bindings() {
    return bindings;
  }

  /** True when nothing stored was removed: the store need not be told. */
  public boolean isEmpty() {
    return queues.isEmpty() && exchanges.isEmpty() && bindings.isEmpty();
  }
}
