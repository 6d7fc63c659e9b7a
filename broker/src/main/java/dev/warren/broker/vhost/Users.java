package dev.warren.broker.vhost;

import dev.warren.persistence.definitions.PasswordHash;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's users, their permissions, and the check of their credentials, as rebuilt from the
 * definitions store at start-up. Passwords are kept only as salted hashes ({@link PasswordHash},
 * RabbitMQ's format). A user marked loopback-only (RabbitMQ's {@code loopback_users}, guest by
 * default) may only connect from a loopback address. Thread-safe.
 */
public final class Users {
  /** A user: name, password hash, tags (e.g. administrator), and whether it is loopback-only. */
  public record User(String name, String passwordHash, List<String> tags, boolean loopbackOnly) {
    public User {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(passwordHash, "passwordHash");
      tags = List.copyOf(tags);
    }
  }

  /** What a user may do in a virtual host: RabbitMQ's configure, write and read patterns. */
  public record Permission(String configure, String write, String read) {}

  private final ConcurrentHashMap<String, User> byName = new ConcurrentHashMap<>();

  /** Per user, per virtual host. */
  private final ConcurrentHashMap<String, Map<String, Permission>> permissions =
      new ConcurrentHashMap<>();

  public void add(User user) {
    byName.put(user.name(), user);
  }

  public void setPermission(String user, String vhost, Permission permission) {
    permissions.computeIfAbsent(user, u -> new ConcurrentHashMap<>()).put(vhost, permission);
  }

  /** The user's permissions in the virtual host; empty means no access to it at all. */
  public Optional<Permission> permission(String user, String vhost) {
    Map<String, Permission> byVhost = permissions.get(user);
    return byVhost == null ? Optional.empty() : Optional.ofNullable(byVhost.get(vhost));
  }

  /** The user if the password is right and the peer address allowed, else empty. */
  public Optional<User> authenticate(String name, String password, SocketAddress peer) {
    User user = byName.get(name);
    if (user == null || !PasswordHash.check(password, user.passwordHash())) {
      return Optional.empty();
    }
    if (user.loopbackOnly() && !isLoopback(peer)) {
      return Optional.empty();
    }
    return Optional.of(user);
  }

  private static boolean isLoopback(SocketAddress peer) {
    if (peer instanceof InetSocketAddress inet) {
      InetAddress address = inet.getAddress();
      return address != null && address.isLoopbackAddress();
    }
    return true;
  }
}
