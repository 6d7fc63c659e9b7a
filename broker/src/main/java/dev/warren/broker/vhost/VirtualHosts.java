package dev.warren.broker.vhost;

import dev.warren.queue.MemoryLedger;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's virtual hosts by name. Thread-safe. Each is created with the listener told of the
 * removals it makes by itself (see {@link VirtualHost.RemovalListener}).
 */
public final class VirtualHosts {
  private final ConcurrentHashMap<String, VirtualHost> byName = new ConcurrentHashMap<>();
  private final VirtualHost.RemovalListener removalListener;
  private final MemoryLedger ledger;

  /**
   * @param ledger where the queues of every virtual host count the heap they hold
   */
  public VirtualHosts(VirtualHost.RemovalListener removalListener, MemoryLedger ledger) {
    this.removalListener = removalListener;
    this.ledger = ledger;
  }

  public VirtualHost create(String name) {
    return byName.computeIfAbsent(name, n -> new VirtualHost(n, removalListener, ledger));
  }

  public Collection<VirtualHost> all() {
    return byName.values();
  }

  public Optional<VirtualHost> lookup(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
