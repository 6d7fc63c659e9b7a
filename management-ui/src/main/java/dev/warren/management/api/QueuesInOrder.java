package dev.warren.management.api;

import dev.warren.management.spi.ManagementBackend;
import dev.warren.management.spi.NameOrder;
import dev.warren.management.spi.QueueInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * The queues of some virtual hosts in one of the two orders RabbitMQ's queue list has by default,
 * read off the backend's name-sorted {@link ManagementBackend#queueNames} as the caller goes: by
 * vhost then name (one vhost after the other), or by name then vhost (the vhosts' names merged).
 * Only the queues read are looked up, so the first page of 100,000 queues costs 100 lookups. A
 * queue deleted since its name was read is skipped.
 */
final class QueuesInOrder implements Iterator<QueueInfo> {
  /** A vhost's names, with the next one read. */
  private record Cursor(String vhost, String name, Iterator<String> rest) {}

  private final ManagementBackend backend;
  private final PriorityQueue<Cursor> cursors;
  private QueueInfo next;

  /**
   * @param byVhost vhost then name; otherwise name then vhost
   * @param descending the whole order reversed
   */
  QueuesInOrder(
      ManagementBackend backend, List<String> vhosts, boolean byVhost, boolean descending) {
    this.backend = backend;
    Comparator<Cursor> vhostFirst =
        Comparator.comparing(Cursor::vhost, NameOrder.UTF8)
            .thenComparing(Cursor::name, NameOrder.UTF8);
    Comparator<Cursor> nameFirst =
        Comparator.comparing(Cursor::name, NameOrder.UTF8)
            .thenComparing(Cursor::vhost, NameOrder.UTF8);
    Comparator<Cursor> order = byVhost ? vhostFirst : nameFirst;
    this.cursors =
        new PriorityQueue<>(Math.max(1, vhosts.size()), descending ? order.reversed() : order);
    List<Cursor> heads = new ArrayList<>(vhosts.size());
    for (String vhost : vhosts) {
      advance(vhost, backend.queueNames(vhost, descending)).ifPresent(heads::add);
    }
    cursors.addAll(heads);
  }

  private static Optional<Cursor> advance(String vhost, Iterator<String> names) {
    return names.hasNext() ? Optional.of(new Cursor(vhost, names.next(), names)) : Optional.empty();
  }

  @Override
  public boolean hasNext() {
    while (next == null && !cursors.isEmpty()) {
      Cursor c = cursors.poll();
      advance(c.vhost(), c.rest()).ifPresent(cursors::add);
      next = backend.queue(c.vhost(), c.name()).orElse(null);
    }
    return next != null;
  }

  @Override
  public QueueInfo next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    QueueInfo q = next;
    next = null;
    return q;
  }
}
