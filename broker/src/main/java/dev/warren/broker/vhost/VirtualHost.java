package dev.warren.broker.vhost;

import dev.warren.management.spi.NameOrder;
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
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One virtual host: its exchanges (with their bindings) and its queues, in memory.
 *
 * <p>Threads: any thread reads (lookups and routing take no lock). Only the metadata thread changes
 * it ({@code DefinitionChanges}; the thread starting the broker before it serves), one change at a
 * time: a declare or bind checks and changes without anything in between, and a removal is worked
 * out first ({@link #planQueueRemoval}, {@link #planExchangeRemoval}, {@link #planUnbind}), stored,
 * then applied ({@link #apply}). Queue threads only report that their queue deleted itself ({@link
 * QueueGone}), and the metadata thread forgets it.
 */
public final class VirtualHost {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualHost.class);

  /** An open client connection of this virtual host, as its deletion reaches it. */
  public interface Client {
    /** RabbitMQ's name of the connection: {@code "127.0.0.1:45332 -> 127.0.0.1:5672"}. */
    String name();

    /**
     * Closes the connection with connection.close 320 CONNECTION_FORCED and this reply text (with
     * no method named), on the connection's own thread; returns at once.
     */
    void closeForced(String reason);
  }

  /** Told, on the queue's thread, when a queue deleted itself (auto-delete, x-expires). */
  @FunctionalInterface
  public interface QueueGone {
    void deletedItself(VirtualHost vhost, MessageQueue queue);
  }

  /**
   * The exchanges every virtual host has (AMQP 0-9-1 section 3.1.3, plus RabbitMQ's), all durable;
   * the store keeps each but the default exchange {@code ""}. The firehose's is internal ({@link
   * #isInternalStandard}).
   */
  public static final Map<String, ExchangeType> STANDARD_EXCHANGES =
      Map.of(
          "",
          ExchangeType.DIRECT,
          "amq.direct",
          ExchangeType.DIRECT,
          "amq.fanout",
          ExchangeType.FANOUT,
          "amq.topic",
          ExchangeType.TOPIC,
          "amq.headers",
          ExchangeType.HEADERS,
          "amq.match",
          ExchangeType.HEADERS,
          Firehose.EXCHANGE,
          ExchangeType.TOPIC);

  /** Whether a standard exchange is internal (clients cannot publish to it): the firehose's. */
  public static boolean isInternalStandard(String name) {
    return name.equals(Firehose.EXCHANGE);
  }

  private final String name;
  private final ExchangeRegistry exchanges = new ExchangeRegistry();
  private final ConcurrentHashMap<String, MessageQueue> queues = new ConcurrentHashMap<>();

  /**
   * The same queues in the order the management API lists them by name, kept beside the map (not
   * instead: a publish to the default exchange looks its queue up by name, in O(1)).
   */
  private final ConcurrentSkipListMap<String, MessageQueue> queuesByName =
      new ConcurrentSkipListMap<>(NameOrder.UTF8);

  private final DeadLetterSink deadLetters;
  private final ConcurrentHashMap<String, Consumer<Message>> replySinks = new ConcurrentHashMap<>();
  private final QueueGone queueGone;
  private final MemoryLedger ledger;
  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  private volatile VhostMetadata metadata = VhostMetadata.NONE;
  private volatile boolean deleted;
  private volatile boolean tracing;

  /** Connections open to this virtual host (counted at connection.open, for its limit). */
  private final AtomicLong connections = new AtomicLong();

  public VirtualHost(String name, QueueGone queueGone, MemoryLedger ledger) {
    this.name = name;
    this.queueGone = queueGone;
    this.ledger = ledger;
    this.deadLetters = new DeadLetterPublisher(this);
    STANDARD_EXCHANGES.forEach(
        (exchange, type) ->
            exchanges.declare(
                new Exchange(exchange, type, true, false, isInternalStandard(exchange), Map.of())));
  }

  public String name() {
    return name;
  }

  /**
   * Whether the firehose is on ({@link Firehose}). Not stored: tracing is off after a restart, as
   * in RabbitMQ.
   */
  public boolean tracing() {
    return tracing;
  }

  public void trace(boolean on) {
    tracing = on;
  }

  public ExchangeRegistry exchanges() {
    return exchanges;
  }

  /** Its description, tags and default queue type, as last stored. */
  public VhostMetadata metadata() {
    return metadata;
  }

  /**
   * True once the virtual host is deleted (stored so): changes of its definitions are refused from
   * then on, while its connections are being closed.
   */
  public boolean isDeleted() {
    return deleted;
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

  /**
   * The connections that opened this virtual host and are not gone: each adds itself at
   * connection.open-ok and removes itself when its socket closes (their event loops).
   */
  public Set<Client> clients() {
    return clients;
  }

  public MessageQueue queue(String queueName) {
    return queues.get(queueName);
  }

  public Collection<MessageQueue> queues() {
    return queues.values();
  }

  /**
   * The queues' names in the management API's name order (UTF-8 bytes), ascending or descending,
   * weakly consistent as {@link #queues()} is; a queue that deleted itself stays until forgotten.
   */
  public Iterator<String> queueNames(boolean descending) {
    return (descending ? queuesByName.descendingKeySet() : queuesByName.keySet()).iterator();
  }

  /**
   * How many queues {@link #queueNames} lists, read off the hash map (the sorted one would count
   * them one by one); both hold the same queues but for the moment of a put or remove.
   */
  public int queueCount() {
    return queues.size();
  }

  /**
   * Whether there are at least {@code limit} queues, not counting those that deleted themselves and
   * are not forgotten yet. O(queues) only when the map holds that many.
   */
  public boolean hasQueues(long limit) {
    if (queues.size() < limit) {
      return false;
    }
    return queues.values().stream().filter(q -> !q.isDeleted()).count() >= limit;
  }

  // --- Connections: any thread -------------------------------------------------------------

  /**
   * Counts a connection opening this virtual host unless {@code limit} (negative: none) are open;
   * false refuses it. Each true is matched by one {@link #connectionClosed}.
   */
  public boolean connectionOpened(long limit) {
    while (true) {
      long now = connections.get();
      if (limit >= 0 && now >= limit) {
        return false;
      }
      if (connections.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  public void connectionClosed() {
    connections.decrementAndGet();
  }

  /** Connections open to this virtual host now. */
  public long connectionCount() {
    return connections.get();
  }

  // --- Changes: the metadata thread only ----------------------------------------------------

  /** Its metadata is now {@code stored}. */
  public void describe(VhostMetadata stored) {
    metadata = stored;
  }

  /** The deletion of the virtual host is stored: see {@link #isDeleted()}. */
  public void markDeleted() {
    deleted = true;
  }

  /**
   * Creates, registers and starts a queue, which runs on {@code loop} with {@code stores}. The
   * caller checked that no live queue has the name: one deleted but not yet forgotten is replaced
   * (the caller removed it first, see {@link #planQueueRemoval}).
   */
  public MessageQueue createQueue(
      QueueDefinition definition,
      QueueSettings settings,
      Object exclusiveOwner,
      EventLoop loop,
      QueueStorage.Stores stores) {
    QueueServices services =
        new QueueServices(
            loop,
            loop::inEventLoop,
            new EventLoopScheduler(loop),
            deadLetters,
            queue -> queueGone.deletedItself(this, queue),
            stores.log(),
            stores.spill(),
            ledger);
    MessageQueue queue = new MessageQueue(definition, settings, exclusiveOwner, services);
    queues.put(definition.name(), queue);
    queuesByName.put(definition.name(), queue);
    queue.start();
    LOG.debug("queue '{}' declared in vhost '{}'", definition.name(), name);
    return queue;
  }

  /**
   * Whether both ends of the binding are here now: its source registered under its name, its
   * destination a queue not deleted or a registered exchange.
   */
  public boolean hasSource(Binding binding) {
    return exchanges.lookup(binding.source()).isPresent();
  }

  /** Whether the binding's destination is here: a queue not deleted, or a registered exchange. */
  public boolean hasDestination(Binding binding) {
    Destination d = binding.destination();
    return switch (d.kind()) {
      case QUEUE -> {
        MessageQueue queue = queues.get(d.name());
        yield queue != null && !queue.isDeleted();
      }
      case EXCHANGE -> exchanges.lookup(d.name()).isPresent();
    };
  }

  /** Adds a binding whose ends {@link #hasSource} and {@link #hasDestination} found. */
  public void bind(Binding binding) {
    exchanges.lookup(binding.source()).orElseThrow().bind(binding);
  }

  /** What forgetting {@code queue} removes: the queue, its bindings, and cascades. */
  public Removal planQueueRemoval(MessageQueue queue) {
    Removal removal = new Removal();
    if (queues.get(queue.name()) == queue) {
      removal.queue(queue);
      for (Binding b : exchanges.bindingsTo(Destination.queue(queue.name()))) {
        planBindingRemoval(b, removal);
      }
    }
    return removal;
  }

  /** What deleting the exchange removes: it, the bindings from and to it, and cascades. */
  public Removal planExchangeRemoval(String exchangeName) {
    Removal removal = new Removal();
    exchanges.lookup(exchangeName).ifPresent(x -> planExchange(x, removal));
    return removal;
  }

  /** What removing the binding removes: it, and its source if that is auto-delete and left bare. */
  public Removal planUnbind(Binding binding) {
    Removal removal = new Removal();
    Exchange source = exchanges.lookup(binding.source()).orElse(null);
    if (source != null && source.bindingsTo(binding.destination()).contains(binding)) {
      planBindingRemoval(binding, removal);
    }
    return removal;
  }

  private void planExchange(Exchange x, Removal removal) {
    if (removal.deletes(x)) {
      return;
    }
    removal.exchange(x);
    for (Binding b : x.bindings()) {
      removal.binding(b);
    }
    for (Binding b : exchanges.bindingsTo(Destination.exchange(x.name()))) {
      planBindingRemoval(b, removal);
    }
  }

  /** A binding goes; an auto-delete source exchange left without bindings goes with it. */
  private void planBindingRemoval(Binding b, Removal removal) {
    if (!removal.binding(b)) {
      return;
    }
    Exchange source = exchanges.lookup(b.source()).orElse(null);
    if (source != null
        && source.autoDelete()
        && source.bindingCount() == removal.bindingsRemovedFrom(source.name())) {
      planExchange(source, removal);
    }
  }

  /** Applies a removal worked out by the plan methods, with nothing changed since. */
  public void apply(Removal removal) {
    for (Binding b : removal.bindings()) {
      exchanges.lookup(b.source()).ifPresent(source -> source.unbind(b));
    }
    for (Exchange x : removal.exchanges()) {
      exchanges.delete(x.name());
      LOG.debug("exchange '{}' deleted in vhost '{}'", x.name(), name);
    }
    for (MessageQueue q : removal.queues()) {
      queues.remove(q.name(), q);
      queuesByName.remove(q.name(), q);
      LOG.debug("queue '{}' deleted in vhost '{}'", q.name(), name);
    }
  }
}
