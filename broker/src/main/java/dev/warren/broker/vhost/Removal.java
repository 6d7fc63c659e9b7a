package dev.warren.broker.vhost;

import dev.warren.queue.MessageQueue;
import dev.warren.routing.Binding;
import dev.warren.routing.Exchange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one change takes out of a virtual host, worked out before anything changes: the queue
 * forgotten, the exchanges deleted (auto-delete cascades included) and every binding that goes with
 * them. The metadata thread stores the removal first, then applies it to memory ({@link
 * VirtualHost#apply}); nothing can change the virtual host in between, since that thread is the
 * only one that does.
 *
 * <p>Thread: made and used on the metadata thread.
 */
public final class Removal {
  private final List<MessageQueue> queues = new ArrayList<>(1);
  private final List<Exchange> exchanges = new ArrayList<>(1);
  private final Set<Binding> bindings = new LinkedHashSet<>();
  private final Map<String, Integer> removedFrom = new HashMap<>();

  void queue(MessageQueue queue) {
    queues.add(queue);
  }

  void exchange(Exchange exchange) {
    exchanges.add(exchange);
  }

  /** Adds a binding; false if it is in already. */
  boolean binding(Binding binding) {
    if (!bindings.add(binding)) {
      return false;
    }
    removedFrom.merge(binding.source(), 1, Integer::sum);
    return true;
  }

  /** Whether the exchange is deleted by this removal. */
  boolean deletes(Exchange exchange) {
    return exchanges.contains(exchange);
  }

  /** How many bindings of {@code source} this removal takes. */
  int bindingsRemovedFrom(String source) {
    return removedFrom.getOrDefault(source, 0);
  }

  public List<MessageQueue> queues() {
    return queues;
  }

  public List<Exchange> exchanges() {
    return exchanges;
  }

  public Set<Binding> bindings() {
    return bindings;
  }

  public boolean isEmpty() {
    return queues.isEmpty() && exchanges.isEmpty() && bindings.isEmpty();
  }
}
