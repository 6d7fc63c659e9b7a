package dev.warren.broker.vhost;

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

  public VirtualHosts(VirtualHost.RemovalListener removalListener) {
    this.removalListener = removalListener;
  }

  public VirtualHost create(String name) {
    return byName.computeIfAbsent(name, n -> new VirtualHost(n, removalListener));
  }

  public Collection<VirtualHost> all() {
    return byName.values();
  }

  public Optional<VirtualHost> lookup(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
