package dev.warren.broker.metadata;

import dev.warren.broker.access.AccessControl;
import dev.warren.broker.policy.Policies;
import dev.warren.broker.policy.PolicyException;
import dev.warren.broker.policy.VhostLimits;
import dev.warren.broker.policy.VhostPolicies;
import dev.warren.broker.vhost.QueueStorage;
import dev.warren.broker.vhost.Removal;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.broker.vhost.VirtualHosts;
import dev.warren.persistence.definitions.Applied;
import dev.warren.persistence.definitions.Bind;
import dev.warren.persistence.definitions.BindingKey;
import dev.warren.persistence.definitions.ClearPermissions;
import dev.warren.persistence.definitions.ClearTopicPermissions;
import dev.warren.persistence.definitions.DefinitionCommand;
import dev.warren.persistence.definitions.DeleteExchange;
import dev.warren.persistence.definitions.DeleteGlobalParameter;
import dev.warren.persistence.definitions.DeleteOperatorPolicy;
import dev.warren.persistence.definitions.DeleteParameter;
import dev.warren.persistence.definitions.DeletePolicy;
import dev.warren.persistence.definitions.DeleteQueue;
import dev.warren.persistence.definitions.DeleteUser;
import dev.warren.persistence.definitions.DeleteVhost;
import dev.warren.persistence.definitions.DestinationKind;
import dev.warren.persistence.definitions.DurableQueue;
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
import dev.warren.persistence.definitions.Unbind;
import dev.warren.queue.MessageQueue;
import dev.warren.routing.Binding;
import dev.warren.routing.Destination;
import dev.warren.routing.Exchange;
import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A committed entry of the metadata log that another node made, put into effect on this node's live
 * state once its commands are in this node's store: the counterpart of what the writer's own change
 * does after it stored its commands (DefinitionChanges, AccessChanges, VhostChanges,
 * PolicyChanges), and built from the same pieces as start-up's rebuild ({@link
 * DefinitionsRecovery}), so a definition made on any node ends the same in memory everywhere.
 *
 * <p>Queues are node-local in this slice: a committed {@link PutQueue} makes this node's own copy
 * of the queue (its messages in this node's journal, under this node's queue id), a {@link
 * DeleteQueue} deletes it with its messages.
 *
 * <p>Threads: the metadata thread only, holding the writer's role.
 */
final class CommittedEffects {
  private static final Logger LOG = LoggerFactory.getLogger(CommittedEffects.class);

  private final VirtualHosts vhosts;
  private final AccessControl access;
  private final Policies policies;
  private final QueueStorage storage;
  private final EventLoopGroup loops;

  CommittedEffects(
      VirtualHosts vhosts,
      AccessControl access,
      Policies policies,
      QueueStorage storage,
      EventLoopGroup loops) {
    this.vhosts = vhosts;
    this.access = access;
    this.policies = policies;
    this.storage = storage;
    this.loops = loops;
  }

  /** Puts {@code commands} into effect; {@code results} is what the store did with each. */
  void apply(List<DefinitionCommand> commands, List<Applied> results) {
    for (int i = 0; i < commands.size(); i++) {
      commands.get(i).accept(new Effect(results.get(i)));
    }
  }

  private Optional<VirtualHost> vhost(String name) {
    return vhosts.lookup(name);
  }

  private static Binding binding(VirtualHost vhost, BindingKey key) {
    Destination destination =
        key.destinationKind() == DestinationKind.QUEUE
            ? Destination.queue(key.destination(), vhost.queue(key.destination()))
            : Destination.exchange(key.destination());
    return new Binding(
        key.source(), destination, key.routingKey(), StoredArguments.decode(key.arguments()));
  }

  private void policiesChanged(String vhost, VhostPolicies before, VhostPolicies after) {
    policies.policies(vhost, after);
    vhost(vhost).ifPresent(v -> PolicyEffects.changed(v, before, after));
  }

  /** One command's effect; {@code applied} is what the store did with it. */
  private final class Effect implements DefinitionCommand.Visitor<Void> {
    private final Applied applied;

    Effect(Applied applied) {
      this.applied = applied;
    }

    @Override
    public Void putVhost(PutVhost c) {
      vhosts.create(c.name()).describe(VhostChanges.metadata(c));
      return null;
    }

    @Override
    public Void deleteVhost(DeleteVhost c) {
      vhost(c.name())
          .ifPresent(
              v -> {
                v.markDeleted();
                vhosts.remove(v);
                access.vhostDeleted(c.name());
                policies.vhostDeleted(c.name());
                for (VirtualHost.Client client : v.clients()) {
                  client.closeForced("vhost '" + c.name() + "' is deleted");
                }
                for (MessageQueue q : v.queues()) {
                  q.delete(false, false);
                }
              });
      return null;
    }

    @Override
    public Void putUser(PutUser c) {
      access.putUser(AccessRecords.user(c));
      return null;
    }

    @Override
    public Void deleteUser(DeleteUser c) {
      access.deleteUser(c.name());
      return null;
    }

    @Override
    public Void setPermissions(SetPermissions c) {
      access.setPermission(c.user(), c.vhost(), AccessRecords.permission(c));
      return null;
    }

    @Override
    public Void clearPermissions(ClearPermissions c) {
      access.clearPermission(c.user(), c.vhost());
      return null;
    }

    @Override
    public Void setTopicPermission(SetTopicPermission c) {
      access.setTopicPermission(c.user(), c.vhost(), AccessRecords.topicPermission(c));
      return null;
    }

    @Override
    public Void clearTopicPermissions(ClearTopicPermissions c) {
      access.clearTopicPermissions(c.user(), c.vhost(), c.exchange());
      return null;
    }

    @Override
    public Void putExchange(PutExchange c) {
      vhost(c.vhost())
          .ifPresent(
              v -> {
                Exchange made = DefinitionsRecovery.rebuildExchange(v, c);
                if (made != null) {
                  PolicyEffects.exchangeMade(policies.vhost(v.name()), made);
                }
              });
      return null;
    }

    @Override
    public Void deleteExchange(DeleteExchange c) {
      vhost(c.vhost()).ifPresent(v -> v.apply(v.planExchangeRemoval(c.name())));
      return null;
    }

    @Override
    public Void putQueue(PutQueue c) {
      vhost(c.vhost())
          .ifPresent(
              v -> {
                MessageQueue existing = v.queue(c.name());
                if (existing != null && !existing.isDeleted()) {
                  return;
                }
                if (existing != null) {
                  v.apply(v.planQueueRemoval(existing));
                }
                DefinitionsRecovery.rebuildQueue(
                    v,
                    policies.vhost(v.name()),
                    new DurableQueue(applied.queueId(), c),
                    storage,
                    loops);
              });
      return null;
    }

    @Override
    public Void deleteQueue(DeleteQueue c) {
      vhost(c.vhost())
          .ifPresent(
              v -> {
                MessageQueue q = v.queue(c.name());
                if (q != null) {
                  Removal removal = v.planQueueRemoval(q);
                  v.apply(removal);
                  q.delete(false, false);
                }
              });
      return null;
    }

    @Override
    public Void bind(Bind c) {
      vhost(c.binding().vhost())
          .ifPresent(
              v -> {
                Binding b = binding(v, c.binding());
                if (v.hasSource(b) && v.hasDestination(b)) {
                  v.bind(b);
                }
              });
      return null;
    }

    @Override
    public Void unbind(Unbind c) {
      vhost(c.binding().vhost()).ifPresent(v -> v.apply(v.planUnbind(binding(v, c.binding()))));
      return null;
    }

    @Override
    public Void putPolicy(PutPolicy c) {
      VhostPolicies before = policies.vhost(c.vhost());
      policiesChanged(
          c.vhost(), before, with(before, () -> before.with(PolicyRecords.policy(c), false)));
      return null;
    }

    @Override
    public Void deletePolicy(DeletePolicy c) {
      VhostPolicies before = policies.vhost(c.vhost());
      policiesChanged(c.vhost(), before, before.without(c.name(), false));
      return null;
    }

    @Override
    public Void putOperatorPolicy(PutOperatorPolicy c) {
      VhostPolicies before = policies.vhost(c.vhost());
      policiesChanged(
          c.vhost(),
          before,
          with(before, () -> before.with(PolicyRecords.operatorPolicy(c), true)));
      return null;
    }

    @Override
    public Void deleteOperatorPolicy(DeleteOperatorPolicy c) {
      VhostPolicies before = policies.vhost(c.vhost());
      policiesChanged(c.vhost(), before, before.without(c.name(), true));
      return null;
    }

    @Override
    public Void putParameter(PutParameter c) {
      if (c.component().equals(VhostLimits.COMPONENT) && c.name().equals(VhostLimits.NAME)) {
        policies.limits(c.vhost(), PolicyRecords.limits(c));
      }
      return null;
    }

    @Override
    public Void deleteParameter(DeleteParameter c) {
      if (c.component().equals(VhostLimits.COMPONENT) && c.name().equals(VhostLimits.NAME)) {
        policies.limits(c.vhost(), VhostLimits.NONE);
      }
      return null;
    }

    @Override
    public Void putGlobalParameter(PutGlobalParameter c) {
      policies.globalParameter(c.name(), PolicyRecords.globalValue(c), true);
      return null;
    }

    @Override
    public Void deleteGlobalParameter(DeleteGlobalParameter c) {
      policies.globalParameter(c.name(), null, false);
      return null;
    }
  }

  /**
   * A policy the node that made it accepted, and this one refuses (another version): kept out of
   * memory, as a stored policy the rebuild refuses, and said loudly.
   */
  private static VhostPolicies with(
      VhostPolicies before, java.util.function.Supplier<VhostPolicies> after) {
    try {
      return after.get();
    } catch (PolicyException e) {
      LOG.error("a committed policy cannot be put into effect here: {}", e.reason());
      return before;
    }
  }
}
