package dev.warren.broker.vhost;

import dev.warren.queue.MemoryLedger;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's virtual hosts by name. Thread-safe. Each is created with the listener told of the
 * queues that delete themselves (see {@link VirtualHost.QueueGone}).
 */
public final class VirtualHosts {
  private final ConcurrentHashMap<String, VirtualHost> byName = new ConcurrentHashMap<>();
  private final VirtualHost.QueueGone queueGone;
  private final MemoryLedger ledger;

  /**
   * @param queueGone told when a queue of any virtual host deleted itself
   * @param ledger where the queues of every virtual host count the heap they hold
   */
  public VirtualHosts(VirtualHost.QueueGone queueGone, MemoryLedger ledger) {
    this.queueGone = queueGone;
    this.ledger = ledger;
  }

  public VirtualHost create(String name) {
    return byName.computeIfAbsent(name, n -> new VirtualHost(n, queueGone, ledger));
  }

  /** Removes the virtual host of that name (its deletion is stored); false if there was none. */
  public boolean remove(VirtualHost vhost) {
    return byName.remove(vhost.name(), vhost);
  }

  public Collection<VirtualHost> all() {
    return byName.values();
  }

  public Optional<VirtualHost> lookup(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
