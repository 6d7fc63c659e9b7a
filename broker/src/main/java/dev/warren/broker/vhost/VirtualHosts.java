package dev.warren.broker.vhost;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The broker's virtual hosts by name. Thread-safe. */
public final class VirtualHosts {
  private final ConcurrentHashMap<String, VirtualHost> byName = new ConcurrentHashMap<>();

  public VirtualHost create(String name) {
    return byName.computeIfAbsent(name, VirtualHost::new);
  }

  public Optional<VirtualHost> lookup(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
