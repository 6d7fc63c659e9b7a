package dev.warren.management.spi;

import java.net.InetAddress;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the management API needs from a broker; the broker implements it.
 *
 * <p>Threads: the API calls every method from its own worker threads (never from a Netty event loop
 * of the broker) and from its sampler thread, concurrently.
 *
 * <p>Reads return immutable snapshots and must be cheap: they read figures each owner has published
 * (volatile fields, concurrent maps) and never wait for a queue's or a connection's thread. The
 * sampler reads {@link #queues()}, {@link #exchanges()}, {@link #connections()}, {@link
 * #channels()} and {@link #vhosts()} every few seconds whatever the number of objects.
 *
 * <p>Changes may block the calling worker until they are applied (and stored, for durable
 * definitions). They throw {@link ManagementException} with RabbitMQ's reason text when refused; a
 * missing virtual host is {@link ManagementException.Kind#NOT_FOUND}.
 */
public interface ManagementBackend {

  // ---- the node ----

  NodeInfo node();

  /**
   * Removes the stopped node {@code node} from this node's cluster (forget_cluster_node); blocking
   * until the cluster committed it.
   *
   * @throws ManagementException NOT_FOUND for a node not in the cluster (or no cluster),
   *     BAD_REQUEST when refused (the node runs, the majority would be lost), UNAVAILABLE when the
   *     cluster did not commit it; the reason says which
   */
  default void forgetClusterNode(String node) {
    throw ManagementException.notFound("this node is not in a cluster");
  }

  /**
   * The other nodes of this node's cluster, running or not; empty for a single node. Cheap: what
   * the node last found, with no round trip to the others.
   */
  default List<ClusterNode> clusterNodes() {
    return List.of();
  }

  /** Alarms in force on this node: {@code memory}, {@code disk}. Empty when none. */
  List<String> alarms();

  // ---- authentication ----

  /**
   * The user whose name and password these are, if the password is right and the user may log in
   * from that address (RabbitMQ's loopback users); empty otherwise. Throws a {@link
   * ManagementException} of kind {@code TOO_MANY_REQUESTS} when logins from the address are held
   * off for now.
   */
  Optional<UserInfo> authenticate(String username, String password, InetAddress from);

  /** A new salted hash of the password, in the backend's default algorithm. */
  String hashPassword(String password);

  /** The algorithm {@link #hashPassword} uses, as RabbitMQ names it. */
  String defaultHashingAlgorithm();

  // ---- virtual hosts, users, permissions ----

  Collection<VhostInfo> vhosts();

  /**
   * The names of {@link #vhosts()}, without their figures: what a check for a vhost or a list's
   * scope needs, at the cost of the number of vhosts (a vhost's figures add up its connections).
   */
  default Collection<String> vhostNames() {
    return vhosts().stream().map(VhostInfo::name).toList();
  }

  /** Creates or updates; true when it created it. */
  boolean putVhost(VhostSpec vhost);

  void deleteVhost(String name);

  Collection<UserInfo> users();

  /** Creates or replaces (hash, algorithm, tags; limits are kept); true when it created it. */
  boolean putUser(UserInfo user);

  /** Deletes the user and its permissions. */
  void deleteUser(String name);

  Collection<Permission> permissions();

  /** True when it created it. */
  boolean putPermission(Permission permission);

  void deletePermission(String vhost, String user);

  Collection<TopicPermission> topicPermissions();

  boolean putTopicPermission(TopicPermission permission);

  /** Deletes the user's topic permissions in the vhost: on one exchange, or all when empty. */
  void deleteTopicPermissions(String vhost, String user, Optional<String> exchange);

  // ---- policies, parameters, limits ----

  Collection<Policy> policies(boolean operator);

  boolean putPolicy(boolean operator, Policy policy);

  void deletePolicy(boolean operator, String vhost, String name);

  Collection<Parameter> parameters();

  boolean putParameter(Parameter parameter);

  void deleteParameter(String component, String vhost, String name);

  Collection<GlobalParameter> globalParameters();

  boolean putGlobalParameter(GlobalParameter parameter);

  void deleteGlobalParameter(String name);

  /**
   * Sets one vhost limit ({@code max-connections}, {@code max-queues}); a negative value lifts it.
   */
  void setVhostLimit(String vhost, String name, long value);

  void clearVhostLimit(String vhost, String name);

  /** Sets one user limit ({@code max-connections}, {@code max-channels}). */
  void setUserLimit(String user, String name, long value);

  void clearUserLimit(String user, String name);

  // ---- live objects ----

  Collection<ConnectionInfo> connections();

  /**
   * Closes the connection with connection.close 320 CONNECTION_FORCED and this reason text, as
   * {@code rabbitmqctl close_connection}; false when there is no such connection.
   */
  boolean closeConnection(String name, String reason);

  Collection<ChannelInfo> channels();

  /**
   * How many of {@link #connections()} and {@link #channels()} belong to users {@code users}
   * accepts, and how many consumers those channels have, without building their records: the
   * overview counts 10,000 connections on every refresh.
   */
  default LiveCounts liveCounts(Predicate<String> users) {
    return new LiveCounts(
        connections().stream().filter(c -> users.test(c.user())).count(),
        channels().stream().filter(c -> users.test(c.user())).count(),
        channels().stream()
            .filter(c -> users.test(c.user()))
            .mapToLong(c -> c.consumerCount())
            .sum());
  }

  Collection<ConsumerInfo> consumers();

  /** The node's message counts since it started, closed channels included; they never go back. */
  GlobalCounters globalCounters();

  // ---- exchanges, queues, bindings ----

  Collection<ExchangeInfo> exchanges();

  default Optional<ExchangeInfo> exchange(String vhost, String name) {
    return exchanges().stream()
        .filter(x -> x.vhost().equals(vhost) && x.name().equals(name))
        .findFirst();
  }

  /** Declares; true when it created it. Inequivalent redeclares are BAD_REQUEST. */
  boolean declareExchange(ExchangeSpec exchange);

  void deleteExchange(String vhost, String name, boolean ifUnused);

  Collection<QueueInfo> queues();

  /**
   * The names of the virtual host's queues in {@link NameOrder} (descending: reversed), read as the
   * caller goes: a page of the name-sorted list costs the page, not the number of queues. An
   * implementation keeps the names sorted; it is weakly consistent, as a concurrent map's iterator
   * (a queue declared or deleted meanwhile may be missing or still there: {@link #queue} then finds
   * nothing).
   */
  default Iterator<String> queueNames(String vhost, boolean descending) {
    Comparator<String> order = descending ? NameOrder.UTF8.reversed() : NameOrder.UTF8;
    return queues().stream()
        .filter(q -> q.vhost().equals(vhost))
        .map(QueueInfo::name)
        .sorted(order)
        .iterator();
  }

  /** How many queues the virtual host has, as {@link #queueNames} would list them. */
  default int queueCount(String vhost) {
    return (int) queues().stream().filter(q -> q.vhost().equals(vhost)).count();
  }

  default Optional<QueueInfo> queue(String vhost, String name) {
    return queues().stream()
        .filter(q -> q.vhost().equals(vhost) && q.name().equals(name))
        .findFirst();
  }

  /**
   * The figures of every queue in the virtual hosts {@code vhosts} accepts, added up, and how many
   * queues they are; what aggregated metrics report. An implementation should build nothing per
   * queue: a scrape reads this whatever the number of queues.
   */
  default QueueTotals queueTotals(Predicate<String> vhosts) {
    int n = 0;
    QueueFigures sum = QueueFigures.EMPTY;
    for (QueueInfo q : queues()) {
      if (vhosts.test(q.vhost())) {
        n++;
        sum = sum.plus(q.figures());
      }
    }
    return new QueueTotals(n, sum);
  }

  /**
   * Hands each queue of the virtual hosts {@code vhosts} accepts to {@code sink}, one at a time on
   * the calling thread, without building a list; what per-object metrics read.
   */
  default void forEachQueue(Predicate<String> vhosts, QueueSink sink) {
    for (QueueInfo q : queues()) {
      if (vhosts.test(q.vhost())) {
        sink.queue(q.vhost(), q.name(), q.type(), q.figures());
      }
    }
  }

  /** Declares; true when it created it. Inequivalent redeclares are BAD_REQUEST. */
  boolean declareQueue(QueueSpec queue);

  void deleteQueue(String vhost, String name, boolean ifEmpty, boolean ifUnused);

  void purgeQueue(String vhost, String name);

  Collection<BindingInfo> bindings();

  void bind(BindingInfo binding);

  /** Removes the binding; NOT_FOUND when there is none equal to it. */
  void unbind(BindingInfo binding);

  // ---- messages ----

  /** Publishes as basic.publish would; true when the message reached at least one queue. */
  boolean publish(OutboundMessage message);

  /**
   * Takes up to {@code count} messages from the queue, as basic.get on a channel of its own, and
   * settles them as {@code ackMode} says.
   *
   * @param truncate the most payload bytes to return per message, or -1 for all
   */
  List<FetchedMessage> get(String vhost, String queue, int count, AckMode ackMode, int truncate);

  // ---- definitions ----

  /**
   * Applies everything at once, creating or replacing, or nothing when anything is refused.
   *
   * @param vhost empty for a whole-broker import; otherwise every vhost-scoped entry goes to this
   *     vhost, whatever the file says
   */
  void importDefinitions(Definitions definitions, Optional<String> vhost);
}
