package dev.warren.broker.management;

import dev.warren.amqp.ChannelException;
import dev.warren.amqp.method.QueueDeclare;
import dev.warren.broker.amqp.Equivalence;
import dev.warren.broker.amqp.QueueArguments;
import dev.warren.broker.amqp.QueueErrors;
import dev.warren.broker.metadata.DefinitionChanges;
import dev.warren.broker.policy.EffectivePolicy;
import dev.warren.broker.policy.Policies;
import dev.warren.broker.policy.VhostPolicies;
import dev.warren.broker.vhost.QueueType;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.broker.vhost.VirtualHosts;
import dev.warren.management.spi.ManagementException;
import dev.warren.management.spi.QueueFigures;
import dev.warren.management.spi.QueueInfo;
import dev.warren.management.spi.QueueSpec;
import dev.warren.queue.MessageQueue;
import dev.warren.queue.QueueDefinition;
import dev.warren.queue.QueueSettings;
import dev.warren.queue.QueueStats;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Queues for the management API. Reads come from each queue's published {@link QueueStats} (no
 * round trip to its thread); declares go through {@link DefinitionChanges} with the checks
 * queue.declare makes ({@link QueueArguments}, {@link Equivalence}), a new queue running on one of
 * the broker's event loops; delete and purge are the queue's own commands. Refusals carry the bare
 * text RabbitMQ's API shows. Management worker threads.
 */
final class QueueAdmin {
  private final VirtualHosts vhosts;
  private final VhostAdmin vhostAdmin;
  private final DefinitionChanges changes;
  private final EventLoopGroup loops;
  private final Policies policies;
  private final ClusterFigures cluster;

  QueueAdmin(
      VirtualHosts vhosts,
      VhostAdmin vhostAdmin,
      DefinitionChanges changes,
      EventLoopGroup loops,
      Policies policies,
      ClusterFigures cluster) {
    this.vhosts = vhosts;
    this.vhostAdmin = vhostAdmin;
    this.changes = changes;
    this.loops = loops;
    this.policies = policies;
    this.cluster = cluster;
  }

  Collection<QueueInfo> queues() {
    List<QueueInfo> all = new ArrayList<>();
    ClusterFigures.Replicas replicas = cluster.replicas();
    for (VirtualHost v : vhosts.all()) {
      VhostPolicies vhostPolicies = policies.vhost(v.name());
      for (MessageQueue q : v.queues()) {
        if (!q.isDeleted()) {
          all.add(info(v, q, vhostPolicies, replicas));
        }
      }
    }
    return all;
  }

  Iterator<String> queueNames(String vhost, boolean descending) {
    return vhosts
        .lookup(vhost)
        .map(v -> v.queueNames(descending))
        .orElse(Collections.emptyIterator());
  }

  int queueCount(String vhost) {
    return vhosts.lookup(vhost).map(VirtualHost::queueCount).orElse(0);
  }

  Optional<QueueInfo> queue(String vhost, String name) {
    return vhosts
        .lookup(vhost)
        .flatMap(
            v -> live(v, name).map(q -> info(v, q, policies.vhost(v.name()), cluster.replicas())));
  }

  static Optional<MessageQueue> live(VirtualHost v, String name) {
    MessageQueue q = v.queue(name);
    return q == null || q.isDeleted() ? Optional.empty() : Optional.of(q);
  }

  /**
   * The queue with the policy, operator policy and merged definition that apply to it now. No
   * figures of single consumers are published: the exclusive and single active consumer tags are
   * not known here. A quorum queue's replicas come from {@code replicas}.
   */
  private static QueueInfo info(
      VirtualHost v,
      MessageQueue q,
      VhostPolicies vhostPolicies,
      ClusterFigures.Replicas replicas) {
    QueueDefinition d = q.definition();
    EffectivePolicy policy = vhostPolicies.forQueue(d.name());
    QueueStats s = q.stats();
    String owner = q.exclusiveOwner() instanceof VirtualHost.Client client ? client.name() : null;
    return new QueueInfo(
        v.name(),
        d.name(),
        type(d),
        d.durable(),
        d.autoDelete(),
        d.exclusive(),
        FieldValues.json(d.arguments()),
        policy.policy(),
        policy.operatorPolicy(),
        policy.definition(),
        owner,
        null,
        null,
        state(s.state()),
        figures(s),
        QueueType.of(d.arguments()) == QueueType.QUORUM ? replicas.of(v.name(), d.name()) : null);
  }

  /** The type as the API names it. */
  static String type(QueueDefinition d) {
    return switch (QueueType.of(d.arguments())) {
      case CLASSIC -> "classic";
      case QUORUM -> "quorum";
    };
  }

  /** The SPI's figures of a queue's published ones, field for field. */
  static QueueFigures figures(QueueStats s) {
    return new QueueFigures(
        s.ready(),
        s.unacked(),
        s.readyBytes(),
        s.unackedBytes(),
        s.persistent(),
        s.consumers(),
        s.published(),
        s.delivered(),
        s.deliveredNoAck(),
        s.gets(),
        s.getsNoAck(),
        s.redelivered(),
        s.acked(),
        0);
  }

  /** RabbitMQ's words for a queue's state. */
  private static String state(QueueStats.State state) {
    return switch (state) {
      case RUNNING -> "running";
      case RECOVERING -> "starting";
      case STANDBY -> "stopped";
      case UNAVAILABLE -> "down";
      case DELETED -> "deleted";
    };
  }

  /** The queue a spec describes, its settings checked as queue.declare checks them (400). */
  record Wanted(QueueDefinition definition, QueueSettings settings) {}

  static Wanted wanted(QueueSpec spec) {
    Map<String, Object> args = FieldValues.table(spec.arguments());
    QueueDefinition definition =
        new QueueDefinition(spec.name(), spec.durable(), false, spec.autoDelete(), args);
    try {
      QueueSettings settings =
          QueueArguments.parse(
              args,
              new QueueArguments.QueueDefinitionView(
                  spec.name(), spec.vhost(), spec.durable(), false, spec.autoDelete()),
              new QueueDeclare(
                  0, spec.name(), false, spec.durable(), false, spec.autoDelete(), false, args));
      return new Wanted(definition, settings);
    } catch (ChannelException e) {
      throw ManagementException.badRequest(e.text());
    }
  }

  /**
   * Checks a declaration against what exists, as queue.declare does: the reserved prefix (401),
   * another connection's exclusive queue, an inequivalent redeclare (400). Returns whether an
   * equivalent queue exists already.
   */
  static boolean check(VirtualHost vhost, QueueDefinition wanted) {
    MessageQueue existing = live(vhost, wanted.name()).orElse(null);
    if (existing == null) {
      checkName(wanted.name());
      return false;
    }
    if (existing.definition().exclusive()) {
      throw ManagementException.badRequest(QueueErrors.lockedText(wanted.name(), vhost.name()));
    }
    Equivalence.queue(existing.definition(), wanted, vhost.name())
        .ifPresent(
            text -> {
              throw ManagementException.badRequest(text);
            });
    return true;
  }

  /** A new queue may not take RabbitMQ's reserved prefix (401, as RabbitMQ's API answers). */
  static void checkName(String name) {
    if (name.startsWith("amq.")) {
      throw new ManagementException(
          ManagementException.Kind.ACCESS_REFUSED, ExchangeAdmin.ACCESS_REFUSED);
    }
  }

  boolean declareQueue(QueueSpec spec) {
    VirtualHost vhost = vhostAdmin.vhost(spec.vhost());
    Wanted wanted = wanted(spec);
    if (check(vhost, wanted.definition())) {
      return false;
    }
    DefinitionChanges.DeclaredQueue declared =
        Outcomes.await(
            changes.declareQueue(
                vhost, wanted.definition(), wanted.settings(), null, loops.next()));
    if (!declared.created()) {
      // Declared by someone else meanwhile: it must be equivalent.
      check(vhost, wanted.definition());
    }
    return declared.created();
  }

  /** The live queue of that name; 404 with RabbitMQ's text otherwise. */
  MessageQueue find(String vhostName, String name) {
    VirtualHost vhost = vhostAdmin.vhost(vhostName);
    return live(vhost, name)
        .orElseThrow(
            () ->
                ManagementException.notFound(
                    "no queue '" + name + "' in vhost '" + vhostName + "'"));
  }

  /** Another connection's exclusive queue is locked to the API as to any other connection. */
  static void checkNotExclusive(MessageQueue queue, String vhost) {
    if (queue.definition().exclusive()) {
      throw ManagementException.badRequest(QueueErrors.lockedText(queue.name(), vhost));
    }
  }

  /**
   * Deletes it as queue.delete does (the queue drops its messages from its log), then forgets it
   * with its bindings; if-empty and if-unused refuse with RabbitMQ's texts.
   */
  void deleteQueue(String vhostName, String name, boolean ifEmpty, boolean ifUnused) {
    VirtualHost vhost = vhostAdmin.vhost(vhostName);
    MessageQueue queue = find(vhostName, name);
    checkNotExclusive(queue, vhostName);
    try {
      Outcomes.await(queue.delete(ifUnused, ifEmpty));
    } catch (ManagementException e) {
      if (e.kind() != ManagementException.Kind.BAD_REQUEST) {
        throw e;
      }
      // The queue's own text names no vhost; RabbitMQ's does.
      String why = e.getMessage().endsWith("not empty") ? "not empty" : "in use";
      throw ManagementException.badRequest(
          "queue '" + name + "' in vhost '" + vhostName + "' " + why);
    }
    Outcomes.await(changes.forgetQueue(vhost, queue));
  }

  void purgeQueue(String vhost, String name) {
    MessageQueue queue = find(vhost, name);
    checkNotExclusive(queue, vhost);
    Outcomes.await(queue.purge());
  }
}
