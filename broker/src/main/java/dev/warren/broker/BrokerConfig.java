package dev.warren.broker;

import dev.warren.broker.tls.TlsConfig;
import dev.warren.mirroring.ClusterConfig;
import dev.warren.persistence.journal.SyncMode;
import java.nio.file.Path;
import java.util.Set;

/**
 * Everything the broker is told at start-up; built once by the launcher (or a test) and passed to
 * constructors. Immutable; {@link #toBuilder()} derives a changed copy.
 *
 * @param bindAddress address the AMQP, AMQPS and management listeners bind to
 * @param amqpPort AMQP listener port; 0 picks a free port (see {@link Broker#amqpPort()})
 * @param managementPort management HTTP port; 0 picks a free port
 * @param prometheusPort Prometheus metrics HTTP port (RabbitMQ's 15692); 0 picks a free port,
 *     {@link #OFF} serves no metrics
 * @param dataDir where durable state lives
 * @param frameMax largest frame the broker accepts and proposes in connection.tune
 * @param channelMax most channels a connection may open, proposed in connection.tune
 * @param heartbeatSeconds heartbeat the broker proposes in connection.tune; 0 disables
 * @param handshakeTimeoutMillis a client that has not opened its connection (connection.open-ok)
 *     this long after connecting is disconnected (RabbitMQ's handshake_timeout)
 * @param defaultUser user created on first start, when the definitions store is empty (RabbitMQ:
 *     guest); later starts use the users stored
 * @param defaultPassword that user's password on first start (stored hashed)
 * @param loopbackUsers users who may connect only from a loopback address (RabbitMQ's
 *     loopback_users, default guest); empty for nobody
 * @param consumerTimeoutMillis an unacked delivery older than this closes its channel (406)
 * @param memoryHighWatermark fraction of the heap plus direct-memory budget above which publishers
 *     are blocked (RabbitMQ's vm_memory_high_watermark)
 * @param memoryHighWatermarkBytes the same as an absolute number of bytes; wins when positive
 * @param memoryLedgerBytes the estimate of the heap messages take (queues' entries, unacked and
 *     outbound deliveries, connections) above which publishers are blocked at once; 0 for {@value
 *     dev.warren.broker.amqp.ResourceAlarm#LEDGER_HEAP_PERCENT}% of the maximum heap
 * @param diskFreeLimitBytes free space under the data directory below which publishers are blocked
 *     (RabbitMQ's disk_free_limit)
 * @param ioThreads event loops for connections and queues; by default one per core but one, at
 *     least one, so that the journal writer, the collector and whatever shares the machine keep a
 *     core (docs/BENCHMARKS.md, session 6)
 * @param journalSync when the journal forces what it wrote, and so when a persistent message in a
 *     durable queue is confirmed (persistence/README.md, "Sync modes")
 * @param maxMessageSize largest message body a client may publish, in bytes; a larger one closes
 *     the channel with 406 (RabbitMQ's max_message_size; 16 MiB as RabbitMQ 4)
 * @param definitionsFile a definitions JSON file (RabbitMQ's export format) imported at every start
 *     before clients are accepted, as RabbitMQ's load_definitions; null for none
 * @param tls the AMQPS listener; off unless it has a certificate and key
 * @param cluster this node's part in a cluster (its name, cluster listener and peers); null for a
 *     single node, which starts no cluster thread
 */
public record BrokerConfig(
    String bindAddress,
    int amqpPort,
    int managementPort,
    int prometheusPort,
    Path dataDir,
    int frameMax,
    int channelMax,
    int heartbeatSeconds,
    long handshakeTimeoutMillis,
    String defaultUser,
    String defaultPassword,
    Set<String> loopbackUsers,
    long consumerTimeoutMillis,
    double memoryHighWatermark,
    long memoryHighWatermarkBytes,
    long memoryLedgerBytes,
    long diskFreeLimitBytes,
    int ioThreads,
    SyncMode journalSync,
    long maxMessageSize,
    Path definitionsFile,
    TlsConfig tls,
    ClusterConfig cluster) {

  /** A port setting that turns its listener off. */
  public static final int OFF = -1;

  public BrokerConfig {
    loopbackUsers = Set.copyOf(loopbackUsers);
  }

  /** The embedded default: RabbitMQ's ports, limits and alarms; data under ./data. */
  public static BrokerConfig defaults() {
    return new BrokerConfig(
        "0.0.0.0",
        5672,
        15672,
        15692,
        Path.of("data"),
        131072,
        2047,
        60,
        10_000,
        "guest",
        "guest",
        Set.of("guest"),
        30 * 60 * 1000L,
        0.4,
        -1,
        0,
        50L * 1000 * 1000,
        Math.max(1, Runtime.getRuntime().availableProcessors() - 1),
        SyncMode.ALWAYS,
        16L * 1024 * 1024,
        null,
        TlsConfig.disabled(),
        null);
  }

  /**
   * This node's name as the management API, the metrics and the firehose show it: its {@code
   * --node-name} in a cluster, else {@code warren@<short host name>}.
   */
  public String nodeName() {
    return cluster == null ? NodeName.local() : cluster.nodeName();
  }

  /**
   * The default {@code cluster_name} (until the global parameter sets one): in a cluster the first
   * node of the peer list, the same on every node (RabbitMQ's cluster has one name); else this
   * node's name.
   */
  public String defaultClusterName() {
    return cluster == null ? NodeName.local() : cluster.peers().get(0).name();
  }

  public BrokerConfig withAmqpPort(int port) {
    return toBuilder().amqpPort(port).build();
  }

  public BrokerConfig withManagementPort(int port) {
    return toBuilder().managementPort(port).build();
  }

  public BrokerConfig withDataDir(Path dir) {
    return toBuilder().dataDir(dir).build();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A changed copy of a configuration, one setting at a time. */
  public static final class Builder {
    private String bindAddress;
    private int amqpPort;
    private int managementPort;
    private int prometheusPort;
    private Path dataDir;
    private int frameMax;
    private int channelMax;
    private int heartbeatSeconds;
    private long handshakeTimeoutMillis;
    private String defaultUser;
    private String defaultPassword;
    private Set<String> loopbackUsers;
    private long consumerTimeoutMillis;
    private double memoryHighWatermark;
    private long memoryHighWatermarkBytes;
    private long memoryLedgerBytes;
    private long diskFreeLimitBytes;
    private int ioThreads;
    private SyncMode journalSync;
    private long maxMessageSize;
    private Path definitionsFile;
    private TlsConfig tls;
    private ClusterConfig cluster;

    private Builder(BrokerConfig c) {
      bindAddress = c.bindAddress;
      amqpPort = c.amqpPort;
      managementPort = c.managementPort;
      prometheusPort = c.prometheusPort;
      dataDir = c.dataDir;
      frameMax = c.frameMax;
      channelMax = c.channelMax;
      heartbeatSeconds = c.heartbeatSeconds;
      handshakeTimeoutMillis = c.handshakeTimeoutMillis;
      defaultUser = c.defaultUser;
      defaultPassword = c.defaultPassword;
      loopbackUsers = c.loopbackUsers;
      consumerTimeoutMillis = c.consumerTimeoutMillis;
      memoryHighWatermark = c.memoryHighWatermark;
      memoryHighWatermarkBytes = c.memoryHighWatermarkBytes;
      memoryLedgerBytes = c.memoryLedgerBytes;
      diskFreeLimitBytes = c.diskFreeLimitBytes;
      ioThreads = c.ioThreads;
      journalSync = c.journalSync;
      maxMessageSize = c.maxMessageSize;
      definitionsFile = c.definitionsFile;
      tls = c.tls;
      cluster = c.cluster;
    }

    public Builder bindAddress(String v) {
      bindAddress = v;
      return this;
    }

    public Builder amqpPort(int v) {
      amqpPort = v;
      return this;
    }

    public Builder managementPort(int v) {
      managementPort = v;
      return this;
    }

    /** A port, 0 for a free one, or {@link BrokerConfig#OFF}. */
    public Builder prometheusPort(int v) {
      prometheusPort = v;
      return this;
    }

    public Builder dataDir(Path v) {
      dataDir = v;
      return this;
    }

    public Builder frameMax(int v) {
      frameMax = v;
      return this;
    }

    public Builder channelMax(int v) {
      channelMax = v;
      return this;
    }

    public Builder heartbeatSeconds(int v) {
      heartbeatSeconds = v;
      return this;
    }

    public Builder handshakeTimeoutMillis(long v) {
      handshakeTimeoutMillis = v;
      return this;
    }

    public Builder defaultUser(String v) {
      defaultUser = v;
      return this;
    }

    public Builder defaultPassword(String v) {
      defaultPassword = v;
      return this;
    }

    public Builder loopbackUsers(Set<String> v) {
      loopbackUsers = v;
      return this;
    }

    public Builder consumerTimeoutMillis(long v) {
      consumerTimeoutMillis = v;
      return this;
    }

    public Builder memoryHighWatermark(double v) {
      memoryHighWatermark = v;
      return this;
    }

    public Builder memoryHighWatermarkBytes(long v) {
      memoryHighWatermarkBytes = v;
      return this;
    }

    public Builder memoryLedgerBytes(long v) {
      memoryLedgerBytes = v;
      return this;
    }

    public Builder diskFreeLimitBytes(long v) {
      diskFreeLimitBytes = v;
      return this;
    }

    public Builder ioThreads(int v) {
      ioThreads = v;
      return this;
    }

    public Builder journalSync(SyncMode v) {
      journalSync = v;
      return this;
    }

    public Builder maxMessageSize(long v) {
      maxMessageSize = v;
      return this;
    }

    public Builder definitionsFile(Path v) {
      definitionsFile = v;
      return this;
    }

    public Builder tls(TlsConfig v) {
      tls = v;
      return this;
    }

    public Builder cluster(ClusterConfig v) {
      cluster = v;
      return this;
    }

    public BrokerConfig build() {
      return new BrokerConfig(
          bindAddress,
          amqpPort,
          managementPort,
          prometheusPort,
          dataDir,
          frameMax,
          channelMax,
          heartbeatSeconds,
          handshakeTimeoutMillis,
          defaultUser,
          defaultPassword,
          loopbackUsers,
          consumerTimeoutMillis,
          memoryHighWatermark,
          memoryHighWatermarkBytes,
          memoryLedgerBytes,
          diskFreeLimitBytes,
          ioThreads,
          journalSync,
          maxMessageSize,
          definitionsFile,
          tls,
          cluster);
    }
  }
}
