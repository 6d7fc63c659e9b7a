package dev.warren.broker.vhost;

import dev.warren.queue.Confirmation;
import dev.warren.queue.Message;
import dev.warren.queue.MessageQueue;
import dev.warren.routing.Destination;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The queues one message was routed to, and handing it to them: what publishing and dead-lettering
 * share. A route gives queue destinations; each carries the queue its binding was made with, and
 * the default exchange's are looked up by name, once.
 *
 * <p>Not thread-safe: one per thread that routes (a channel keeps one and reuses it).
 */
public final class QueueTargets {
  private final Set<Destination> routed = new HashSet<>();
  private final List<MessageQueue> queues = new ArrayList<>();

  /** Empties the targets and returns the set a route fills. */
  public Set<Destination> routeInto() {
    routed.clear();
    queues.clear();
    return routed;
  }

  /**
   * Resolves what the route reached to queues, keeping those whose names {@code keep} accepts.
   * Returns how many there are.
   */
  public int resolve(VirtualHost vhost, Predicate<String> keep) {
    for (Destination d : routed) {
      MessageQueue queue = d.target() instanceof MessageQueue bound ? bound : vhost.queue(d.name());
      if (queue != null && keep.test(d.name())) {
        queues.add(queue);
      }
    }
    return queues.size();
  }

  /** As {@link #resolve(VirtualHost, Predicate)}, keeping them all. */
  public int resolve(VirtualHost vhost) {
    return resolve(vhost, name -> true);
  }

  public int size() {
    return queues.size();
  }

  public List<MessageQueue> queues() {
    return queues;
  }

  /**
   * Hands {@code message} to every target, each taking a reference of its own (the caller keeps its
   * own). Each settles {@code confirm} (may be null) once the message is safe there, and runs
   * {@code taken} once it took it in.
   */
  public void publish(Message message, Confirmation confirm, Runnable taken) {
    for (MessageQueue queue : queues) {
      queue.publish(message.retain(), confirm, taken);
    }
  }
}
