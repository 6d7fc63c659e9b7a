package dev.warren.broker.metadata;

import dev.warren.amqp.AmqpException;
import dev.warren.amqp.ChannelException;
import dev.warren.amqp.ConnectionException;
import dev.warren.amqp.ReplyCode;
import dev.warren.amqp.method.QueueDeclare;
import dev.warren.broker.policy.HaPolicy;
import dev.warren.broker.policy.Policies;
import dev.warren.broker.policy.VhostPolicies;
import dev.warren.broker.stats.QueueChurn;
import dev.warren.broker.vhost.Durability;
import dev.warren.broker.vhost.QueueStorage;
import dev.warren.broker.vhost.Removal;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.persistence.definitions.Applied;
import dev.warren.persistence.definitions.Bind;
import dev.warren.persistence.definitions.BindingKey;
import dev.warren.persistence.definitions.DefinitionCommand;
import dev.warren.persistence.definitions.DefinitionWriter;
import dev.warren.persistence.definitions.DeleteExchange;
import dev.warren.persistence.definitions.DeleteQueue;
import dev.warren.persistence.definitions.DestinationKind;
import dev.warren.persistence.definitions.PutExchange;
import dev.warren.persistence.definitions.PutQueue;
import dev.warren.persistence.definitions.Unbind;
import dev.warren.queue.MessageQueue;
import dev.warren.queue.QueueDefinition;
import dev.warren.queue.QueueSettings;
import dev.warren.routing.Binding;
import dev.warren.routing.Destination;
import dev.warren.routing.Exchange;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every change of definitions (declares, deletes, binds, unbinds, durable or not), each a task of
 * the metadata writer ({@link MetadataProxy}): the only writer of virtual hosts, one change at a
 * time, so that what a change checks still holds when it acts, and event loops never wait on a lock
 * (a change that needs no disk runs on the caller's thread when the writer is idle). A change first
 * stores what the definitions store keeps (see {@link Durability}: one H2 transaction, forced to
 * disk), then changes memory: a declare-ok, bind-ok or delete-ok, sent once the future completes,
 * always means committed, and memory never holds a stored definition the store lacks. A removal is
 * worked out before anything changes ({@link Removal}), so that the store and memory lose the same
 * things. Queues and exchanges are made under the policies of their virtual host as they are then
 * ({@link PolicyEffects}); policy changes are changes of the same writer ({@link PolicyChanges}),
 * so none falls between a declaration and the queue it makes.
 *
 * <p>A store failure fails the future with {@link ConnectionException} INTERNAL_ERROR (541) naming
 * what could not be stored; it is logged here, once.
 *
 * <p>Threads: any thread calls; futures complete on the thread that ran the change (the metadata
 * thread, or the caller itself), so callers hand off before touching their own state.
 */
public final class DefinitionChanges {
  private static final Logger LOG = LoggerFactory.getLogger(DefinitionChanges.class);

  private static final int REPLY_TEXT_MAX = 220;

  private final MetadataProxy metadata;
  private final QueueStorage storage;
  private final Policies policies;
  private final BooleanSupplier heapShort;
  private final QueueChurn queueChurn = new QueueChurn();

  /**
   * @param heapShort whether the heap is too short for a new queue ({@code
   *     ResourceAlarm.heapShort})
   */
  public DefinitionChanges(
      MetadataProxy metadata, QueueStorage storage, Policies policies, BooleanSupplier heapShort) {
    this.metadata = metadata;
    this.storage = storage;
    this.policies = policies;
    this.heapShort = heapShort;
  }

  /** Queues declared, created and deleted through these changes since the start. */
  public QueueChurn queueChurn() {
    return queueChurn;
  }

  /** A queue a declaration found or made, and whether it made it. */
  public record DeclaredQueue(MessageQueue queue, boolean created) {}

  /** How a bind ended. */
  public enum BindOutcome {
    BOUND,
    NO_SOURCE,
    NO_DESTINATION
  }

  /**
   * Declares an exchange unless one of that name exists: stored first if durable, then registered.
   * Completes with the exchange now registered under the name: {@code wanted}, or the one found
   * (the caller then checks equivalence).
   */
  public CompletableFuture<Exchange> declareExchange(VirtualHost vhost, Exchange wanted) {
    return onMetadata(
        "store exchange '" + wanted.name() + "' in vhost '" + vhost.name() + "'",
        store -> {
          refuseIfDeleted(vhost);
          Exchange existing = vhost.exchanges().lookup(wanted.name()).orElse(null);
          if (existing != null) {
            return existing;
          }
          if (Durability.stored(wanted)) {
            commit(store, List.of(putExchange(vhost.name(), wanted)));
          }
          PolicyEffects.exchangeMade(policies.vhost(vhost.name()), wanted);
          return vhost.exchanges().declare(wanted);
        });
  }

  /**
   * Declares a queue unless a live one of that name exists. A durable, non-exclusive one is stored
   * first (the store gives its id, which names its log); then it is created on {@code loop}, with
   * the settings its arguments and the policy that applies to it make together. Completes with the
   * queue now under the name (the caller then checks equivalence and locks), or fails with 406
   * PRECONDITION_FAILED when a new queue would pass the virtual host's {@code max-queues}.
   *
   * @param settings what the arguments ask for
   * @param exclusiveOwner the connection an exclusive queue belongs to, or null
   */
  public CompletableFuture<DeclaredQueue> declareQueue(
      VirtualHost vhost,
      QueueDefinition wanted,
      QueueSettings settings,
      Object exclusiveOwner,
      EventLoop loop) {
    String name = wanted.name();
    return onMetadata(
        "store queue '" + name + "' in vhost '" + vhost.name() + "'",
        store -> {
          refuseIfDeleted(vhost);
          MessageQueue existing = vhost.queue(name);
          if (existing != null && !existing.isDeleted()) {
            queueChurn.declared(false);
            return new DeclaredQueue(existing, false);
          }
          checkQueueLimit(vhost, name);
          checkHeap(vhost, name);
          // One that deleted itself and is not forgotten yet goes now, with its bindings.
          Removal stale = existing == null ? new Removal() : vhost.planQueueRemoval(existing);
          List<DefinitionCommand> commands = removalCommands(vhost, stale);
          QueueStorage.Stores stores;
          VhostPolicies applying = policies.vhost(vhost.name());
          if (Durability.stored(wanted)) {
            boolean mirrored = HaPolicy.mirrors(applying.forQueue(name));
            PutQueue put =
                new PutQueue(
                    vhost.name(),
                    name,
                    wanted.autoDelete(),
                    StoredArguments.encode(wanted.arguments()),
                    storage.groupFor(vhost.name(), name, wanted.arguments(), mirrored));
            commands.add(put);
            List<Applied> applied = commit(store, commands);
            long queueId = applied.get(applied.size() - 1).queueId();
            stores = storage.durable(put, queueId);
            LOG.debug("durable queue '{}' in vhost '{}' has id {}", name, vhost.name(), queueId);
          } else {
            commit(store, commands);
            stores = storage.transientQueue();
          }
          vhost.apply(stale);
          queueChurn.deleted(stale.queues().size());
          QueueSettings effective =
              PolicyEffects.queueSettings(applying, name, settings, wanted.arguments());
          MessageQueue made = vhost.createQueue(wanted, effective, exclusiveOwner, loop, stores);
          queueChurn.declared(true);
          return new DeclaredQueue(made, true);
        });
  }

  /**
   * A new queue takes heap for as long as it lives: while the heap is short it is refused, as a
   * queue past a limit is (RabbitMQ declares on, and its node may run out of memory; Warren's
   * refuses rather than dies). Queues that exist are still found.
   */
  private void checkHeap(VirtualHost vhost, String name) {
    if (heapShort.getAsBoolean()) {
      throw new ChannelException(
          ReplyCode.PRECONDITION_FAILED,
          "cannot declare queue '"
              + name
              + "' in vhost '"
              + vhost.name()
              + "': the node is low on heap memory",
          QueueDeclare.CLASS_ID,
          QueueDeclare.METHOD_ID);
    }
  }

  /** RabbitMQ's refusal of a new queue past the virtual host's {@code max-queues}. */
  private void checkQueueLimit(VirtualHost vhost, String name) {
    long limit = policies.limits(vhost.name()).maxQueues();
    if (limit >= 0 && vhost.hasQueues(limit)) {
      throw new ChannelException(
          ReplyCode.PRECONDITION_FAILED,
          "cannot declare queue '"
              + name
              + "': queue limit in vhost '"
              + vhost.name()
              + "' ("
              + limit
              + ") is reached",
          QueueDeclare.CLASS_ID,
          QueueDeclare.METHOD_ID);
    }
  }

  /**
   * Adds a binding if its source and destination are both there: stored first when both ends are
   * stored. A binding that exists already changes nothing.
   */
  public CompletableFuture<BindOutcome> bind(VirtualHost vhost, Binding binding) {
    return onMetadata(
        "store a binding from exchange '"
            + binding.source()
            + "' to '"
            + binding.destination().name()
            + "' in vhost '"
            + vhost.name()
            + "'",
        store -> {
          refuseIfDeleted(vhost);
          if (!vhost.hasSource(binding)) {
            return BindOutcome.NO_SOURCE;
          }
          if (!vhost.hasDestination(binding)) {
            return BindOutcome.NO_DESTINATION;
          }
          Exchange source = vhost.exchanges().lookup(binding.source()).orElseThrow();
          if (source.bindingsTo(binding.destination()).contains(binding)) {
            return BindOutcome.BOUND;
          }
          if (Durability.stored(vhost, binding)) {
            commit(store, List.of(new Bind(key(vhost, binding))));
          }
          vhost.bind(bound(vhost, binding));
          return BindOutcome.BOUND;
        });
  }

  /**
   * A virtual host whose deletion is stored takes no new definitions: the connection asking is
   * closed with 320, as the deletion closes every connection of it (RabbitMQ's text).
   */
  private static void refuseIfDeleted(VirtualHost vhost) {
    if (vhost.isDeleted()) {
      throw new ConnectionException(
          ReplyCode.CONNECTION_FORCED, "vhost '" + vhost.name() + "' is deleted");
    }
  }

  /**
   * The binding as it goes into memory: a queue destination carries the queue it was made with, the
   * one live under its name now.
   */
  private static Binding bound(VirtualHost vhost, Binding binding) {
    Destination d = binding.destination();
    if (d.kind() != Destination.Kind.QUEUE || d.target() == vhost.queue(d.name())) {
      return binding;
    }
    return new Binding(
        binding.source(),
        Destination.queue(d.name(), vhost.queue(d.name())),
        binding.routingKey(),
        binding.arguments());
  }

  /** Removes a binding if there is one; an auto-delete source left without bindings goes too. */
  public CompletableFuture<Void> unbind(VirtualHost vhost, Binding binding) {
    return remove(
        vhost, "unbind from exchange '" + binding.source() + "'", () -> vhost.planUnbind(binding));
  }

  /**
   * Deletes an exchange with the bindings from and to it, cascading auto-delete. Completes with
   * false, deleting nothing, when {@code ifUnused} and it is the source of a binding.
   */
  public CompletableFuture<Boolean> deleteExchange(
      VirtualHost vhost, String name, boolean ifUnused) {
    return onMetadata(
        "remove exchange '" + name + "' from vhost '" + vhost.name() + "'",
        store -> {
          Exchange x = vhost.exchanges().lookup(name).orElse(null);
          if (x != null && ifUnused && x.hasBindings()) {
            return false;
          }
          removeNow(store, vhost, vhost.planExchangeRemoval(name));
          return true;
        });
  }

  /**
   * Forgets a deleted queue (deleted by a client, by its connection going, or by itself): the queue
   * and its bindings leave the store, then memory, cascading auto-delete exchanges. Nothing happens
   * if another queue has taken its name meanwhile.
   */
  public CompletableFuture<Void> forgetQueue(VirtualHost vhost, MessageQueue queue) {
    return remove(
        vhost, "remove queue '" + queue.name() + "'", () -> vhost.planQueueRemoval(queue));
  }

  private CompletableFuture<Void> remove(VirtualHost vhost, String what, Supplier<Removal> plan) {
    return onMetadata(
        what + " in vhost '" + vhost.name() + "'",
        store -> {
          removeNow(store, vhost, plan.get());
          return null;
        });
  }

  /** Stores a removal, then applies it to memory. */
  private void removeNow(DefinitionWriter store, VirtualHost vhost, Removal removal) {
    commit(store, removalCommands(vhost, removal));
    vhost.apply(removal);
    queueChurn.deleted(removal.queues().size());
  }

  /**
   * Stores {@code commands} in one transaction, forced to disk; nothing for none. A change running
   * away from the metadata thread (no store) that needs it hands itself over to that thread ({@link
   * MetadataProxy#change}): so every change stores before it changes memory.
   */
  private static List<Applied> commit(DefinitionWriter store, List<DefinitionCommand> commands) {
    if (commands.isEmpty()) {
      return List.of();
    }
    if (store == null) {
      throw MetadataProxy.StoreNeeded.INSTANCE;
    }
    return store.applyAll(commands);
  }

  /** The store commands for a removal worked out and not yet applied. Metadata thread. */
  private static List<DefinitionCommand> removalCommands(VirtualHost vhost, Removal removal) {
    List<DefinitionCommand> commands = new ArrayList<>();
    for (Binding b : removal.bindings()) {
      if (Durability.stored(vhost, b)) {
        commands.add(new Unbind(key(vhost, b)));
      }
    }
    for (Exchange e : removal.exchanges()) {
      if (Durability.stored(e)) {
        commands.add(new DeleteExchange(vhost.name(), e.name()));
      }
    }
    for (MessageQueue q : removal.queues()) {
      if (Durability.stored(q)) {
        commands.add(new DeleteQueue(vhost.name(), q.name()));
      }
    }
    return commands;
  }

  private static PutExchange putExchange(String vhost, Exchange e) {
    return new PutExchange(
        vhost,
        e.name(),
        e.type().wireName(),
        e.autoDelete(),
        e.internal(),
        StoredArguments.encode(e.arguments()));
  }

  private static BindingKey key(VirtualHost vhost, Binding b) {
    DestinationKind kind =
        b.destination().kind() == Destination.Kind.QUEUE
            ? DestinationKind.QUEUE
            : DestinationKind.EXCHANGE;
    return new BindingKey(
        vhost.name(),
        b.source(),
        kind,
        b.destination().name(),
        b.routingKey(),
        StoredArguments.encode(b.arguments()));
  }

  /**
   * Runs a change as the metadata writer (on its thread, or on the caller's when the writer is idle
   * and the change needs no disk); a failure of the store becomes INTERNAL_ERROR.
   */
  private <T> CompletableFuture<T> onMetadata(String what, Function<DefinitionWriter, T> task) {
    return metadata
        .change(task)
        .exceptionally(
            failure -> {
              throw storeFailure(what, failure);
            });
  }

  private static AmqpException storeFailure(String what, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof AmqpException amqp) {
      return amqp;
    }
    LOG.error("cannot {}: definitions store failed", what, cause);
    return new ConnectionException(
        ReplyCode.INTERNAL_ERROR,
        abbreviate("definitions store failed: cannot " + what + ": " + cause));
  }

  /** Reply texts are shortstrs (at most 255 bytes, "INTERNAL_ERROR - " included). */
  private static String abbreviate(String text) {
    String shorter = text;
    while (shorter.getBytes(StandardCharsets.UTF_8).length > REPLY_TEXT_MAX) {
      shorter = shorter.substring(0, shorter.length() - 8);
    }
    return shorter.equals(text) ? text : shorter + "...";
  }
}
