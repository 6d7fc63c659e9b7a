package dev.warren.broker.vhost;

import dev.warren.queue.DeadLetterSink;
import dev.warren.queue.MemoryLedger;
import dev.warren.queue.Message;
import dev.warren.queue.MessageQueue;
import dev.warren.queue.QueueDefinition;
import dev.warren.queue.QueueServices;
import dev.warren.queue.QueueSettings;
import dev.warren.routing.Binding;
import dev.warren.routing.Destination;
import dev.warren.routing.Exchange;
import dev.warren.routing.ExchangeRegistry;
import dev.warren.routing.ExchangeType;
import io.netty.channel.EventLoop;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One virtual host: its exchanges (with their bindings) and its queues, in memory. Thread-safe:
 * connections on every event loop declare, bind and route concurrently. Lookups are lock-free;
 * changes that must be atomic across the queue table and the binding tables (queue declares and
 * deletes, exchange deletes with their auto-delete cascades, and binds, which check both ends) are
 * serialised on this object. Removals of stored definitions are reported in {@link Removals} for
 * the definitions store; this class never touches the store itself.
 */
public final class VirtualHost {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualHost.class);

  /** Told of removals a virtual host makes by itself: a queue that deleted itself, and cascades. */
  @FunctionalInterface
  public interface RemovalListener {
    /**
     * Called on the thread of the queue that deleted itself, or of the declare that replaced a
     * deleted queue; must not block.
     */
    void removed(VirtualHost vhost, Removals removals);
  }

  /**
   * The exchanges every virtual host has (AMQP 0-9-1 section 3.1.3, plus RabbitMQ's), all durable;
   * the store keeps each but the default exchange {@code ""}.
   */
  public static final Map<String, ExchangeType> STANDARD_EXCHANGES =
      Map.of(
          "", ExchangeType.DIRECT,
          "amq.direct", ExchangeType.DIRECT,
          "amq.fanout", ExchangeType.FANOUT,
          "amq.topic", ExchangeType.TOPIC,
          "amq.headers", ExchangeType.HEADERS,
          "amq.match", ExchangeType.HEADERS);

  private final String name;
  private final ExchangeRegistry exchanges = new ExchangeRegistry();
  private final ConcurrentHashMap<String, MessageQueue> queues = new ConcurrentHashMap<>();
  private final DeadLetterSink deadLetters;
  private final ConcurrentHashMap<String, Consumer<Message>> replySinks = new ConcurrentHashMap<>();
  private final RemovalListener removalListener;
  private final MemoryLedger ledger;

  public VirtualHost(String name, RemovalListener removalListener, MemoryLedger ledger) {
    this.name = name;
    this.removalListener = removalListener;
    this.ledger = ledger;
    this.deadLetters = new DeadLetterPublisher(this);
    STANDARD_EXCHANGES.forEach(
        (exchange, type) ->
            exchanges.declare(new Exchange(exchange, type, true, false, false, Map.of())));
  }

  public String name() {
    return name;
  }

  public ExchangeRegistry exchanges() {
    return exchanges;
  }

  /** Where this virtual host's queues and messages count the heap they hold. */
  public MemoryLedger ledger() {
    return ledger;
  }

  /**
   * Direct reply-to consumers by the name publishers route to ({@code amq.rabbitmq.reply-to.*}); a
   * sink takes ownership of the message it is given.
   */
  public ConcurrentHashMap<String, Consumer<Message>> replySinks() {
    return replySinks;
  }

  public MessageQueue queue(String queueName) {
    return queues.get(queueName);
  }

  public Collection<MessageQueue> queues() {
    return queues.values();
  }

  /**
   * Returns the queue of that name, creating and starting it if absent (then telling {@code
   * created}); the caller checks that an existing one is equivalent. A new queue runs on {@code
   * loop} with {@code stores}.
   *
   * <p>A queue deleted but not yet forgotten (its deleter is on its way) is forgotten here first,
   * with its bindings, and reported to the removal listener: bindings name their queue, so any left
   * would route into the new one.
   */
  public synchronized MessageQueue declareQueue(
      QueueDefinition definition,
      QueueSettings settings,
      Object exclusiveOwner,
      EventLoop loop,
      QueueStorage.Stores stores,
      Consumer<MessageQueue> created) {
    MessageQueue existing = queues.get(definition.name());
    if (existing != null && !existing.isDeleted()) {
      return existing;
    }
    if (existing != null) {
      Removals stale = new Removals();
      forget(existing, stale);
      if (!stale.isEmpty()) {
        removalListener.removed(this, stale);
      }
    }
    LOG.debug("queue '{}' declared in vhost '{}'", definition.name(), name);
    QueueServices services =
        new QueueServices(
            loop,
            loop::inEventLoop,
            new EventLoopScheduler(loop),
            deadLetters,
            this::deletedItself,
            stores.log(),
            stores.spill(),
            ledger);
    MessageQueue queue = new MessageQueue(definition, settings, exclusiveOwner, services);
    queues.put(definition.name(), queue);
    queue.start();
    created.accept(queue);
    return queue;
  }

  /** A queue deleted itself (auto-delete, x-expires): forget it and report what went. */
  private void deletedItself(MessageQueue queue) {
    Removals removals = new Removals();
    forget(queue, removals);
    removalListener.removed(this, removals);
  }

  /**
   * Removes a queue from the vhost and every binding to it, deleting auto-delete exchanges left
   * without bindings. The queue itself is deleted by its caller (or deleted itself). A stored queue
   * goes into {@code removals} even if a newer queue has taken its name meanwhile: the store
   * decides then whether the row is still this queue's.
   */
  public synchronized void forget(MessageQueue queue, Removals removals) {
    if (Durability.stored(queue)) {
      removals.queue(queue);
    }
    if (queues.remove(queue.name(), queue)) {
      for (Binding b : exchanges.bindingsTo(Destination.queue(queue.name()))) {
        removeBinding(b, removals);
      }
      LOG.debug("queue '{}' deleted in vhost '{}'", queue.name(), name);
    }
  }

  /**
   * Adds a binding if both its ends are still here: {@code source} still the exchange registered
   * under its name, the destination queue not deleted, the destination exchange registered. False,
   * binding nothing, otherwise. Checked and added under the lock that {@link #forget} and {@link
   * #deleteExchange} hold, so a binding never outlives its destination: a deletion either comes
   * first and is seen here, or comes after and removes the binding with the rest.
   */
  public synchronized boolean bind(Exchange source, Binding binding) {
    if (!bindable(source, binding)) {
      return false;
    }
    source.bind(binding);
    return true;
  }

  /** Whether both ends of the binding are here now (see {@link #bind}). */
  public boolean bindable(Exchange source, Binding binding) {
    return exchanges.lookup(source.name()).orElse(null) == source && exists(binding.destination());
  }

  private boolean exists(Destination destination) {
    return switch (destination.kind()) {
      case QUEUE -> {
        MessageQueue queue = queues.get(destination.name());
        yield queue != null && !queue.isDeleted();
      }
      case EXCHANGE -> exchanges.lookup(destination.name()).isPresent();
    };
  }

  /**
   * Removes a binding; an auto-delete source exchange left without bindings goes with it. False if
   * there was no such binding.
   */
  public synchronized boolean unbind(Binding binding, Removals removals) {
    boolean stored = Durability.stored(this, binding);
    if (!removeBinding(binding, removals)) {
      return false;
    }
    if (stored) {
      removals.binding(binding);
    }
    return true;
  }

  private boolean removeBinding(Binding binding, Removals removals) {
    Exchange source = exchanges.lookup(binding.source()).orElse(null);
    if (source == null || !source.unbind(binding)) {
      return false;
    }
    if (source.autoDelete() && !source.hasBindings()) {
      deleteExchange(source.name(), removals);
    }
    return true;
  }

  /** Deletes an exchange with the bindings from and to it, cascading auto-delete. */
  public synchronized void deleteExchange(String exchangeName, Removals removals) {
    List<Binding> inbound = exchanges.bindingsTo(Destination.exchange(exchangeName));
    Exchange removed = exchanges.delete(exchangeName);
    if (removed == null) {
      return;
    }
    if (Durability.stored(removed)) {
      removals.exchange(removed);
    }
    for (Binding b : inbound) {
      Exchange source = exchanges.lookup(b.source()).orElse(null);
      if (source != null && source.autoDelete() && !source.hasBindings()) {
        deleteExchange(source.name(), removals);
      }
    }
  }
}
