package dev.warren.broker;

import dev.warren.amqp.AmqpEncoder;
import dev.warren.amqp.AmqpFrameDecoder;
import dev.warren.amqp.Frame;
import dev.warren.broker.access.AccessControl;
import dev.warren.broker.access.LoginThrottle;
import dev.warren.broker.amqp.AmqpConnection;
import dev.warren.broker.amqp.BrokerContext;
import dev.warren.broker.amqp.ConnectionRegistry;
import dev.warren.broker.amqp.ResourceAlarm;
import dev.warren.broker.management.BrokerBackend;
import dev.warren.broker.metadata.AccessChanges;
import dev.warren.broker.metadata.ClusterMembership;
import dev.warren.broker.metadata.DefinitionChanges;
import dev.warren.broker.metadata.DefinitionsRecovery;
import dev.warren.broker.metadata.MetadataProxy;
import dev.warren.broker.metadata.PolicyChanges;
import dev.warren.broker.metadata.VhostChanges;
import dev.warren.broker.policy.Policies;
import dev.warren.broker.stats.ConnectionTotals;
import dev.warren.broker.stats.Totals;
import dev.warren.broker.tls.ServerTls;
import dev.warren.broker.vhost.QueueStorage;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.broker.vhost.VirtualHosts;
import dev.warren.management.ManagementConfig;
import dev.warren.management.ManagementServer;
import dev.warren.management.api.DefinitionsReader;
import dev.warren.management.http.ApiError;
import dev.warren.management.metrics.MetricsServer;
import dev.warren.management.spi.ManagementException;
import dev.warren.mirroring.MembershipException;
import dev.warren.mirroring.QueueGroups;
import dev.warren.persistence.definitions.Definitions;
import dev.warren.persistence.definitions.DurableQueue;
import dev.warren.persistence.definitions.PasswordHash;
import dev.warren.persistence.journal.Journal;
import dev.warren.persistence.journal.JournalConfig;
import dev.warren.persistence.journal.Recovery;
import dev.warren.queue.MemoryLedger;
import dev.warren.queue.MessageQueue;
import dev.warren.queue.QueueStats;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running broker: the AMQP listener (and the AMQPS one when TLS is configured), RabbitMQ's
 * management HTTP API ({@link ManagementServer} over a {@link BrokerBackend}) and the state they
 * serve. Start with {@link #start(BrokerConfig)}, stop with {@link #close()}. Connections are
 * spread over {@code io-threads} event loops (one per core by default); queues run on the event
 * loop of the connection that declared them (queues restored at start-up, or declared through the
 * API: one of those loops each). Durable definitions live in the H2 definitions store under {@code
 * <data-dir>/definitions}, owned by the metadata thread ({@link MetadataProxy}); persistent
 * messages in the journal under {@code <data-dir>/journal}.
 */
public final class Broker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

  /** How often memory and disk are checked against the alarm limits. */
  private static final long ALARM_CHECK_MILLIS = 500;

  /** The most {@link #close()} waits for each part of the shutdown. */
  private static final long SHUTDOWN_WAIT_SECONDS = 10;

  private final EventLoopGroup acceptor;
  private final EventLoopGroup workers;
  private final Channel listener;

  /** The AMQPS listener, or null when TLS is off. */
  private final Channel tlsListener;

  private final ScheduledExecutorService monitor;
  private final ResourceAlarm alarm;
  private final MetadataProxy metadata;
  private final Journal journal;
  private final VirtualHosts vhosts;
  private final AccessControl access;
  private final AccessChanges accessChanges;
  private final ConnectionRegistry connections;
  private final ManagementServer management;

  /** Null when {@code prometheus-port} is off. */
  private final MetricsServer metrics;

  private final Policies policies;
  private final PolicyChanges policyChanges;

  /** This node's part in the cluster; null on a single node. */
  private final ClusterMembership cluster;

  private final int amqpPort;

  private Broker(
      EventLoopGroup acceptor,
      EventLoopGroup workers,
      Channel listener,
      Channel tlsListener,
      ScheduledExecutorService monitor,
      ResourceAlarm alarm,
      MetadataProxy metadata,
      Journal journal,
      VirtualHosts vhosts,
      AccessControl access,
      AccessChanges accessChanges,
      ConnectionRegistry connections,
      ManagementServer management,
      MetricsServer metrics,
      Policies policies,
      PolicyChanges policyChanges,
      ClusterMembership cluster) {
    this.acceptor = acceptor;
    this.workers = workers;
    this.listener = listener;
    this.tlsListener = tlsListener;
    this.monitor = monitor;
    this.alarm = alarm;
    this.metadata = metadata;
    this.journal = journal;
    this.vhosts = vhosts;
    this.access = access;
    this.accessChanges = accessChanges;
    this.connections = connections;
    this.management = management;
    this.metrics = metrics;
    this.policies = policies;
    this.policyChanges = policyChanges;
    this.cluster = cluster;
    this.amqpPort = port(listener);
  }

  private static int port(Channel listener) {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /**
   * Opens the journal and the definitions store, rebuilds the durable definitions (on first start:
   * vhost "/" and the default user), imports the definitions file if one is configured, binds the
   * AMQP listener (and the AMQPS one), then the management API's, and returns once the broker
   * accepts connections.
   *
   * @throws IllegalStateException if the definitions file cannot be read or is refused (the message
   *     names the file and the path of the bad entry in it)
   * @throws dev.warren.broker.tls.TlsSetupException when TLS is configured but its files or
   *     settings are unusable; nothing has been opened then
   */
  public static Broker start(BrokerConfig config) {
    ServerTls tls = config.tls().enabled() ? ServerTls.open(config.tls()) : null;
    createDataDir(config.dataDir());
    Journal journal = openJournal(config);
    MetadataProxy metadata;
    try {
      metadata = MetadataProxy.open(config.dataDir().resolve("definitions"));
    } catch (RuntimeException e) {
      journal.close();
      throw e;
    }
    boolean epoll = Epoll.isAvailable();
    EventLoopGroup acceptor = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
    EventLoopGroup workers =
        epoll
            ? new EpollEventLoopGroup(config.ioThreads())
            : new NioEventLoopGroup(config.ioThreads());
    ClusterMembership cluster = null;
    try {
      QueueGroups queueGroups = config.cluster() == null ? null : new QueueGroups(config.cluster());
      QueueStorage storage =
          queueGroups == null
              ? QueueStorage.onNode(journal)
              : QueueStorage.inCluster(journal, queueGroups);
      Policies policies = new Policies(config.defaultClusterName());
      MemoryLedger ledger = ResourceAlarm.ledger(config);
      ResourceAlarm alarm = new ResourceAlarm(config, ledger);
      DefinitionChanges changes =
          new DefinitionChanges(metadata, storage, policies, alarm::heapShort);
      AccessControl access = new AccessControl(config.loopbackUsers());
      VirtualHosts vhosts = new VirtualHosts(changes::forgetQueue, ledger);
      Definitions stored = DefinitionsRecovery.load(metadata, config);
      dropOrphans(journal, stored);
      awaitRecovery(
          DefinitionsRecovery.rebuild(stored, config, vhosts, access, policies, storage, workers));
      journal.recoveryDone();
      LOG.info(
          "definitions restored: {} vhosts, {} users, {} exchanges, {} durable queues, {} bindings,"
              + " {} policies, {} operator policies",
          stored.vhosts().size(),
          stored.users().size(),
          stored.exchanges().size(),
          stored.queues().size(),
          stored.bindings().size(),
          stored.policies().size(),
          stored.operatorPolicies().size());
      cluster =
          config.cluster() == null
              ? null
              : ClusterMembership.join(
                  config.cluster(),
                  config.dataDir(),
                  metadata,
                  vhosts,
                  access,
                  policies,
                  storage,
                  queueGroups,
                  workers);
      alarm.run(); // a first reading, so that the management API never shows a node unmeasured
      ConnectionRegistry connections = new ConnectionRegistry();
      BrokerContext context =
          new BrokerContext(
              config,
              access,
              new LoginThrottle(),
              vhosts,
              policies,
              alarm,
              ledger,
              changes,
              storage,
              connections);
      AccessChanges accessChanges = new AccessChanges(metadata, access);
      PolicyChanges policyChanges = new PolicyChanges(metadata, vhosts, policies);
      AtomicInteger boundAmqp = new AtomicInteger();
      AtomicInteger boundAmqps = new AtomicInteger();
      AtomicInteger boundHttp = new AtomicInteger();
      BrokerBackend backend =
          new BrokerBackend(
              context,
              accessChanges,
              new VhostChanges(metadata, vhosts, access, policies),
              policyChanges,
              workers,
              boundAmqp::get,
              boundAmqps::get,
              boundHttp::get,
              cluster);
      if (config.definitionsFile() != null) {
        importDefinitions(config.definitionsFile(), backend);
      }
      Channel listener = listen(config, config.amqpPort(), null, context, acceptor, workers, epoll);
      boundAmqp.set(port(listener));
      Channel tlsListener =
          tls == null
              ? null
              : listen(config, config.tls().port(), tls, context, acceptor, workers, epoll);
      if (tlsListener != null) {
        boundAmqps.set(port(tlsListener));
      }
      ManagementServer management;
      try {
        management =
            ManagementServer.start(
                ManagementConfig.defaults(config.bindAddress(), config.managementPort()), backend);
      } catch (InterruptedException | RuntimeException e) {
        listener.close().awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        if (tlsListener != null) {
          tlsListener.close().awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException(
            "cannot start the management API on port " + config.managementPort() + ": " + e, e);
      }
      boundHttp.set(management.port());
      MetricsServer metrics;
      try {
        metrics =
            config.prometheusPort() == BrokerConfig.OFF
                ? null
                : MetricsServer.start(config.bindAddress(), config.prometheusPort(), backend);
      } catch (RuntimeException e) {
        management.close();
        listener.close().awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        if (tlsListener != null) {
          tlsListener.close().awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        throw new IllegalStateException(
            "cannot serve Prometheus metrics on port " + config.prometheusPort() + ": " + e, e);
      }
      // Its checks read the file system and JMX: off the event loops, on a thread of its own.
      ScheduledExecutorService monitor = daemonScheduler("resource-alarm");
      monitor.scheduleAtFixedRate(
          alarm, ALARM_CHECK_MILLIS, ALARM_CHECK_MILLIS, TimeUnit.MILLISECONDS);
      alarm.watchCollections();
      Broker broker =
          new Broker(
              acceptor,
              workers,
              listener,
              tlsListener,
              monitor,
              alarm,
              metadata,
              journal,
              vhosts,
              access,
              accessChanges,
              connections,
              management,
              metrics,
              policies,
              policyChanges,
              cluster);
      LOG.info(
          "AMQP listening on {}:{} ({}), data directory {}",
          config.bindAddress(),
          broker.amqpPort,
          epoll ? "epoll" : "nio",
          config.dataDir().toAbsolutePath());
      if (tls != null) {
        LOG.info(
            "AMQPS listening on {}:{} ({})",
            config.bindAddress(),
            broker.amqpsPort(),
            tls.description());
      }
      return broker;
    } catch (RuntimeException e) {
      if (cluster != null) {
        cluster.close();
      }
      acceptor.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
      metadata.close();
      journal.close();
      throw e;
    }
  }

  /**
   * Imports a definitions file (RabbitMQ's export JSON), checked whole first, before any client
   * connects: RabbitMQ's load_definitions. A refusal stops the start.
   */
  private static void importDefinitions(Path file, BrokerBackend backend) {
    try {
      byte[] json = Files.readAllBytes(file);
      backend.importDefinitions(
          DefinitionsReader.parse(json, PasswordHash.DEFAULT_ALGORITHM), Optional.empty());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read definitions file " + file + ": " + e, e);
    } catch (ApiError | ManagementException e) {
      throw new IllegalStateException(
          "definitions file " + file + " refused: " + e.getMessage(), e);
    }
    LOG.info("definitions imported from {}", file.toAbsolutePath());
  }

  /**
   * Binds one AMQP listener on {@code port}; with {@code tls}, every connection's pipeline starts
   * with its TLS handler, and the AMQP handlers see plain bytes.
   */
  private static Channel listen(
      BrokerConfig config,
      int port,
      ServerTls tls,
      BrokerContext context,
      EventLoopGroup acceptor,
      EventLoopGroup workers,
      boolean epoll) {
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptor, workers)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024))
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (tls != null) {
                      ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                    }
                    // Until connection.tune-ok, frame-max is the spec's minimum (spec 4.2.3).
                    ch.pipeline()
                        .addLast("decoder", new AmqpFrameDecoder(Frame.FRAME_MIN_SIZE))
                        .addLast("encoder", new AmqpEncoder(config.frameMax()))
                        .addLast("connection", new AmqpConnection(context));
                  }
                });
    ChannelFuture bound = bootstrap.bind(config.bindAddress(), port).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      // Netty's own bind failure is a checked exception thrown unchecked; as an unchecked one of
      // ours, the caller's clean-up runs and the launcher exits instead of leaving threads behind.
      throw new IllegalStateException(
          "cannot listen on "
              + config.bindAddress()
              + ":"
              + port
              + ": "
              + bound.cause().getMessage(),
          bound.cause());
    }
    return bound.channel();
  }

  /**
   * Messages of queues the definitions store no longer has: their deletion reached the store but
   * not the journal before a crash. They are dropped.
   */
  private static void dropOrphans(Journal journal, Definitions stored) {
    Set<Long> orphans = new HashSet<>(journal.recovery().queues().keySet());
    for (DurableQueue q : stored.queues()) {
      orphans.remove(q.queueId());
    }
    for (long queueId : orphans) {
      LOG.warn("journal holds messages of deleted queue id {}: dropping them", queueId);
      journal.deleteQueue(queueId);
    }
  }

  /**
   * Waits until every durable queue has rebuilt itself from its log (they do so concurrently, each
   * on its event loop). A queue whose log is unusable (a corrupt segment) stays, refusing clients;
   * the others serve.
   */
  private static void awaitRecovery(List<MessageQueue> queues) {
    long started = System.nanoTime();
    CompletableFuture.allOf(
            queues.stream()
                .map(q -> q.start().exceptionally(failed -> null))
                .toArray(CompletableFuture[]::new))
        .join();
    long messages = queues.stream().mapToLong(q -> q.stats().ready()).sum();
    LOG.info(
        "{} durable queues rebuilt with {} messages from their logs in {} ms",
        queues.size(),
        messages,
        (System.nanoTime() - started) / 1_000_000);
  }

  private static Journal openJournal(BrokerConfig config) {
    Path dir = config.dataDir().resolve("journal");
    try {
      Journal journal =
          Journal.open(
              JournalConfig.defaults(dir)
                  .withSync(config.journalSync(), JournalConfig.DEFAULT_SYNC_INTERVAL),
              PooledByteBufAllocator.DEFAULT);
      Recovery recovered = journal.recovery();
      LOG.info(
          "journal {} opened: {} queues with live messages, {} bytes of torn tail truncated",
          dir.toAbsolutePath(),
          recovered.queues().size(),
          recovered.truncatedBytes());
      return journal;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the journal in " + dir, e);
    }
  }

  private static void createDataDir(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dir, e);
    }
  }

  /** A scheduler on one daemon thread of that name. */
  static ScheduledExecutorService daemonScheduler(String threadName) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, threadName);
          t.setDaemon(true);
          return t;
        });
  }

  /** Users, permissions and topic permissions as they are now. */
  public AccessControl access() {
    return access;
  }

  /** Changes of users, permissions and topic permissions: stored, then in force. */
  public AccessChanges accessChanges() {
    return accessChanges;
  }

  /** The management HTTP port actually bound (differs from the configured one when that was 0). */
  public int managementPort() {
    return management.port();
  }

  /**
   * The Prometheus metrics port actually bound (differs from the configured one when that was 0);
   * {@link BrokerConfig#OFF} when metrics are off.
   */
  public int prometheusPort() {
    return metrics == null ? BrokerConfig.OFF : metrics.port();
  }

  /**
   * Policies, operator policies, vhost limits and global parameters as they are now, and what
   * applies to a queue or an exchange ({@link Policies#forQueue}, {@link Policies#forExchange}).
   */
  public Policies policies() {
    return policies;
  }

  /** Changes of policies and parameters: stored, then in force on live queues and exchanges. */
  public PolicyChanges policyChanges() {
    return policyChanges;
  }

  /** The AMQP port actually bound (differs from the configured one when that was 0). */
  /**
   * The node leading the cluster's metadata group as this node last heard; null on a single node,
   * or while this node knows no leader.
   */
  public String clusterLeader() {
    return cluster == null ? null : cluster.leader();
  }

  /**
   * The cluster's nodes by name as this node has them (the metadata group's voters); empty when not
   * in a cluster.
   */
  public Set<String> clusterNodes() {
    return cluster == null ? Set.of() : cluster.nodes();
  }

  /**
   * Removes the stopped node {@code node} from the cluster (rabbitmqctl's forget_cluster_node):
   * from the queue groups it votes in (replaced by a node that does not vote there yet, if any),
   * then from the metadata group. Blocking.
   *
   * @throws MembershipException when not in a cluster, when refused (not a node of the cluster,
   *     running, the majority would be lost) or a reconfiguration failed
   */
  public void forgetClusterNode(String node) throws MembershipException {
    if (cluster == null) {
      throw new MembershipException(
          MembershipException.Reason.NOT_A_MEMBER, "this broker is not in a cluster");
    }
    cluster.forget(node);
  }

  /**
   * The node leading the queue group of quorum queue {@code queue} in {@code vhost} as this node
   * last heard; null while it knows none, or when not in a cluster.
   */
  public String queueLeader(String vhost, String queue) {
    return cluster == null ? null : cluster.queueLeader(vhost, queue);
  }

  public int amqpPort() {
    return amqpPort;
  }

  /**
   * The AMQPS port actually bound.
   *
   * @throws IllegalStateException when TLS is off
   */
  public int amqpsPort() {
    if (tlsListener == null) {
      throw new IllegalStateException("TLS is off: no tls-cert and tls-key were given");
    }
    return ((InetSocketAddress) tlsListener.localAddress()).getPort();
  }

  /** Every connection and channel, with their figures; closes a connection from any thread. */
  public ConnectionRegistry connections() {
    return connections;
  }

  /** The virtual hosts, their exchanges and queues (each with its figures). */
  public VirtualHosts vhosts() {
    return vhosts;
  }

  /**
   * The figures of one virtual host ({@code null}: the whole broker): object counts, queue totals
   * and message counts, summed from the snapshots owners published (queues' {@link QueueStats},
   * connections' and channels' figures); no owner is asked. Any thread.
   */
  public Totals totals(String vhost) {
    ConnectionTotals traffic = connections.totals(vhost);
    int queues = 0;
    int exchanges = 0;
    int consumers = 0;
    long ready = 0;
    long unacked = 0;
    for (VirtualHost v : vhosts.all()) {
      if (vhost != null && !vhost.equals(v.name())) {
        continue;
      }
      exchanges += v.exchanges().exchanges().size();
      for (MessageQueue q : v.queues()) {
        QueueStats s = q.stats();
        if (s.state() == QueueStats.State.DELETED) {
          continue;
        }
        queues++;
        consumers += s.consumers();
        ready += s.ready();
        unacked += s.unacked();
      }
    }
    return new Totals(traffic, queues, exchanges, consumers, ready, unacked);
  }

  /**
   * Stops the management API, stops accepting, closes every connection, waits (boundedly: a stuck
   * event loop must not keep a SIGTERM from ending the process) for the event loops to end, then
   * closes the definitions store (after the changes already submitted) and last the journal.
   */
  @Override
  public void close() {
    // The API first: no request may change anything while the rest stops.
    management.close();
    if (metrics != null) {
      metrics.close();
    }
    alarm.close();
    monitor.shutdownNow();
    // Queues must not delete themselves as their consumers' connections close.
    vhosts.all().forEach(v -> v.queues().forEach(MessageQueue::stop));
    listener.close().awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
    if (tlsListener != null) {
      tlsListener.close().awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
    }
    boolean stopped =
        acceptor
                .shutdownGracefully(0, 2, TimeUnit.SECONDS)
                .awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)
            & workers
                .shutdownGracefully(0, 2, TimeUnit.SECONDS)
                .awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
    // Removals that queues reported while the event loops ended are stored before the store closes
    // (in a cluster, committed first: the metadata group stops after the writer).
    metadata.close();
    if (cluster != null) {
      cluster.close();
    }
    if (stopped) {
      // Queues mark what they delivered, then the journal closes cleanly.
      vhosts.all().forEach(v -> v.queues().forEach(MessageQueue::releaseMemory));
      journal.close();
      LOG.info("broker stopped");
    } else {
      // Queues may still run: the journal is left as after a crash, so that the next start flags
      // every message redelivered rather than trusting delivery marks that were never written.
      LOG.error(
          "broker stopped with event loops still running after {} s; the journal was not closed"
              + " cleanly",
          SHUTDOWN_WAIT_SECONDS);
    }
  }
}
