package dev.warren.broker.access;

import dev.warren.persistence.definitions.PasswordHash;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Users, their permissions and topic permissions per virtual host, and the counts their limits
 * bound: RabbitMQ's internal access control, in memory. The metadata writer changes it after the
 * definitions store has the change; event loops read it (authentication at connection.start-ok,
 * {@link Grants} at every checked operation) without locks.
 */
public final class AccessControl {

  /** The users who may connect only from a loopback address (RabbitMQ's loopback_users). */
  private final Set<String> loopbackUsers;

  private final ConcurrentHashMap<String, User> users = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<SlotKey, Slot> slots = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> connectionsPerUser =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> channelsPerUser = new ConcurrentHashMap<>();

  public AccessControl(Set<String> loopbackUsers) {
    this.loopbackUsers = Set.copyOf(loopbackUsers);
  }

  private record SlotKey(String user, String vhost) {}

  /**
   * What a user may do in one virtual host, updated in place so that open connections see changes:
   * {@code permission} null means no access; {@code topics} maps exchange names.
   */
  static final class Slot {
    volatile Permission permission;
    volatile Map<String, TopicPermission> topics = Map.of();
  }

  private Slot slot(String user, String vhost) {
    return slots.computeIfAbsent(new SlotKey(user, vhost), k -> new Slot());
  }

  // ---- reads: any thread ----

  /**
   * The user, if the password is right for its stored hash and the peer may log in as it (a
   * loopback user only from a loopback address). A user with an empty hash cannot log in with a
   * password.
   */
  public Optional<User> authenticate(String name, String password, SocketAddress peer) {
    User user = users.get(name);
    if (user == null
        || user.passwordHash().isEmpty()
        || !PasswordHash.check(password, user.passwordHash(), user.hashingAlgorithm())) {
      return Optional.empty();
    }
    return allowedFrom(user, peer);
  }

  /**
   * The user named by a client certificate the TLS listener verified (SASL EXTERNAL: the
   * certificate, not a password, is the proof), if it exists and the peer may log in as it.
   */
  public Optional<User> authenticateByCertificate(String name, SocketAddress peer) {
    User user = users.get(name);
    return user == null ? Optional.empty() : allowedFrom(user, peer);
  }

  /** The user, unless it may connect from loopback only and the peer is elsewhere. */
  private Optional<User> allowedFrom(User user, SocketAddress peer) {
    if (loopbackUsers.contains(user.name()) && !isLoopback(peer)) {
      return Optional.empty();
    }
    return Optional.of(user);
  }

  /** The user of that name, if there is one. */
  public Optional<User> user(String name) {
    return Optional.ofNullable(users.get(name));
  }

  public Collection<User> users() {
    return List.copyOf(users.values());
  }

  public boolean isLoopbackOnly(String user) {
    return loopbackUsers.contains(user);
  }

  /**
   * What the user may do in the vhost from now on, as a connection opening it sees it; empty when
   * the user has no permissions there (RabbitMQ refuses connection.open then).
   *
   * @param clientId the value of {@code {client_id}} in topic permissions
   */
  public Optional<Grants> grants(User user, String vhost, String clientId) {
    Slot slot = slots.get(new SlotKey(user.name(), vhost));
    if (slot == null || slot.permission == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Grants(user, slot, new TopicPermission.Variables(user.name(), vhost, clientId)));
  }

  /** A user's permission in a vhost, if set. */
  public Optional<Permission> permission(String user, String vhost) {
    Slot slot = slots.get(new SlotKey(user, vhost));
    return slot == null ? Optional.empty() : Optional.ofNullable(slot.permission);
  }

  /** Every permission set: (user, vhost) and the permission. */
  public List<Map.Entry<List<String>, Permission>> permissions() {
    List<Map.Entry<List<String>, Permission>> all = new ArrayList<>();
    slots.forEach(
        (key, slot) -> {
          Permission p = slot.permission;
          if (p != null) {
            all.add(Map.entry(List.of(key.user(), key.vhost()), p));
          }
        });
    return all;
  }

  /** Every topic permission set: (user, vhost) and the permission. */
  public List<Map.Entry<List<String>, TopicPermission>> topicPermissions() {
    List<Map.Entry<List<String>, TopicPermission>> all = new ArrayList<>();
    slots.forEach(
        (key, slot) ->
            slot.topics
                .values()
                .forEach(t -> all.add(Map.entry(List.of(key.user(), key.vhost()), t))));
    return all;
  }

  // ---- user limits: connection and channel counts, any thread ----

  /**
   * Counts a new connection of the user unless its max-connections is reached; false refuses it.
   * Each true is matched by one {@link #connectionClosed}.
   */
  public boolean connectionOpened(User user) {
    return admit(connectionsPerUser, user.name(), limitOf(user.name(), true));
  }

  public void connectionClosed(User user) {
    release(connectionsPerUser, user.name());
  }

  /** Counts a new channel of the user unless its max-channels is reached; false refuses it. */
  public boolean channelOpened(User user) {
    return admit(channelsPerUser, user.name(), limitOf(user.name(), false));
  }

  public void channelClosed(User user) {
    release(channelsPerUser, user.name());
  }

  /** Connections the user has open now. */
  public long connections(String user) {
    AtomicLong count = connectionsPerUser.get(user);
    return count == null ? 0 : count.get();
  }

  /** The user's limit as now stored (limits change while connections are open), -1 for none. */
  private long limitOf(String name, boolean connections) {
    User now = users.get(name);
    if (now == null) {
      return -1;
    }
    return connections ? now.maxConnections() : now.maxChannels();
  }

  static boolean admit(ConcurrentHashMap<String, AtomicLong> counts, String key, long limit) {
    AtomicLong count = counts.computeIfAbsent(key, k -> new AtomicLong());
    while (true) {
      long now = count.get();
      if (limit >= 0 && now >= limit) {
        return false;
      }
      if (count.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  static void release(ConcurrentHashMap<String, AtomicLong> counts, String key) {
    AtomicLong count = counts.get(key);
    if (count != null) {
      count.decrementAndGet();
    }
  }

  // ---- changes: the metadata writer, after the store ----

  public void putUser(User user) {
    users.put(user.name(), user);
  }

  /** Removes the user with its permissions and topic permissions. */
  public void deleteUser(String name) {
    users.remove(name);
    slots.forEach(
        (key, slot) -> {
          if (key.user().equals(name)) {
            slot.permission = null;
            slot.topics = Map.of();
          }
        });
  }

  public void setPermission(String user, String vhost, Permission permission) {
    slot(user, vhost).permission = permission;
  }

  public void clearPermission(String user, String vhost) {
    Slot slot = slots.get(new SlotKey(user, vhost));
    if (slot != null) {
      slot.permission = null;
    }
  }

  public void setTopicPermission(String user, String vhost, TopicPermission permission) {
    Slot slot = slot(user, vhost);
    Map<String, TopicPermission> topics = new HashMap<>(slot.topics);
    topics.put(permission.exchange(), permission);
    slot.topics = Map.copyOf(topics);
  }

  /** Clears the user's topic permissions in the vhost on one exchange, or all for "". */
  public void clearTopicPermissions(String user, String vhost, String exchange) {
    Slot slot = slots.get(new SlotKey(user, vhost));
    if (slot == null) {
      return;
    }
    if (exchange.isEmpty()) {
      slot.topics = Map.of();
    } else {
      Map<String, TopicPermission> topics = new HashMap<>(slot.topics);
      topics.remove(exchange);
      slot.topics = Map.copyOf(topics);
    }
  }

  /** A vhost is gone: nobody has permissions there any more. */
  public void vhostDeleted(String vhost) {
    slots.forEach(
        (key, slot) -> {
          if (key.vhost().equals(vhost)) {
            slot.permission = null;
            slot.topics = Map.of();
          }
        });
  }

  private static boolean isLoopback(SocketAddress peer) {
    if (peer instanceof InetSocketAddress inet) {
      InetAddress address = inet.getAddress();
      return address != null && address.isLoopbackAddress();
    }
    return true;
  }
}
