package dev.warren.broker.vhost;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's users and the check of their credentials. A user marked loopback-only (RabbitMQ's
 * {@code loopback_users}, guest by default) may only connect from a loopback address.
 */
public final class Users {
  /** A user: name, password, and whether it may only log in from loopback. */
  public record User(String name, String password, boolean loopbackOnly) {}

  private final ConcurrentHashMap<String, User> byName = new ConcurrentHashMap<>();

  public void add(User user) {
    byName.put(user.name(), user);
  }

  /** The user if the password is right and the peer address allowed, else empty. */
  public Optional<User> authenticate(String name, String password, SocketAddress peer) {
    User user = byName.get(name);
    if (user == null
        || !MessageDigest.isEqual(
            user.password().getBytes(StandardCharsets.UTF_8),
            password.getBytes(StandardCharsets.UTF_8))) {
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
