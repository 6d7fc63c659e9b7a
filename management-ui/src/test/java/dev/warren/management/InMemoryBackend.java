package dev.warren.management;

import dev.warren.management.spi.AckMode;
import dev.warren.management.spi.BindingInfo;
import dev.warren.management.spi.ChannelInfo;
import dev.warren.management.spi.ChurnCounters;
import dev.warren.management.spi.ClusterNode;
import dev.warren.management.spi.ConnectionInfo;
import dev.warren.management.spi.ConsumerInfo;
import dev.warren.management.spi.Definitions;
import dev.warren.management.spi.ExchangeInfo;
import dev.warren.management.spi.ExchangeSpec;
import dev.warren.management.spi.FetchedMessage;
import dev.warren.management.spi.GlobalCounters;
import dev.warren.management.spi.GlobalParameter;
import dev.warren.management.spi.Listener;
import dev.warren.management.spi.ManagementBackend;
import dev.warren.management.spi.ManagementException;
import dev.warren.management.spi.MessageCounters;
import dev.warren.management.spi.NodeInfo;
import dev.warren.management.spi.OutboundMessage;
import dev.warren.management.spi.Parameter;
import dev.warren.management.spi.Permission;
import dev.warren.management.spi.Policy;
import dev.warren.management.spi.QueueFigures;
import dev.warren.management.spi.QueueInfo;
import dev.warren.management.spi.QueueReplicas;
import dev.warren.management.spi.QueueSpec;
import dev.warren.management.spi.TopicPermission;
import dev.warren.management.spi.UserInfo;
import dev.warren.management.spi.VhostInfo;
import dev.warren.management.spi.VhostSpec;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A broker in memory for the API tests: real maps and queues of messages, RabbitMQ's salted SHA-256
 * password hashes, direct routing by routing key (enough for the API's paths). Thread-safe by one
 * lock for changes; reads copy. Public for other modules' tests (warrenctl's), through this
 * module's test-jar; they add connections, channels and consumers to the public maps directly.
 */
public final class InMemoryBackend implements ManagementBackend {
  static final String NODE = "warren@localhost";

  record Message(String exchange, String routingKey, Map<String, Object> properties, byte[] body) {}

  private final class Queue {
    final QueueSpec spec;
    final ArrayDeque<Message> messages = new ArrayDeque<>();
    long published;
    long gets;

    Queue(QueueSpec spec) {
      this.spec = spec;
    }

    QueueInfo info() {
      long bytes = messages.stream().mapToLong(m -> m.body().length).sum();
      boolean quorum = "quorum".equals(spec.arguments().get("x-queue-type"));
      return new QueueInfo(
          spec.vhost(),
          spec.name(),
          quorum ? "quorum" : "classic",
          spec.durable(),
          spec.autoDelete(),
          false,
          spec.arguments(),
          null,
          null,
          Map.of(),
          null,
          null,
          null,
          "running",
          new QueueFigures(messages.size(), 0, bytes, 0, 0, 0, published, 0, 0, gets, 0, 0, 0, 0),
          quorum ? replicas : null);
    }
  }

  private final Object lock = new Object();
  private final Map<String, VhostInfo> vhosts = new ConcurrentSkipListMap<>();
  private final Map<String, UserInfo> users = new ConcurrentSkipListMap<>();
  private final List<Permission> permissions = new CopyOnWriteArrayList<>();
  private final List<TopicPermission> topicPermissions = new CopyOnWriteArrayList<>();
  private final List<Policy> policies = new CopyOnWriteArrayList<>();
  private final List<Policy> operatorPolicies = new CopyOnWriteArrayList<>();
  private final List<Parameter> parameters = new CopyOnWriteArrayList<>();
  private final Map<String, GlobalParameter> globals = new ConcurrentHashMap<>();
  private final Map<List<String>, ExchangeInfo> exchanges = new ConcurrentHashMap<>();
  private final Map<List<String>, Queue> queues = new ConcurrentHashMap<>();
  private final List<BindingInfo> bindings = new CopyOnWriteArrayList<>();
  public final Map<String, ConnectionInfo> connections = new ConcurrentHashMap<>();
  public final Map<String, ChannelInfo> channels = new ConcurrentHashMap<>();
  public final List<ConsumerInfo> consumers = new CopyOnWriteArrayList<>();

  /** Connections closed through the API: name to the reason given. */
  public final Map<String, String> closed = new ConcurrentHashMap<>();

  volatile List<String> alarms = List.of();

  /** Other nodes of the cluster that forget_cluster_node removes (a removed one is gone). */
  public final Set<String> forgettable = ConcurrentHashMap.newKeySet();

  /** When set, forget_cluster_node is refused with this reason (400), as a running node is. */
  public volatile String forgetRefusal;

  private final long started = System.currentTimeMillis();

  public InMemoryBackend() {
    putVhost(new VhostSpec("/", "Default virtual host", List.of(), "undefined", false));
    putUser(
        new UserInfo(
            "guest", hashPassword("guest"), ALGORITHM, List.of("administrator"), Map.of()));
    putPermission(new Permission("guest", "/", ".*", ".*", ".*"));
  }

  static final String ALGORITHM = "rabbit_password_hashing_sha256";

  /** Where every quorum queue's replicas are; this node alone until a test sets a cluster. */
  private volatile QueueReplicas replicas = QueueReplicas.single(NODE);

  private volatile List<ClusterNode> clusterNodes = List.of();

  /** Makes this node one of a cluster: the other nodes, and where quorum queues' replicas are. */
  public void cluster(List<ClusterNode> others, QueueReplicas quorumReplicas) {
    clusterNodes = List.copyOf(others);
    replicas = quorumReplicas;
  }

  // ---- node ----

  @Override
  public List<ClusterNode> clusterNodes() {
    return clusterNodes;
  }

  @Override
  public NodeInfo node() {
    GlobalParameter cn = globals.get("cluster_name");
    return new NodeInfo(
        NODE,
        cn == null ? NODE : String.valueOf(cn.value()),
        "RabbitMQ",
        "3.10.8",
        "Java " + Runtime.version(),
        started,
        1 << 20,
        1 << 30,
        false,
        1L << 40,
        50_000_000,
        false,
        2,
        -1,
        -1,
        List.of(new Listener("amqp", "127.0.0.1", 5672), new Listener("http", "127.0.0.1", 15672)),
        List.of("direct", "fanout", "headers", "topic"),
        List.of("PLAIN", "AMQPLAIN"),
        ChurnCounters.ZERO);
  }

  @Override
  public List<String> alarms() {
    return alarms;
  }

  @Override
  public void forgetClusterNode(String node) {
    if (forgetRefusal != null) {
      throw ManagementException.badRequest(forgetRefusal);
    }
    if (!forgettable.remove(node)) {
      throw ManagementException.notFound("node " + node + " is not a node of the cluster");
    }
  }

  // ---- authentication ----

  @Override
  public Optional<UserInfo> authenticate(String username, String password, InetAddress from) {
    UserInfo u = users.get(username);
    if (u == null || u.passwordHash().isEmpty()) {
      return Optional.empty();
    }
    byte[] stored = Base64.getDecoder().decode(u.passwordHash());
    byte[] salt = Arrays.copyOf(stored, 4);
    return Arrays.equals(stored, salted(salt, password)) ? Optional.of(u) : Optional.empty();
  }

  @Override
  public String hashPassword(String password) {
    byte[] salt = new byte[4];
    new SecureRandom().nextBytes(salt);
    return Base64.getEncoder().encodeToString(salted(salt, password));
  }

  private static byte[] salted(byte[] salt, String password) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(salt);
      md.update(password.getBytes(StandardCharsets.UTF_8));
      byte[] digest = md.digest();
      byte[] out = Arrays.copyOf(salt, 4 + digest.length);
      System.arraycopy(digest, 0, out, 4, digest.length);
      return out;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String defaultHashingAlgorithm() {
    return ALGORITHM;
  }

  // ---- vhosts, users, permissions ----

  @Override
  public Collection<VhostInfo> vhosts() {
    return List.copyOf(vhosts.values());
  }

  @Override
  public boolean putVhost(VhostSpec v) {
    synchronized (lock) {
      VhostInfo old = vhosts.get(v.name());
      vhosts.put(
          v.name(),
          new VhostInfo(
              v.name(),
              v.description(),
              v.tags(),
              v.defaultQueueType(),
              v.tracing(),
              old == null ? Map.of() : old.limits(),
              old == null ? MessageCounters.ZERO : old.counters()));
      if (old == null) {
        for (String[] x :
            new String[][] {
              {"", "direct"},
              {"amq.direct", "direct"},
              {"amq.fanout", "fanout"},
              {"amq.topic", "topic"}
            }) {
          exchanges.put(
              List.of(v.name(), x[0]),
              new ExchangeInfo(v.name(), x[0], x[1], true, false, false, Map.of(), null, 0, 0));
        }
      }
      return old == null;
    }
  }

  @Override
  public void deleteVhost(String name) {
    synchronized (lock) {
      vhosts.remove(name);
      queues.keySet().removeIf(k -> k.get(0).equals(name));
      exchanges.keySet().removeIf(k -> k.get(0).equals(name));
      bindings.removeIf(b -> b.vhost().equals(name));
      permissions.removeIf(p -> p.vhost().equals(name));
    }
  }

  private void vhostMustExist(String vhost) {
    if (!vhosts.containsKey(vhost)) {
      throw ManagementException.notFound("vhost_not_found");
    }
  }

  @Override
  public Collection<UserInfo> users() {
    return List.copyOf(users.values());
  }

  @Override
  public boolean putUser(UserInfo user) {
    return users.put(user.name(), user) == null;
  }

  @Override
  public void deleteUser(String name) {
    users.remove(name);
    permissions.removeIf(p -> p.user().equals(name));
  }

  @Override
  public Collection<Permission> permissions() {
    return List.copyOf(permissions);
  }

  @Override
  public boolean putPermission(Permission p) {
    synchronized (lock) {
      boolean existed =
          permissions.removeIf(x -> x.user().equals(p.user()) && x.vhost().equals(p.vhost()));
      permissions.add(p);
      return !existed;
    }
  }

  @Override
  public void deletePermission(String vhost, String user) {
    permissions.removeIf(x -> x.user().equals(user) && x.vhost().equals(vhost));
  }

  @Override
  public Collection<TopicPermission> topicPermissions() {
    return List.copyOf(topicPermissions);
  }

  @Override
  public boolean putTopicPermission(TopicPermission p) {
    synchronized (lock) {
      boolean existed =
          topicPermissions.removeIf(
              x ->
                  x.user().equals(p.user())
                      && x.vhost().equals(p.vhost())
                      && x.exchange().equals(p.exchange()));
      topicPermissions.add(p);
      return !existed;
    }
  }

  @Override
  public void deleteTopicPermissions(String vhost, String user, Optional<String> exchange) {
    topicPermissions.removeIf(
        x ->
            x.user().equals(user)
                && x.vhost().equals(vhost)
                && exchange.map(x.exchange()::equals).orElse(true));
  }

  // ---- policies, parameters, limits ----

  private List<Policy> policyList(boolean operator) {
    return operator ? operatorPolicies : policies;
  }

  @Override
  public Collection<Policy> policies(boolean operator) {
    return List.copyOf(policyList(operator));
  }

  @Override
  public boolean putPolicy(boolean operator, Policy p) {
    Object ml = p.definition().get("max-length");
    if (ml != null && !(ml instanceof Number)) {
      throw ManagementException.badRequest(
          "Validation failed\n\n<<\"" + ml + "\">> is not a valid maximum length\n");
    }
    synchronized (lock) {
      boolean existed =
          policyList(operator)
              .removeIf(x -> x.vhost().equals(p.vhost()) && x.name().equals(p.name()));
      policyList(operator).add(p);
      return !existed;
    }
  }

  @Override
  public void deletePolicy(boolean operator, String vhost, String name) {
    policyList(operator).removeIf(x -> x.vhost().equals(vhost) && x.name().equals(name));
  }

  @Override
  public Collection<Parameter> parameters() {
    return List.copyOf(parameters);
  }

  @Override
  public boolean putParameter(Parameter p) {
    synchronized (lock) {
      boolean existed =
          parameters.removeIf(
              x ->
                  x.vhost().equals(p.vhost())
                      && x.component().equals(p.component())
                      && x.name().equals(p.name()));
      parameters.add(p);
      return !existed;
    }
  }

  @Override
  public void deleteParameter(String component, String vhost, String name) {
    parameters.removeIf(
        x -> x.vhost().equals(vhost) && x.component().equals(component) && x.name().equals(name));
  }

  @Override
  public Collection<GlobalParameter> globalParameters() {
    return List.copyOf(globals.values());
  }

  @Override
  public boolean putGlobalParameter(GlobalParameter p) {
    return globals.put(p.name(), p) == null;
  }

  @Override
  public void deleteGlobalParameter(String name) {
    globals.remove(name);
  }

  @Override
  public void setVhostLimit(String vhost, String name, long value) {
    synchronized (lock) {
      VhostInfo v = vhosts.get(vhost);
      Map<String, Long> limits = new HashMap<>(v.limits());
      limits.put(name, value);
      vhosts.put(
          vhost,
          new VhostInfo(
              v.name(),
              v.description(),
              v.tags(),
              v.defaultQueueType(),
              v.tracing(),
              limits,
              v.counters()));
    }
  }

  @Override
  public void clearVhostLimit(String vhost, String name) {
    synchronized (lock) {
      VhostInfo v = vhosts.get(vhost);
      Map<String, Long> limits = new HashMap<>(v.limits());
      limits.remove(name);
      vhosts.put(
          vhost,
          new VhostInfo(
              v.name(),
              v.description(),
              v.tags(),
              v.defaultQueueType(),
              v.tracing(),
              limits,
              v.counters()));
    }
  }

  @Override
  public void setUserLimit(String user, String name, long value) {
    synchronized (lock) {
      UserInfo u = users.get(user);
      Map<String, Long> limits = new HashMap<>(u.limits());
      limits.put(name, value);
      users.put(
          user, new UserInfo(u.name(), u.passwordHash(), u.hashingAlgorithm(), u.tags(), limits));
    }
  }

  @Override
  public void clearUserLimit(String user, String name) {
    synchronized (lock) {
      UserInfo u = users.get(user);
      Map<String, Long> limits = new HashMap<>(u.limits());
      limits.remove(name);
      users.put(
          user, new UserInfo(u.name(), u.passwordHash(), u.hashingAlgorithm(), u.tags(), limits));
    }
  }

  // ---- live objects ----

  @Override
  public Collection<ConnectionInfo> connections() {
    return List.copyOf(connections.values());
  }

  @Override
  public boolean closeConnection(String name, String reason) {
    if (connections.remove(name) == null) {
      return false;
    }
    closed.put(name, reason);
    channels.values().removeIf(c -> c.connectionName().equals(name));
    return true;
  }

  @Override
  public Collection<ChannelInfo> channels() {
    return List.copyOf(channels.values());
  }

  @Override
  public Collection<ConsumerInfo> consumers() {
    return List.copyOf(consumers);
  }

  // ---- exchanges, queues, bindings ----

  @Override
  public Collection<ExchangeInfo> exchanges() {
    return List.copyOf(exchanges.values());
  }

  @Override
  public Optional<ExchangeInfo> exchange(String vhost, String name) {
    return Optional.ofNullable(exchanges.get(List.of(vhost, name)));
  }

  @Override
  public boolean declareExchange(ExchangeSpec x) {
    synchronized (lock) {
      vhostMustExist(x.vhost());
      if (!List.of("direct", "fanout", "topic", "headers").contains(x.type())) {
        throw ManagementException.badRequest("unknown exchange type '" + x.type() + "'");
      }
      if (x.name().startsWith("amq.")) {
        throw new ManagementException(ManagementException.Kind.ACCESS_REFUSED, "Access refused.");
      }
      ExchangeInfo old = exchanges.get(List.of(x.vhost(), x.name()));
      if (old != null) {
        return false;
      }
      exchanges.put(
          List.of(x.vhost(), x.name()),
          new ExchangeInfo(
              x.vhost(),
              x.name(),
              x.type(),
              x.durable(),
              x.autoDelete(),
              x.internal(),
              x.arguments(),
              null,
              0,
              0));
      return true;
    }
  }

  @Override
  public void deleteExchange(String vhost, String name, boolean ifUnused) {
    if (name.isEmpty() || name.startsWith("amq.")) {
      throw new ManagementException(ManagementException.Kind.ACCESS_REFUSED, "Access refused.");
    }
    exchanges.remove(List.of(vhost, name));
    bindings.removeIf(b -> b.vhost().equals(vhost) && b.source().equals(name));
  }

  @Override
  public Collection<QueueInfo> queues() {
    synchronized (lock) {
      List<QueueInfo> out = new ArrayList<>(queues.size());
      for (Queue q : queues.values()) {
        out.add(q.info());
      }
      return out;
    }
  }

  @Override
  public Optional<QueueInfo> queue(String vhost, String name) {
    synchronized (lock) {
      Queue q = queues.get(List.of(vhost, name));
      return q == null ? Optional.empty() : Optional.of(q.info());
    }
  }

  @Override
  public boolean declareQueue(QueueSpec spec) {
    synchronized (lock) {
      vhostMustExist(spec.vhost());
      Queue old = queues.get(List.of(spec.vhost(), spec.name()));
      if (old != null) {
        if (old.spec.durable() != spec.durable()) {
          throw ManagementException.badRequest(
              "inequivalent arg 'durable' for queue '"
                  + spec.name()
                  + "' in vhost '"
                  + spec.vhost()
                  + "': received '"
                  + spec.durable()
                  + "' but current is '"
                  + old.spec.durable()
                  + "'");
        }
        return false;
      }
      queues.put(List.of(spec.vhost(), spec.name()), new Queue(spec));
      bindings.add(
          new BindingInfo(
              spec.vhost(),
              "",
              spec.name(),
              BindingInfo.DestinationType.QUEUE,
              spec.name(),
              Map.of()));
      return true;
    }
  }

  @Override
  public void deleteQueue(String vhost, String name, boolean ifEmpty, boolean ifUnused) {
    synchronized (lock) {
      Queue q = queues.get(List.of(vhost, name));
      if (q == null) {
        throw ManagementException.notFound("no queue '" + name + "' in vhost '" + vhost + "'");
      }
      if (ifEmpty && !q.messages.isEmpty()) {
        throw ManagementException.badRequest(
            "queue '" + name + "' in vhost '" + vhost + "' not empty");
      }
      queues.remove(List.of(vhost, name));
      bindings.removeIf(
          b ->
              b.vhost().equals(vhost)
                  && b.destination().equals(name)
                  && b.destinationType() == BindingInfo.DestinationType.QUEUE);
    }
  }

  @Override
  public void purgeQueue(String vhost, String name) {
    synchronized (lock) {
      queues.get(List.of(vhost, name)).messages.clear();
    }
  }

  @Override
  public Collection<BindingInfo> bindings() {
    return List.copyOf(bindings);
  }

  @Override
  public void bind(BindingInfo b) {
    synchronized (lock) {
      if (!exchanges.containsKey(List.of(b.vhost(), b.source()))) {
        throw ManagementException.notFound(
            "no exchange '" + b.source() + "' in vhost '" + b.vhost() + "'");
      }
      if (!bindings.contains(b)) {
        bindings.add(b);
      }
    }
  }

  @Override
  public void unbind(BindingInfo b) {
    if (!bindings.remove(b)) {
      throw ManagementException.notFound("no binding");
    }
  }

  // ---- messages ----

  /** Node-wide counts since creation, guarded by {@code lock}: publishes, copies, drops, gets. */
  private long globalReceived;

  private long globalRouted;
  private long globalDropped;
  private long globalGets;

  @Override
  public GlobalCounters globalCounters() {
    synchronized (lock) {
      return new GlobalCounters(
          globalReceived, 0, globalRouted, globalDropped, 0, 0, 0, 0, globalGets, 0, 0, 0, 0);
    }
  }

  @Override
  public boolean publish(OutboundMessage m) {
    synchronized (lock) {
      ExchangeInfo x = exchanges.get(List.of(m.vhost(), m.exchange()));
      boolean routed = false;
      for (BindingInfo b : bindings) {
        if (b.vhost().equals(m.vhost())
            && b.source().equals(m.exchange())
            && b.destinationType() == BindingInfo.DestinationType.QUEUE
            && (x.type().equals("fanout") || b.routingKey().equals(m.routingKey()))) {
          Queue q = queues.get(List.of(m.vhost(), b.destination()));
          q.messages.add(new Message(m.exchange(), m.routingKey(), m.properties(), m.body()));
          q.published++;
          routed = true;
          globalRouted++;
        }
      }
      exchanges.put(
          List.of(x.vhost(), x.name()),
          new ExchangeInfo(
              x.vhost(),
              x.name(),
              x.type(),
              x.durable(),
              x.autoDelete(),
              x.internal(),
              x.arguments(),
              x.policy(),
              x.publishIn() + 1,
              x.publishOut() + (routed ? 1 : 0)));
      globalReceived++;
      globalDropped += routed ? 0 : 1;
      VhostInfo v = vhosts.get(m.vhost());
      vhosts.put(
          v.name(),
          new VhostInfo(
              v.name(),
              v.description(),
              v.tags(),
              v.defaultQueueType(),
              v.tracing(),
              v.limits(),
              v.counters()
                  .plus(new MessageCounters(1, 0, 0, routed ? 0 : 1, 0, 0, 0, 0, 0, 0, 0))));
      return routed;
    }
  }

  @Override
  public List<FetchedMessage> get(
      String vhost, String queue, int count, AckMode ackMode, int truncate) {
    synchronized (lock) {
      Queue q = queues.get(List.of(vhost, queue));
      List<Message> taken = new ArrayList<>();
      for (int i = 0; i < count && !q.messages.isEmpty(); i++) {
        taken.add(q.messages.poll());
        q.gets++;
        globalGets++;
      }
      List<FetchedMessage> out = new ArrayList<>();
      int left = q.messages.size() + taken.size();
      for (Message m : taken) {
        left--;
        byte[] body =
            truncate >= 0 && m.body().length > truncate
                ? Arrays.copyOf(m.body(), truncate)
                : m.body();
        out.add(
            new FetchedMessage(
                body, m.body().length, false, m.exchange(), m.routingKey(), left, m.properties()));
      }
      if (ackMode == AckMode.ACK_REQUEUE_TRUE || ackMode == AckMode.REJECT_REQUEUE_TRUE) {
        for (int i = taken.size() - 1; i >= 0; i--) {
          q.messages.addFirst(taken.get(i));
        }
      }
      return out;
    }
  }

  // ---- definitions ----

  @Override
  public void importDefinitions(Definitions d, Optional<String> vhost) {
    synchronized (lock) {
      for (ExchangeSpec x : d.exchanges()) {
        if (!List.of("direct", "fanout", "topic", "headers").contains(x.type())) {
          throw ManagementException.badRequest("unknown exchange type '" + x.type() + "'");
        }
      }
      d.vhosts().forEach(this::putVhost);
      d.users().forEach(this::putUser);
      d.permissions().forEach(this::putPermission);
      d.policies().forEach(p -> putPolicy(false, p));
      d.queues().forEach(this::declareQueue);
      d.exchanges().forEach(this::declareExchange);
      d.bindings().forEach(this::bind);
    }
  }
}
