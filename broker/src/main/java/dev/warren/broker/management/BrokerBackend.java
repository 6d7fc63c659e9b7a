package dev.warren.broker.management;

import dev.warren.broker.amqp.BrokerContext;
import dev.warren.broker.metadata.AccessChanges;
import dev.warren.broker.metadata.ClusterMembership;
import dev.warren.broker.metadata.PolicyChanges;
import dev.warren.broker.metadata.VhostChanges;
import dev.warren.broker.policy.Policies;
import dev.warren.management.spi.AckMode;
import dev.warren.management.spi.BindingInfo;
import dev.warren.management.spi.ChannelInfo;
import dev.warren.management.spi.ClusterNode;
import dev.warren.management.spi.ConnectionInfo;
import dev.warren.management.spi.ConsumerInfo;
import dev.warren.management.spi.Definitions;
import dev.warren.management.spi.ExchangeInfo;
import dev.warren.management.spi.ExchangeSpec;
import dev.warren.management.spi.FetchedMessage;
import dev.warren.management.spi.GlobalCounters;
import dev.warren.management.spi.GlobalParameter;
import dev.warren.management.spi.LiveCounts;
import dev.warren.management.spi.ManagementBackend;
import dev.warren.management.spi.ManagementException;
import dev.warren.management.spi.NodeInfo;
import dev.warren.management.spi.OutboundMessage;
import dev.warren.management.spi.Parameter;
import dev.warren.management.spi.Permission;
import dev.warren.management.spi.Policy;
import dev.warren.management.spi.QueueInfo;
import dev.warren.management.spi.QueueSink;
import dev.warren.management.spi.QueueSpec;
import dev.warren.management.spi.QueueTotals;
import dev.warren.management.spi.TopicPermission;
import dev.warren.management.spi.UserInfo;
import dev.warren.management.spi.VhostInfo;
import dev.warren.management.spi.VhostSpec;
import dev.warren.mirroring.MembershipException;
import dev.warren.persistence.definitions.PasswordHash;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * The broker as RabbitMQ's management API sees it ({@link ManagementBackend}): one class per family
 * does the work ({@link NodeFigures}, {@link AccessAdmin}, {@link VhostAdmin}, {@link
 * ExchangeAdmin}, {@link QueueAdmin}, {@link QueueScan}, {@link BindingAdmin}, {@link
 * MessageAdmin}, {@link PolicyAdmin}, {@link DefinitionsImport}, {@link LiveObjects}); this class
 * only hands each call to its family ({@link ClusterFigures}: the cluster's nodes and where quorum
 * queues' replicas are).
 *
 * <p>Threads: the management server's workers and sampler call it concurrently. Reads take the
 * snapshots the broker's owners publish and never wait for an event loop or a queue; changes go
 * through the metadata writer or a queue's own commands and block the calling worker until done (at
 * most {@value Outcomes#WAIT_SECONDS} s).
 */
public final class BrokerBackend implements ManagementBackend {
  private final ClusterFigures cluster;
  private final NodeFigures node;
  private final AccessAdmin accessAdmin;
  private final VhostAdmin vhostAdmin;
  private final PolicyAdmin policyAdmin;
  private final ExchangeAdmin exchangeAdmin;
  private final QueueAdmin queueAdmin;
  private final QueueScan queueScan;
  private final BindingAdmin bindingAdmin;
  private final MessageAdmin messageAdmin;
  private final DefinitionsImport definitionsImport;
  private final LiveObjects live;

  /** This node's part in the cluster, or null on a single node. */
  private final ClusterMembership membership;

  /**
   * @param loops the event loops new queues run on (one each, in turn)
   * @param amqpPort the AMQP port bound, asked when read
   * @param amqpsPort the AMQPS port bound, asked when read (0 while none is)
   * @param managementPort the HTTP port bound, asked when read (0 until it is)
   * @param cluster this node's part in the cluster, or null on a single node
   */
  public BrokerBackend(
      BrokerContext broker,
      AccessChanges accessChanges,
      VhostChanges vhostChanges,
      PolicyChanges policyChanges,
      EventLoopGroup loops,
      IntSupplier amqpPort,
      IntSupplier amqpsPort,
      IntSupplier managementPort,
      ClusterMembership cluster) {
    this.cluster = new ClusterFigures(cluster, broker.config().nodeName());
    this.live = new LiveObjects(broker.connections(), broker.changes().queueChurn());
    Policies policies = broker.policies();
    this.node =
        new NodeFigures(
            this.cluster.self(),
            broker.config().bindAddress(),
            amqpPort,
            amqpsPort,
            managementPort,
            broker.alarm(),
            live::churn,
            policies::clusterName);
    this.accessAdmin = new AccessAdmin(broker.access(), accessChanges);
    this.policyAdmin = new PolicyAdmin(broker.vhosts(), policies, policyChanges);
    this.vhostAdmin =
        new VhostAdmin(broker.vhosts(), vhostChanges, live::vhostCounters, policyAdmin::limits);
    this.exchangeAdmin = new ExchangeAdmin(broker.vhosts(), vhostAdmin, broker.changes(), policies);
    this.queueScan = new QueueScan(broker.vhosts());
    this.queueAdmin =
        new QueueAdmin(
            broker.vhosts(), vhostAdmin, broker.changes(), loops, policies, this.cluster);
    this.bindingAdmin = new BindingAdmin(broker.vhosts(), vhostAdmin, broker.changes());
    this.messageAdmin =
        new MessageAdmin(
            vhostAdmin,
            queueAdmin,
            broker.config().maxMessageSize(),
            broker.access(),
            broker.alarm());
    this.definitionsImport =
        new DefinitionsImport(
            broker.vhosts(),
            broker.access(),
            vhostAdmin,
            accessAdmin,
            policyAdmin,
            exchangeAdmin,
            queueAdmin,
            bindingAdmin);
    this.membership = cluster;
  }

  // ---- the node ----

  @Override
  public NodeInfo node() {
    return node.node();
  }

  @Override
  public List<ClusterNode> clusterNodes() {
    return cluster.others();
  }

  @Override
  public List<String> alarms() {
    return node.alarms();
  }

  /** On the API's worker thread, blocking while the groups are reconfigured (seconds). */
  @Override
  public void forgetClusterNode(String name) {
    if (membership == null) {
      throw ManagementException.notFound("this node is not in a cluster");
    }
    try {
      membership.forget(name);
    } catch (MembershipException e) {
      throw switch (e.reason()) {
        case NOT_A_MEMBER -> ManagementException.notFound(e.getMessage());
        case RUNNING, NO_MAJORITY -> ManagementException.badRequest(e.getMessage());
        case FAILED -> ManagementException.unavailable(e.getMessage());
      };
    }
  }

  // ---- authentication ----

  @Override
  public Optional<UserInfo> authenticate(String username, String password, InetAddress from) {
    return accessAdmin.authenticate(username, password, from);
  }

  @Override
  public String hashPassword(String password) {
    return PasswordHash.hash(password);
  }

  @Override
  public String defaultHashingAlgorithm() {
    return PasswordHash.DEFAULT_ALGORITHM;
  }

  // ---- virtual hosts, users, permissions ----

  @Override
  public Collection<VhostInfo> vhosts() {
    return vhostAdmin.vhosts();
  }

  @Override
  public Collection<String> vhostNames() {
    return vhostAdmin.names();
  }

  @Override
  public boolean putVhost(VhostSpec vhost) {
    return vhostAdmin.putVhost(vhost);
  }

  @Override
  public void deleteVhost(String name) {
    vhostAdmin.deleteVhost(name);
  }

  @Override
  public Collection<UserInfo> users() {
    return accessAdmin.users();
  }

  @Override
  public boolean putUser(UserInfo user) {
    return accessAdmin.putUser(user);
  }

  @Override
  public void deleteUser(String name) {
    accessAdmin.deleteUser(name);
  }

  @Override
  public Collection<Permission> permissions() {
    return accessAdmin.permissions();
  }

  @Override
  public boolean putPermission(Permission permission) {
    return accessAdmin.putPermission(permission);
  }

  @Override
  public void deletePermission(String vhost, String user) {
    accessAdmin.deletePermission(vhost, user);
  }

  @Override
  public Collection<TopicPermission> topicPermissions() {
    return accessAdmin.topicPermissions();
  }

  @Override
  public boolean putTopicPermission(TopicPermission permission) {
    return accessAdmin.putTopicPermission(permission);
  }

  @Override
  public void deleteTopicPermissions(String vhost, String user, Optional<String> exchange) {
    accessAdmin.deleteTopicPermissions(vhost, user, exchange);
  }

  // ---- policies, parameters, limits ----

  @Override
  public Collection<Policy> policies(boolean operator) {
    return policyAdmin.policies(operator);
  }

  @Override
  public boolean putPolicy(boolean operator, Policy policy) {
    return policyAdmin.putPolicy(operator, policy);
  }

  @Override
  public void deletePolicy(boolean operator, String vhost, String name) {
    policyAdmin.deletePolicy(operator, vhost, name);
  }

  @Override
  public Collection<Parameter> parameters() {
    return policyAdmin.parameters();
  }

  @Override
  public boolean putParameter(Parameter parameter) {
    return policyAdmin.putParameter(parameter);
  }

  @Override
  public void deleteParameter(String component, String vhost, String name) {
    policyAdmin.deleteParameter(component, vhost, name);
  }

  @Override
  public Collection<GlobalParameter> globalParameters() {
    return policyAdmin.globalParameters();
  }

  @Override
  public boolean putGlobalParameter(GlobalParameter parameter) {
    return policyAdmin.putGlobalParameter(parameter);
  }

  @Override
  public void deleteGlobalParameter(String name) {
    policyAdmin.deleteGlobalParameter(name);
  }

  @Override
  public void setVhostLimit(String vhost, String name, long value) {
    policyAdmin.setVhostLimit(vhost, name, value);
  }

  @Override
  public void clearVhostLimit(String vhost, String name) {
    policyAdmin.clearVhostLimit(vhost, name);
  }

  @Override
  public void setUserLimit(String user, String name, long value) {
    accessAdmin.setUserLimit(user, name, value);
  }

  @Override
  public void clearUserLimit(String user, String name) {
    accessAdmin.clearUserLimit(user, name);
  }

  // ---- live objects ----

  @Override
  public Collection<ConnectionInfo> connections() {
    return live.connections();
  }

  @Override
  public boolean closeConnection(String name, String reason) {
    return live.close(name, reason);
  }

  @Override
  public Collection<ChannelInfo> channels() {
    return live.channels();
  }

  @Override
  public GlobalCounters globalCounters() {
    return live.globalCounters();
  }

  @Override
  public Collection<ConsumerInfo> consumers() {
    return live.consumers();
  }

  @Override
  public LiveCounts liveCounts(Predicate<String> users) {
    return live.counts(users);
  }

  // ---- exchanges, queues, bindings ----

  @Override
  public Collection<ExchangeInfo> exchanges() {
    return exchangeAdmin.exchanges();
  }

  @Override
  public Optional<ExchangeInfo> exchange(String vhost, String name) {
    return exchangeAdmin.exchange(vhost, name);
  }

  @Override
  public boolean declareExchange(ExchangeSpec exchange) {
    return exchangeAdmin.declareExchange(exchange);
  }

  @Override
  public void deleteExchange(String vhost, String name, boolean ifUnused) {
    exchangeAdmin.deleteExchange(vhost, name, ifUnused);
  }

  @Override
  public Collection<QueueInfo> queues() {
    return queueAdmin.queues();
  }

  @Override
  public Iterator<String> queueNames(String vhost, boolean descending) {
    return queueAdmin.queueNames(vhost, descending);
  }

  @Override
  public int queueCount(String vhost) {
    return queueAdmin.queueCount(vhost);
  }

  @Override
  public QueueTotals queueTotals(Predicate<String> vhosts) {
    return queueScan.totals(vhosts);
  }

  @Override
  public void forEachQueue(Predicate<String> vhosts, QueueSink sink) {
    queueScan.forEach(vhosts, sink);
  }

  @Override
  public Optional<QueueInfo> queue(String vhost, String name) {
    return queueAdmin.queue(vhost, name);
  }

  @Override
  public boolean declareQueue(QueueSpec queue) {
    return queueAdmin.declareQueue(queue);
  }

  @Override
  public void deleteQueue(String vhost, String name, boolean ifEmpty, boolean ifUnused) {
    queueAdmin.deleteQueue(vhost, name, ifEmpty, ifUnused);
  }

  @Override
  public void purgeQueue(String vhost, String name) {
    queueAdmin.purgeQueue(vhost, name);
  }

  @Override
  public Collection<BindingInfo> bindings() {
    return bindingAdmin.bindings();
  }

  @Override
  public void bind(BindingInfo binding) {
    bindingAdmin.bind(binding);
  }

  @Override
  public void unbind(BindingInfo binding) {
    bindingAdmin.unbind(binding);
  }

  // ---- messages ----

  @Override
  public boolean publish(OutboundMessage message) {
    return messageAdmin.publish(message);
  }

  @Override
  public List<FetchedMessage> get(
      String vhost, String queue, int count, AckMode ackMode, int truncate) {
    return messageAdmin.get(vhost, queue, count, ackMode, truncate);
  }

  // ---- definitions ----

  @Override
  public void importDefinitions(Definitions definitions, Optional<String> vhost) {
    definitionsImport.importDefinitions(definitions, vhost);
  }
}
