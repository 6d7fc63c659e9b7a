package dev.warren.broker.metadata;

import dev.warren.amqp.AmqpException;
import dev.warren.amqp.ConnectionException;
import dev.warren.amqp.ReplyCode;
import dev.warren.broker.vhost.Durability;
import dev.warren.broker.vhost.QueueStorage;
import dev.warren.broker.vhost.QueueType;
import dev.warren.broker.vhost.Removals;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.persistence.definitions.Applied;
import dev.warren.persistence.definitions.Bind;
import dev.warren.persistence.definitions.BindingKey;
import dev.warren.persistence.definitions.DefinitionCommand;
import dev.warren.persistence.definitions.DefinitionStore;
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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes of definitions that the store keeps (see {@link Durability}), made so that memory and
 * store agree whatever runs concurrently:
 *
 * <ul>
 *   <li><b>Creations</b> (durable exchange, durable non-exclusive queue, binding with both ends
 *       stored) run whole on the metadata thread: look at memory, commit to the store, then change
 *       memory. The client is answered after that, so a declare-ok always means committed. Memory
 *       therefore never holds a stored definition the store lacks. A creation first deletes any row
 *       left for its key by a removal still on its way, so such a row cannot outlive it; a new
 *       queue thus always gets a new queue id, and journal records of a deleted queue never meet a
 *       new one.
 *   <li><b>Removals</b> happen in memory first, on whichever thread makes them (an event loop, a
 *       queue deleting itself), and are reported in {@link Removals}; {@link #store} then removes
 *       the rows on the metadata thread. Each delete looks at memory at that moment and is skipped
 *       when a newer stored definition has taken the key (its creation replaced the row already).
 *   <li>Transient and exclusive definitions never come here.
 * </ul>
 *
 * A store failure fails the future with {@link ConnectionException} INTERNAL_ERROR (541) naming
 * what could not be stored; it is logged here, once.
 *
 * <p>Threads: any thread calls; the futures complete on the metadata thread ({@link
 * MetadataProxy}), so callers hand off before touching their own state.
 */
public final class DurableChanges {
  private static final Logger LOG = LoggerFactory.getLogger(DurableChanges.class);

  private static final int REPLY_TEXT_MAX = 220;

  private static final CompletableFuture<Void> NOTHING_STORED =
      CompletableFuture.completedFuture(null);

  private final MetadataProxy metadata;
  private final QueueStorage storage;

  public DurableChanges(MetadataProxy metadata, QueueStorage storage) {
    this.metadata = metadata;
    this.storage = storage;
  }

  /**
   * Declares a durable exchange unless one of that name exists: stored first, then registered.
   * Completes with the exchange now registered under the name: {@code wanted}, or the one found
   * (the caller then checks equivalence).
   */
  public CompletableFuture<Exchange> declareExchange(VirtualHost vhost, Exchange wanted) {
    String name = wanted.name();
    return onMetadata(
        "store exchange '" + name + "' in vhost '" + vhost.name() + "'",
        store -> {
          Exchange existing = vhost.exchanges().lookup(name).orElse(null);
          if (existing != null) {
            return existing;
          }
          store.applyAll(
              List.of(new DeleteExchange(vhost.name(), name), putExchange(vhost.name(), wanted)));
          Exchange declared = vhost.exchanges().declare(wanted);
          if (declared != wanted) {
            // A transient exchange of that name was declared on an event loop meanwhile: it stays.
            store.apply(new DeleteExchange(vhost.name(), name));
          }
          return declared;
        });
  }

  /**
   * Declares a durable, non-exclusive queue unless a live one of that name exists: stored first
   * (the store gives its id), then created on {@code loop} with the log of that id. Completes with
   * the queue now under the name (the caller then checks equivalence and locks).
   */
  public CompletableFuture<MessageQueue> declareQueue(
      VirtualHost vhost, QueueDefinition wanted, QueueSettings settings, EventLoop loop) {
    String name = wanted.name();
    return onMetadata(
        "store queue '" + name + "' in vhost '" + vhost.name() + "'",
        store -> {
          MessageQueue existing = vhost.queue(name);
          if (existing != null && !existing.isDeleted()) {
            return existing;
          }
          Removals stale = new Removals();
          if (existing != null) {
            // Deleted on its own thread, which has not forgotten it yet: its bindings go now.
            vhost.forget(existing, stale);
          }
          List<DefinitionCommand> commands = removalCommands(vhost, stale);
          DeleteQueue replaced = new DeleteQueue(vhost.name(), name);
          if (!commands.contains(replaced)) {
            commands.add(replaced);
          }
          commands.add(
              new PutQueue(
                  vhost.name(),
                  name,
                  wanted.autoDelete(),
                  StoredArguments.encode(wanted.arguments())));
          List<Applied> applied = store.applyAll(commands);
          long queueId = applied.get(applied.size() - 1).queueId();
          MessageQueue[] created = new MessageQueue[1];
          MessageQueue queue =
              vhost.declareQueue(
                  wanted,
                  settings,
                  null,
                  loop,
                  storage.durable(QueueType.of(wanted.arguments()), queueId),
                  q -> created[0] = q);
          if (queue != created[0]) {
            // A transient queue of that name was declared on an event loop meanwhile: it stays.
            store.apply(new DeleteQueue(vhost.name(), name));
          } else {
            LOG.debug("durable queue '{}' in vhost '{}' has id {}", name, vhost.name(), queueId);
          }
          return queue;
        });
  }

  /**
   * Adds a binding whose ends are both stored: stored first, then added to {@code source} if both
   * ends are still there (checked under the virtual host's lock, see {@link VirtualHost#bind}).
   * Completes with false, binding nothing, if the source or the destination is gone meanwhile; a
   * row stored for it is deleted again first.
   */
  public CompletableFuture<Boolean> bind(VirtualHost vhost, Exchange source, Binding binding) {
    return onMetadata(
        "store a binding from exchange '"
            + binding.source()
            + "' to '"
            + binding.destination().name()
            + "' in vhost '"
            + vhost.name()
            + "'",
        store -> {
          if (!vhost.bindable(source, binding)) {
            return false;
          }
          boolean stored = Durability.stored(vhost, binding);
          if (stored) {
            store.apply(new Bind(key(vhost, binding)));
          }
          if (vhost.bind(source, binding)) {
            return true;
          }
          if (stored) {
            // An end went on another thread while the row was committed: undone before answering.
            store.apply(new Unbind(key(vhost, binding)));
          }
          return false;
        });
  }

  /**
   * Removes from the store what was removed from memory. Completes at once when nothing stored was
   * removed; otherwise once the store has committed.
   */
  public CompletableFuture<Void> store(VirtualHost vhost, Removals removals) {
    if (removals.isEmpty()) {
      return NOTHING_STORED;
    }
    return onMetadata(
        "remove " + describe(removals) + " from vhost '" + vhost.name() + "'",
        store -> {
          List<DefinitionCommand> commands = removalCommands(vhost, removals);
          if (!commands.isEmpty()) {
            store.applyAll(commands);
          }
          return null;
        });
  }

  /**
   * The store commands for removals, leaving out each whose key memory holds again as a stored
   * definition (created after the removal, on this thread, over a fresh row). Metadata thread.
   */
  private static List<DefinitionCommand> removalCommands(VirtualHost vhost, Removals removals) {
    List<DefinitionCommand> commands = new ArrayList<>();
    for (Binding b : removals.bindings()) {
      Exchange source = vhost.exchanges().lookup(b.source()).orElse(null);
      if (source == null || !source.bindingsTo(b.destination()).contains(b)) {
        commands.add(new Unbind(key(vhost, b)));
      }
    }
    for (MessageQueue q : removals.queues()) {
      MessageQueue now = vhost.queue(q.name());
      if (now == null || now == q || now.isDeleted() || !Durability.stored(now)) {
        commands.add(new DeleteQueue(vhost.name(), q.name()));
      }
    }
    for (Exchange e : removals.exchanges()) {
      Exchange now = vhost.exchanges().lookup(e.name()).orElse(null);
      if (now == null || now == e || !Durability.stored(now)) {
        commands.add(new DeleteExchange(vhost.name(), e.name()));
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

  private static String describe(Removals removals) {
    List<String> what = new ArrayList<>();
    removals.queues().forEach(q -> what.add("queue '" + q.name() + "'"));
    removals.exchanges().forEach(e -> what.add("exchange '" + e.name() + "'"));
    removals
        .bindings()
        .forEach(
            b -> what.add("binding of '" + b.destination().name() + "' to '" + b.source() + "'"));
    return String.join(", ", what);
  }

  /** Runs a task on the metadata thread; a failure of the store becomes INTERNAL_ERROR. */
  private <T> CompletableFuture<T> onMetadata(String what, Function<DefinitionStore, T> task) {
    return metadata
        .call(task)
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
