package dev.warren.broker.metadata;

import dev.warren.amqp.ChannelException;
import dev.warren.amqp.method.QueueDeclare;
import dev.warren.broker.BrokerConfig;
import dev.warren.broker.access.AccessControl;
import dev.warren.broker.amqp.QueueArguments;
import dev.warren.broker.policy.Policies;
import dev.warren.broker.policy.PolicyException;
import dev.warren.broker.policy.VhostLimits;
import dev.warren.broker.policy.VhostPolicies;
import dev.warren.broker.vhost.QueueStorage;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.broker.vhost.VirtualHosts;
import dev.warren.persistence.definitions.Bind;
import dev.warren.persistence.definitions.BindingKey;
import dev.warren.persistence.definitions.DefinitionCommand;
import dev.warren.persistence.definitions.DefinitionWriter;
import dev.warren.persistence.definitions.Definitions;
import dev.warren.persistence.definitions.DestinationKind;
import dev.warren.persistence.definitions.DurableQueue;
import dev.warren.persistence.definitions.PasswordHash;
import dev.warren.persistence.definitions.PutExchange;
import dev.warren.persistence.definitions.PutGlobalParameter;
import dev.warren.persistence.definitions.PutOperatorPolicy;
import dev.warren.persistence.definitions.PutParameter;
import dev.warren.persistence.definitions.PutPolicy;
import dev.warren.persistence.definitions.PutQueue;
import dev.warren.persistence.definitions.PutUser;
import dev.warren.persistence.definitions.PutVhost;
import dev.warren.persistence.definitions.SetPermissions;
import dev.warren.persistence.definitions.SetTopicPermission;
import dev.warren.queue.MessageQueue;
import dev.warren.queue.QueueDefinition;
import dev.warren.queue.QueueSettings;
import dev.warren.routing.Binding;
import dev.warren.routing.Destination;
import dev.warren.routing.Exchange;
import dev.warren.routing.ExchangeType;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up: the definitions are read from the store (DESIGN.md section 3, "recover") and the
 * broker's memory is rebuilt from them before the listener accepts a connection. Thread: the one
 * starting the broker; the store is reached through the metadata thread.
 */
public final class DefinitionsRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(DefinitionsRecovery.class);

  /** The tag the default user gets on first start, as RabbitMQ's guest. */
  static final String ADMINISTRATOR = "administrator";

  private static final String ALL = ".*";

  private DefinitionsRecovery() {}

  /**
   * Everything stored. On first start (nothing stored: no virtual host, no user) the store gets
   * virtual host {@code /}, the configured default user (tag administrator, password hashed) and
   * full permissions for it on {@code /}; later starts use what is stored, whatever the
   * configuration says now. Every virtual host gets the {@code amq.*} exchanges it lacks in the
   * store, so that durable bindings may use them.
   */
  public static Definitions load(MetadataProxy metadata, BrokerConfig config) {
    try {
      return metadata.call(store -> initialise(store, config)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static Definitions initialise(DefinitionWriter store, BrokerConfig config) {
    Definitions stored = store.load();
    List<DefinitionCommand> missing = new ArrayList<>();
    Set<String> vhosts = new LinkedHashSet<>();
    stored.vhosts().forEach(v -> vhosts.add(v.name()));
    if (stored.vhosts().isEmpty() && stored.users().isEmpty()) {
      missing.add(new PutVhost("/"));
      missing.add(
          new PutUser(
              config.defaultUser(),
              PasswordHash.hash(config.defaultPassword()),
              List.of(ADMINISTRATOR)));
      missing.add(new SetPermissions(config.defaultUser(), "/", ALL, ALL, ALL));
      vhosts.add("/");
    }
    Set<String> exchanges = new HashSet<>();
    stored.exchanges().forEach(e -> exchanges.add(e.vhost() + "\0" + e.name()));
    for (String vhost : vhosts) {
      VirtualHost.STANDARD_EXCHANGES.forEach(
          (name, type) -> {
            if (!name.isEmpty() && !exchanges.contains(vhost + "\0" + name)) {
              missing.add(standardExchange(vhost, name, type));
            }
          });
    }
    if (missing.isEmpty()) {
      return stored;
    }
    store.applyAll(missing);
    return store.load();
  }

  /** As {@link VirtualHost} declares them: durable, not auto-delete, not internal, no arguments. */
  static PutExchange standardExchange(String vhost, String name, ExchangeType type) {
    return new PutExchange(
        vhost,
        name,
        type.wireName(),
        false,
        VirtualHost.isInternalStandard(name),
        StoredArguments.encode(Map.of()));
  }

  /**
   * Rebuilds virtual hosts, users, permissions, policies, operator policies, vhost limits, global
   * parameters, exchanges, durable queues (each on an event loop of {@code loops}, with the log of
   * its stored id, under the policies that apply) and bindings. Returns the queues made whose log
   * is the node's: each rebuilds its messages from its log on its own loop, concurrently ({@link
   * MessageQueue#start()} tells when it is done). A mirrored queue (its log is its queue group's)
   * is made but not returned: it rebuilds itself whenever this node leads its group.
   *
   * @throws IllegalStateException if a stored definition cannot be rebuilt (an unknown exchange
   *     type, queue arguments or a policy this version refuses): starting without it would lose it
   *     silently
   */
  public static List<MessageQueue> rebuild(
      Definitions stored,
      BrokerConfig config,
      VirtualHosts vhosts,
      AccessControl access,
      Policies policies,
      QueueStorage storage,
      EventLoopGroup loops) {
    for (PutVhost v : stored.vhosts()) {
      vhosts.create(v.name()).describe(VhostChanges.metadata(v));
    }
    rebuildPolicies(stored, policies);
    for (PutUser u : stored.users()) {
      access.putUser(AccessRecords.user(u));
    }
    for (SetPermissions p : stored.permissions()) {
      access.setPermission(p.user(), p.vhost(), AccessRecords.permission(p));
    }
    for (SetTopicPermission t : stored.topicPermissions()) {
      access.setTopicPermission(t.user(), t.vhost(), AccessRecords.topicPermission(t));
    }
    for (PutExchange e : stored.exchanges()) {
      rebuildExchange(vhost(vhosts, e.vhost()), e);
    }
    for (VirtualHost v : vhosts.all()) {
      PolicyEffects.exchangesMade(v, policies.vhost(v.name()));
    }
    List<MessageQueue> queues = new ArrayList<>();
    for (DurableQueue q : stored.queues()) {
      VirtualHost vhost = vhost(vhosts, q.declaration().vhost());
      MessageQueue made = rebuildQueue(vhost, policies.vhost(vhost.name()), q, storage, loops);
      if (!storage.replicated(q.declaration())) {
        queues.add(made);
      }
    }
    for (Bind b : stored.bindings()) {
      rebuildBinding(vhost(vhosts, b.binding().vhost()), b);
    }
    return queues;
  }

  /** Policies and parameters first: the exchanges and queues rebuilt next are made under them. */
  private static void rebuildPolicies(Definitions stored, Policies policies) {
    try {
      for (PutPolicy p : stored.policies()) {
        VhostPolicies now = policies.vhost(p.vhost());
        policies.policies(p.vhost(), now.with(PolicyRecords.policy(p), false));
      }
      for (PutOperatorPolicy p : stored.operatorPolicies()) {
        VhostPolicies now = policies.vhost(p.vhost());
        policies.policies(p.vhost(), now.with(PolicyRecords.operatorPolicy(p), true));
      }
      for (PutParameter p : stored.parameters()) {
        if (p.component().equals(VhostLimits.COMPONENT) && p.name().equals(VhostLimits.NAME)) {
          policies.limits(p.vhost(), PolicyRecords.limits(p));
        } else {
          LOG.warn(
              "runtime parameter '{}' of component '{}' in vhost '{}' is stored but this broker"
                  + " has no such component; ignored",
              p.name(),
              p.component(),
              p.vhost());
        }
      }
      for (PutGlobalParameter g : stored.globalParameters()) {
        policies.globalParameter(g.name(), PolicyRecords.globalValue(g), true);
      }
    } catch (PolicyException e) {
      throw new IllegalStateException("a stored policy cannot be restored: " + e.reason(), e);
    }
  }

  /**
   * Registers a stored exchange unless one of its name is there; returns the one it registered, or
   * null. Also the cluster's apply path ({@link CommittedEffects}).
   */
  static Exchange rebuildExchange(VirtualHost vhost, PutExchange e) {
    if (vhost.exchanges().lookup(e.name()).isPresent()) {
      return null;
    }
    ExchangeType type =
        ExchangeType.named(e.type())
            .orElseThrow(() -> unusable(e, "unknown exchange type '" + e.type() + "'"));
    return vhost
        .exchanges()
        .declare(
            new Exchange(
                e.name(),
                type,
                true,
                e.autoDelete(),
                e.internal(),
                StoredArguments.decode(e.arguments())));
  }

  /** Creates a stored queue; also the cluster's apply path ({@link CommittedEffects}). */
  static MessageQueue rebuildQueue(
      VirtualHost vhost,
      VhostPolicies policies,
      DurableQueue stored,
      QueueStorage storage,
      EventLoopGroup loops) {
    PutQueue q = stored.declaration();
    Map<String, Object> args = StoredArguments.decode(q.arguments());
    QueueSettings settings;
    try {
      settings =
          QueueArguments.parse(
              args,
              new QueueArguments.QueueDefinitionView(
                  q.name(), q.vhost(), true, false, q.autoDelete()),
              new QueueDeclare(0, q.name(), false, true, false, q.autoDelete(), false, args));
    } catch (ChannelException e) {
      throw unusable(q, e.getMessage());
    }
    return vhost.createQueue(
        new QueueDefinition(q.name(), true, false, q.autoDelete(), args),
        PolicyEffects.queueSettings(policies, q.name(), settings, args),
        null,
        loops.next(),
        storage.durable(q, stored.queueId()));
  }

  /** Adds a stored binding; also the cluster's apply path ({@link CommittedEffects}). */
  static void rebuildBinding(VirtualHost vhost, Bind stored) {
    BindingKey key = stored.binding();
    Destination destination =
        key.destinationKind() == DestinationKind.QUEUE
            ? Destination.queue(key.destination(), vhost.queue(key.destination()))
            : Destination.exchange(key.destination());
    Binding binding =
        new Binding(
            key.source(), destination, key.routingKey(), StoredArguments.decode(key.arguments()));
    Exchange source =
        vhost
            .exchanges()
            .lookup(key.source())
            .orElseThrow(() -> unusable(stored, "no exchange '" + key.source() + "'"));
    try {
      source.bind(binding);
    } catch (IllegalArgumentException e) {
      throw unusable(stored, e.getMessage());
    }
  }

  private static VirtualHost vhost(VirtualHosts vhosts, String name) {
    return vhosts.lookup(name).orElseThrow(() -> new IllegalStateException("no vhost " + name));
  }

  private static IllegalStateException unusable(DefinitionCommand stored, String why) {
    return new IllegalStateException(
        "stored definition cannot be restored: " + why + ": " + stored);
  }
}
