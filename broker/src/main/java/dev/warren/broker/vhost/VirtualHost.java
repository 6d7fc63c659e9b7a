package dev.warren.broker.vhost;

import dev.warren.persistence.journal.QueueJournal;
import dev.warren.queue.DeadLetterSink;
import dev.warren.queue.Message;
import dev.warren.queue.Queue;
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
 * One virtual host: its exchanges (with their bindings) and its queues. Thread-safe: connections on
 * every event loop declare, bind and route concurrently. Lookups are lock-free; changes that must
 * be atomic across the queue table and the binding tables (deletes, with their auto-delete
 * cascades) are serialised on this object.
 */
public final class VirtualHost {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualHost.class);

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
  private final ConcurrentHashMap<String, Queue> queues = new ConcurrentHashMap<>();
  private final DeadLetterSink deadLetters;
  private final ConcurrentHashMap<String, Consumer<Message>> replySinks = new ConcurrentHashMap<>();

  public VirtualHost(String name) {
    this.name = name;
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

  /**
   * Direct reply-to consumers by the name publishers route to ({@code amq.rabbitmq.reply-to.*}); a
   * sink takes ownership of the message it is given.
   */
  public ConcurrentHashMap<String, Consumer<Message>> replySinks() {
    return replySinks;
  }

  public Queue queue(String queueName) {
    return queues.get(queueName);
  }

  public Collection<Queue> queues() {
    return queues.values();
  }

  /**
   * Returns the queue of that name, creating it if absent (then telling {@code created}); the
   * caller checks that an existing one is equivalent. A new queue runs on {@code loop} and stores
   * its persistent messages in {@code journal} (null: in memory only).
   */
  public Queue declareQueue(
      QueueDefinition definition,
      QueueSettings settings,
      Object exclusiveOwner,
      EventLoop loop,
      QueueJournal journal,
      Consumer<Queue> created) {
    return queues.compute(
        definition.name(),
        (n, existing) -> {
          if (existing != null && !existing.isDeleted()) {
            return existing;
          }
          LOG.debug("queue '{}' declared in vhost '{}'", n, name);
          QueueServices services =
              new QueueServices(
                  loop,
                  loop::inEventLoop,
                  new EventLoopScheduler(loop),
                  deadLetters,
                  this::forget,
                  journal);
          Queue queue = new Queue(definition, settings, exclusiveOwner, services);
          created.accept(queue);
          return queue;
        });
  }

  /**
   * Removes a queue from the vhost and every binding to it, deleting auto-delete exchanges left
   * without bindings. The queue itself is deleted by its caller (or deleted itself).
   */
  public synchronized void forget(Queue queue) {
    if (queues.remove(queue.name(), queue)) {
      for (Binding b : exchanges.bindingsTo(Destination.queue(queue.name()))) {
        unbind(b);
      }
      LOG.debug("queue '{}' deleted in vhost '{}'", queue.name(), name);
    }
  }

  /** Removes a binding; an auto-delete source exchange left without bindings goes with it. */
  public synchronized boolean unbind(Binding binding) {
    Exchange source = exchanges.lookup(binding.source()).orElse(null);
    if (source == null || !source.unbind(binding)) {
      return false;
    }
    if (source.autoDelete() && !source.hasBindings()) {
      deleteExchange(source.name());
    }
    return true;
  }

  /** Deletes an exchange with the bindings from and to it, cascading auto-delete. */
  public synchronized void deleteExchange(String exchangeName) {
    List<Binding> inbound = exchanges.bindingsTo(Destination.exchange(exchangeName));
    if (exchanges.delete(exchangeName) == null) {
      return;
    }
    for (Binding b : inbound) {
      Exchange source = exchanges.lookup(b.source()).orElse(null);
      if (source != null && source.autoDelete() && !source.hasBindings()) {
        deleteExchange(source.name());
      }
    }
  }
}
