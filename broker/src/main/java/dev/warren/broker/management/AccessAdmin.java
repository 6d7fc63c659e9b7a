package dev.warren.broker.management;

import dev.warren.broker.access.AccessControl;
import dev.warren.broker.access.LoginThrottle;
import dev.warren.broker.access.User;
import dev.warren.broker.metadata.AccessChanges;
import dev.warren.management.spi.ManagementException;
import dev.warren.management.spi.Permission;
import dev.warren.management.spi.TopicPermission;
import dev.warren.management.spi.UserInfo;
import dev.warren.persistence.definitions.PasswordHash;
import dev.warren.persistence.definitions.PutUser;
import dev.warren.persistence.definitions.SetPermissions;
import dev.warren.persistence.definitions.SetTopicPermission;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Users, permissions, topic permissions and user limits for the management API: read from {@link
 * AccessControl}, changed through {@link AccessChanges} (stored, then in force for open connections
 * at their next operation). Logins have a {@link LoginThrottle} of their own, apart from the AMQP
 * listener's, so that a client failing to log in over one protocol does not lock out a tool using
 * the other from the same address. Management worker threads.
 */
final class AccessAdmin {
  private final AccessControl access;
  private final AccessChanges changes;
  private final LoginThrottle logins = new LoginThrottle();

  AccessAdmin(AccessControl access, AccessChanges changes) {
    this.access = access;
    this.changes = changes;
  }

  /**
   * Checks HTTP Basic credentials as AMQP's PLAIN: the stored hash, and loopback users only from a
   * loopback address. An address whose last failure is too recent is refused without a check, as
   * too many requests (429, with the wait), so that a right password typed at once after a wrong
   * one is not taken for wrong.
   */
  Optional<UserInfo> authenticate(String username, String password, InetAddress from) {
    long waitMillis = logins.waitMillis(from);
    if (waitMillis > 0) {
      throw ManagementException.tooManyRequests(
          "too many failed logins from this address: try again in " + waitMillis + " ms",
          waitMillis);
    }
    Optional<User> user = access.authenticate(username, password, new InetSocketAddress(from, 0));
    if (user.isEmpty()) {
      logins.failed(from);
      return Optional.empty();
    }
    logins.succeeded(from);
    return Optional.of(info(user.get()));
  }

  Collection<UserInfo> users() {
    List<UserInfo> users = new ArrayList<>();
    for (User u : access.users()) {
      users.add(info(u));
    }
    return users;
  }

  private static UserInfo info(User u) {
    return new UserInfo(u.name(), u.passwordHash(), u.hashingAlgorithm(), u.tags(), limits(u));
  }

  /** The limits set, by RabbitMQ's names; -1 is no limit and is not shown. */
  private static Map<String, Long> limits(User u) {
    Map<String, Long> limits = new HashMap<>();
    if (u.maxConnections() >= 0) {
      limits.put("max-connections", u.maxConnections());
    }
    if (u.maxChannels() >= 0) {
      limits.put("max-channels", u.maxChannels());
    }
    return limits;
  }

  /** Creates or replaces the user's hash, algorithm and tags; its limits stay. */
  boolean putUser(UserInfo user) {
    Map<String, Long> limits = access.user(user.name()).map(AccessAdmin::limits).orElse(Map.of());
    return store(user.name(), user.passwordHash(), user.hashingAlgorithm(), user.tags(), limits);
  }

  private boolean store(
      String name, String hash, String algorithm, List<String> tags, Map<String, Long> limits) {
    return Outcomes.await(changes.putUser(command(name, hash, algorithm, tags, limits)));
  }

  /**
   * The store's command for a user, checked: an algorithm RabbitMQ names and this broker computes,
   * a hash in base64, tags without commas, known limits (400 otherwise).
   */
  static PutUser command(
      String name, String hash, String algorithm, List<String> tags, Map<String, Long> limits) {
    if (!PasswordHash.isKnown(algorithm)) {
      throw ManagementException.badRequest("unknown hashing algorithm '" + algorithm + "'");
    }
    try {
      Base64.getDecoder().decode(hash);
      return new PutUser(name, hash, algorithm, tags, limits);
    } catch (IllegalArgumentException e) {
      throw ManagementException.badRequest(e.getMessage());
    }
  }

  void deleteUser(String name) {
    Outcomes.await(changes.deleteUser(name));
  }

  /** Sets one user limit; RabbitMQ's refusal for a name it does not know. */
  void setUserLimit(String user, String name, long value) {
    if (!PutUser.LIMIT_NAMES.contains(name)) {
      throw ManagementException.badRequest(
          "Unrecognised terms [{<<\"" + name + "\">>," + value + "}] in user-limits");
    }
    changeLimits(user, limits -> limits.put(name, value));
  }

  void clearUserLimit(String user, String name) {
    changeLimits(user, limits -> limits.remove(name));
  }

  private void changeLimits(String name, Consumer<Map<String, Long>> change) {
    User u =
        access.user(name).orElseThrow(() -> ManagementException.notFound("no user '" + name + "'"));
    Map<String, Long> limits = new HashMap<>(limits(u));
    change.accept(limits);
    store(u.name(), u.passwordHash(), u.hashingAlgorithm(), u.tags(), limits);
  }

  Collection<Permission> permissions() {
    List<Permission> all = new ArrayList<>();
    for (Map.Entry<List<String>, dev.warren.broker.access.Permission> e : access.permissions()) {
      dev.warren.broker.access.Permission p = e.getValue();
      all.add(
          new Permission(e.getKey().get(0), e.getKey().get(1), p.configure(), p.write(), p.read()));
    }
    return all;
  }

  boolean putPermission(Permission p) {
    boolean created = access.permission(p.user(), p.vhost()).isEmpty();
    Outcomes.await(
        checked(
            () ->
                changes.setPermissions(
                    new SetPermissions(p.user(), p.vhost(), p.configure(), p.write(), p.read()))));
    return created;
  }

  void deletePermission(String vhost, String user) {
    Outcomes.await(changes.clearPermissions(user, vhost));
  }

  Collection<TopicPermission> topicPermissions() {
    List<TopicPermission> all = new ArrayList<>();
    for (Map.Entry<List<String>, dev.warren.broker.access.TopicPermission> e :
        access.topicPermissions()) {
      dev.warren.broker.access.TopicPermission t = e.getValue();
      all.add(
          new TopicPermission(
              e.getKey().get(0), e.getKey().get(1), t.exchange(), t.write(), t.read()));
    }
    return all;
  }

  boolean putTopicPermission(TopicPermission p) {
    boolean created =
        topicPermissions().stream()
            .noneMatch(
                t ->
                    t.user().equals(p.user())
                        && t.vhost().equals(p.vhost())
                        && t.exchange().equals(p.exchange()));
    Outcomes.await(
        checked(
            () ->
                changes.setTopicPermission(
                    new SetTopicPermission(
                        p.user(), p.vhost(), p.exchange(), p.write(), p.read()))));
    return created;
  }

  void deleteTopicPermissions(String vhost, String user, Optional<String> exchange) {
    Outcomes.await(changes.clearTopicPermissions(user, vhost, exchange.orElse("")));
  }

  /** A change refused before it is submitted (an expression that does not compile) is a 400. */
  private static <T> T checked(Supplier<T> submit) {
    try {
      return submit.get();
    } catch (IllegalArgumentException e) {
      throw ManagementException.badRequest(e.getMessage());
    }
  }
}
