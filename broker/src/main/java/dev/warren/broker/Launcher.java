package dev.warren.broker;

import dev.warren.broker.tls.TlsConfig;
import dev.warren.broker.tls.TlsSetupException;
import dev.warren.mirroring.ClusterConfig;
import dev.warren.persistence.journal.SyncMode;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * {@code java -jar broker.jar [--config FILE] [--KEY VALUE]...}: builds a {@link BrokerConfig} from
 * the defaults, then the config file (Java properties with the same keys), then the flags, and runs
 * the broker until SIGTERM or SIGINT. A switch ({@code --tls-fail-if-no-peer-cert}) may stand alone
 * for {@code true}. Picocli reads the command line (one option per {@link Setting}, {@code
 * --config}, {@code --help}); the values are checked here, the same for flags and file.
 */
public final class Launcher {
  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);
  private static final String DIRECT_ARENAS = "io.netty.allocator.numDirectArenas";

  /** Every setting: its key (flag {@code --key}, file {@code key=}), and what it means. */
  enum Setting {
    AMQP_PORT("amqp-port", "AMQP listener port; 0 picks a free port (default 5672)"),
    MANAGEMENT_PORT("management-port", "management HTTP port; 0 picks a free port (default 15672)"),
    PROMETHEUS_PORT(
        "prometheus-port",
        "Prometheus metrics HTTP port; 0 picks a free port, off serves none (default 15692)"),
    DATA_DIR("data-dir", "directory for durable state (default ./data)"),
    BIND_ADDRESS("bind-address", "address the listeners bind to (default 0.0.0.0)"),
    FRAME_MAX("frame-max", "largest frame accepted and offered in connection.tune (131072)"),
    CHANNEL_MAX("channel-max", "highest channel number offered in connection.tune (2047)"),
    HEARTBEAT("heartbeat", "heartbeat seconds offered in connection.tune; 0 disables (60)"),
    HANDSHAKE_TIMEOUT(
        "handshake-timeout", "ms a client may take from connecting to connection.open (10000)"),
    CONSUMER_TIMEOUT(
        "consumer-timeout", "ms an unacked delivery may wait before its channel closes (1800000)"),
    MEMORY_HIGH_WATERMARK(
        "memory-high-watermark", "fraction of heap+direct memory that blocks publishers (0.4)"),
    MEMORY_HIGH_WATERMARK_BYTES(
        "memory-high-watermark-bytes", "the same in bytes; wins over the fraction when set"),
    MEMORY_LEDGER(
        "memory-ledger",
        "bytes of message bookkeeping on the heap that block publishers (40% of the heap)"),
    DISK_FREE_LIMIT(
        "disk-free-limit", "free bytes under the data directory that block publishers (50000000)"),
    IO_THREADS("io-threads", "event loops for connections and queues (cores - 1, at least 1)"),
    JOURNAL_SYNC(
        "journal-sync", "always | interval | never: when persistent messages are forced (always)"),
    LOOPBACK_USERS(
        "loopback-users",
        "comma-separated users who may connect from loopback only; none for nobody (guest)"),
    MAX_MESSAGE_SIZE(
        "max-message-size", "largest message body in bytes; larger is a 406 (16777216)"),
    DEFINITIONS(
        "definitions", "definitions JSON file (RabbitMQ's export) imported at start (none)"),
    AMQPS_PORT("amqps-port", "AMQPS (TLS) listener port; 0 picks a free port (default 5671)"),
    TLS_CERT("tls-cert", "PEM certificate chain of the broker; with tls-key, turns AMQPS on"),
    TLS_KEY("tls-key", "PEM private key (unencrypted PKCS#8) of that certificate"),
    TLS_CA("tls-ca", "PEM certificates of the CAs that client certificates must chain to"),
    TLS_VERIFY("tls-verify", "none | peer: ask clients for a certificate (none)"),
    TLS_FAIL_IF_NO_PEER_CERT(
        "tls-fail-if-no-peer-cert", "with tls-verify peer: refuse clients without one (false)"),
    TLS_VERSIONS("tls-versions", "TLS versions accepted, comma-separated (TLSv1.3,TLSv1.2)"),
    TLS_CIPHERS("tls-ciphers", "cipher suites accepted, IANA names, comma-separated (provider's)"),
    TLS_PROVIDER("tls-provider", "auto | openssl | jdk: the TLS implementation (auto: OpenSSL)"),
    TLS_CERT_LOGIN_FROM(
        "tls-cert-login-from",
        "common_name | subject_alternative_name: EXTERNAL's user name (common_name)"),
    NODE_NAME("node-name", "this node's name in cluster-peers; with the next two, joins a cluster"),
    CLUSTER_ADDRESS("cluster-address", "HOST:PORT the cluster (Raft) listener binds"),
    CLUSTER_PEERS("cluster-peers", "every node, this one too: n1@HOST:PORT,n2@HOST:PORT,...");

    /** Settings that may be given as a bare flag, meaning true. */
    static final List<Setting> SWITCHES = List.of(TLS_FAIL_IF_NO_PEER_CERT);

    final String key;
    final String doc;

    Setting(String key, String doc) {
      this.key = key;
      this.doc = doc;
    }
  }

  private Launcher() {}

  public static void main(String[] args) throws Exception {
    CommandLine commandLine = new CommandLine(commandSpec());
    BrokerConfig config;
    try {
      ParseResult parsed = commandLine.parseArgs(args);
      if (parsed.isUsageHelpRequested()) {
        commandLine.usage(System.out);
        System.exit(0);
        return;
      }
      config = config(parsed);
    } catch (ParameterException | IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      commandLine.usage(System.err);
      System.exit(2);
      return;
    }
    // One pooled-buffer arena per event loop, not Netty's two per core: every arena a thread
    // allocates from keeps at least one 4 MiB chunk, and the journal's threads can share. (Nor more
    // than Netty's own cap for the direct memory allowed: one arena per six chunks of it.)
    if (System.getProperty(DIRECT_ARENAS) == null) {
      long cap = PlatformDependent.maxDirectMemory() / (6L * (4 << 20));
      System.setProperty(
          DIRECT_ARENAS, String.valueOf(Math.max(1, Math.min(config.ioThreads(), cap))));
    }
    Broker broker;
    try {
      broker = Broker.start(config);
    } catch (TlsSetupException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
      return;
    } catch (RuntimeException e) {
      LOG.error("broker did not start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    IdleHeapRelease.startIfSerial();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("shutting down");
                  broker.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
  }

  /** The command line: {@code --KEY VALUE} for every setting, {@code --config FILE}, help. */
  static CommandSpec commandSpec() {
    CommandSpec spec = CommandSpec.create().name("broker");
    spec.usageMessage()
        .abbreviateSynopsis(true)
        .description(
            "Runs the Warren broker until SIGTERM or SIGINT. The config file holds the same keys"
                + " as Java properties (amqp-port=5672); flags win over it.");
    spec.addOption(
        OptionSpec.builder("--config")
            .type(String.class)
            .paramLabel("FILE")
            .description("Java properties with the keys below")
            .build());
    spec.addOption(
        OptionSpec.builder("-h", "--help").usageHelp(true).description("this help").build());
    for (Setting s : Setting.values()) {
      OptionSpec.Builder option =
          OptionSpec.builder("--" + s.key)
              .type(String.class)
              .paramLabel("VALUE")
              .description(s.doc.replace("%", "%%")); // picocli formats descriptions
      if (Setting.SWITCHES.contains(s)) {
        option.arity("0..1").fallbackValue("true");
      }
      spec.addOption(option.build());
    }
    return spec;
  }

  /** The configuration the arguments give; IllegalArgumentException says what is wrong. */
  static BrokerConfig parse(String[] args) throws IOException {
    try {
      return config(new CommandLine(commandSpec()).parseArgs(args));
    } catch (ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static BrokerConfig config(ParseResult parsed) throws IOException {
    Properties values = new Properties();
    for (Setting s : Setting.values()) {
      OptionSpec given = parsed.matchedOption("--" + s.key);
      if (given != null) {
        values.put(s.key, given.getValue());
      }
    }
    OptionSpec config = parsed.matchedOption("--config");
    if (config != null) {
      Properties file = new Properties();
      try (Reader in = Files.newBufferedReader(Path.of((String) config.getValue()))) {
        file.load(in);
      }
      file.forEach(values::putIfAbsent);
    }
    BrokerConfig.Builder c = BrokerConfig.defaults().toBuilder();
    TlsConfig.Builder tls = TlsConfig.disabled().toBuilder();
    List<String> tlsKeys = new ArrayList<>();
    List<String> clusterKeys = new ArrayList<>();
    for (String key : values.stringPropertyNames()) {
      String v = values.getProperty(key).trim();
      switch (setting(key)) {
        case AMQP_PORT -> c.amqpPort(port(v));
        case MANAGEMENT_PORT -> c.managementPort(port(v));
        case PROMETHEUS_PORT -> c.prometheusPort(v.equals("off") ? BrokerConfig.OFF : port(v));
        case DATA_DIR -> c.dataDir(Path.of(v));
        case BIND_ADDRESS -> c.bindAddress(v);
        case FRAME_MAX -> c.frameMax((int) number(v, 4096, Integer.MAX_VALUE));
        case CHANNEL_MAX -> c.channelMax((int) number(v, 1, 65535));
        case HEARTBEAT -> c.heartbeatSeconds((int) number(v, 0, 65535));
        case HANDSHAKE_TIMEOUT -> c.handshakeTimeoutMillis(number(v, 1, Long.MAX_VALUE));
        case CONSUMER_TIMEOUT -> c.consumerTimeoutMillis(number(v, 1, Long.MAX_VALUE));
        case MEMORY_HIGH_WATERMARK -> c.memoryHighWatermark(fraction(v));
        case MEMORY_HIGH_WATERMARK_BYTES ->
            c.memoryHighWatermarkBytes(number(v, 1, Long.MAX_VALUE));
        case MEMORY_LEDGER -> c.memoryLedgerBytes(number(v, 1, Long.MAX_VALUE));
        case DISK_FREE_LIMIT -> c.diskFreeLimitBytes(number(v, 0, Long.MAX_VALUE));
        case IO_THREADS -> c.ioThreads((int) number(v, 1, 1024));
        case JOURNAL_SYNC -> c.journalSync(syncMode(v));
        case LOOPBACK_USERS -> c.loopbackUsers(names(v));
        case MAX_MESSAGE_SIZE -> c.maxMessageSize(number(v, 1, 512L * 1024 * 1024));
        case DEFINITIONS -> c.definitionsFile(Path.of(v));
        case AMQPS_PORT -> tls.port(port(v));
        case TLS_CERT -> tls.certChain(Path.of(v));
        case TLS_KEY -> tls.key(Path.of(v));
        case TLS_CA -> tls.ca(Path.of(v));
        case TLS_VERIFY -> tls.verify(choice(TlsConfig.Verify.class, key, v));
        case TLS_FAIL_IF_NO_PEER_CERT -> tls.failIfNoPeerCert(bool(key, v));
        case TLS_VERSIONS -> tls.versions(list(v).stream().map(TlsConfig::version).toList());
        case TLS_CIPHERS -> tls.ciphers(list(v));
        case TLS_PROVIDER -> tls.provider(choice(TlsConfig.Provider.class, key, v));
        case TLS_CERT_LOGIN_FROM -> tls.certLogin(choice(TlsConfig.CertLogin.class, key, v));
        case NODE_NAME, CLUSTER_ADDRESS, CLUSTER_PEERS -> clusterKeys.add(key);
      }
      if (key.startsWith("tls-") || key.equals(Setting.AMQPS_PORT.key)) {
        tlsKeys.add(key);
      }
    }
    TlsConfig tlsConfig = tls.build();
    if (!tlsConfig.enabled() && !tlsKeys.isEmpty()) {
      throw new IllegalArgumentException(
          tlsKeys + " given, but AMQPS is on only with tls-cert and tls-key");
    }
    return c.tls(tlsConfig).cluster(cluster(values, clusterKeys)).build();
  }

  /** The three cluster flags together, or none of them (a single node). */
  private static ClusterConfig cluster(Properties values, List<String> given) {
    if (given.isEmpty()) {
      return null;
    }
    if (given.size() < 3) {
      throw new IllegalArgumentException(
          given + " given, but a cluster node needs node-name, cluster-address and cluster-peers");
    }
    return ClusterConfig.of(
        values.getProperty(Setting.NODE_NAME.key).trim(),
        values.getProperty(Setting.CLUSTER_ADDRESS.key).trim(),
        values.getProperty(Setting.CLUSTER_PEERS.key).trim());
  }

  private static boolean bool(String key, String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(key + " must be true or false: " + v);
    };
  }

  /** {@code name} (any case, {@code -} or {@code _}) as a constant of {@code type}. */
  private static <E extends Enum<E>> E choice(Class<E> type, String key, String name) {
    String constant = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(constant)) {
        return e;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      allowed.append(allowed.length() == 0 ? "" : " | ").append(e.name().toLowerCase(Locale.ROOT));
    }
    throw new IllegalArgumentException(key + " must be " + allowed + ", got '" + name + "'");
  }

  /** A comma-separated list; blanks around the items are dropped. */
  private static List<String> list(String v) {
    List<String> items = new ArrayList<>();
    for (String item : v.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
    return items;
  }

  private static Setting setting(String key) {
    for (Setting s : Setting.values()) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown setting '" + key + "'");
  }

  private static SyncMode syncMode(String v) {
    try {
      return SyncMode.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("journal-sync must be always, interval or never: " + v);
    }
  }

  /** A comma-separated list of names; {@code none} is the empty set. */
  private static Set<String> names(String v) {
    if (v.equals("none")) {
      return Set.of();
    }
    Set<String> names = new LinkedHashSet<>();
    for (String name : v.split(",")) {
      if (!name.isBlank()) {
        names.add(name.trim());
      }
    }
    return names;
  }

  private static int port(String v) {
    return (int) number(v, 0, 65535);
  }

  private static long number(String v, long min, long max) {
    try {
      long n = Long.parseLong(v);
      if (n < min || n > max) {
        throw new IllegalArgumentException(v + " is outside " + min + ".." + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + v + "' is not a whole number");
    }
  }

  private static double fraction(String v) {
    try {
      double f = Double.parseDouble(v);
      if (f <= 0 || f > 1) {
        throw new IllegalArgumentException(v + " is outside (0, 1]");
      }
      return f;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + v + "' is not a number");
    }
  }
}
