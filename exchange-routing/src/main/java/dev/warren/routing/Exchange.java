package dev.warren.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One exchange: immutable properties, a mutable binding table, and the alternate exchange a policy
 * may give it.
 *
 * <p>Threads: {@link #route} runs on any thread, concurrently, without locks. {@link #bind}, {@link
 * #unbind} and {@link #removeBindingsTo} may also run on any thread; they are serialised by a lock
 * of this exchange that {@code route} never takes, and each becomes visible to routing whole (never
 * a half-applied change). A bind or unbind costs in proportion to the bindings sharing its key (its
 * trie node for topic), or to all bindings for fanout and headers, whose routing visits them all
 * anyway, or to the ring's points for consistent hash (whose routing is one binary search). {@link
 * #published} counts from any thread too, without a lock and without contention between threads
 * ({@link LongAdder}s); {@link #stats} reads the counts at any time.
 */
public final class Exchange {

  /** The argument naming the alternate exchange (RabbitMQ extension). */
  public static final String ALTERNATE_EXCHANGE = "alternate-exchange";

  private final String name;
  private final ExchangeType type;
  private final boolean durable;
  private final boolean autoDelete;
  private final boolean internal;
  private final Map<String, Object> arguments;
  private final String alternateExchange;

  /**
   * The alternate exchange the policy that applies names, or null; the argument wins over it, as in
   * RabbitMQ. Written by whoever applies policies, read by routing.
   */
  private volatile String policyAlternateExchange;

  private final BindingTable table;

  /** Whether routing reads the message's headers / hashed properties (see {@link Route}). */
  private final boolean readsHeaders;

  private final boolean readsProperties;

  private final Object writeLock = new Object();

  /** Every binding, by destination; guarded by {@code writeLock}. */
  private final Map<Destination, Set<Binding>> byDestination = new HashMap<>();

  private volatile int bindingCount;

  /** Told when the first binding to a destination appears and the last goes; under writeLock. */
  private BindingListener listener;

  private final LongAdder publishIn = new LongAdder();
  private final LongAdder publishOut = new LongAdder();

  /**
   * @param arguments exchange.declare's arguments; {@code null} means none. Copied.
   */
  public Exchange(
      String name,
      ExchangeType type,
      boolean durable,
      boolean autoDelete,
      boolean internal,
      Map<String, Object> arguments) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.durable = durable;
    this.autoDelete = autoDelete;
    this.internal = internal;
    this.arguments = FieldValues.immutableCopy(arguments);
    this.alternateExchange = FieldValues.text(this.arguments.get(ALTERNATE_EXCHANGE));
    HashSource hashSource =
        type == ExchangeType.X_CONSISTENT_HASH ? HashSource.of(this.arguments) : null;
    this.table =
        switch (type) {
          case DIRECT -> new DirectTable();
          case FANOUT -> new FanoutTable();
          case TOPIC -> new TopicTable();
          case HEADERS -> new HeadersTable();
          case X_CONSISTENT_HASH -> new ConsistentHashTable(hashSource);
        };
    this.readsHeaders =
        type == ExchangeType.HEADERS || (hashSource != null && hashSource.readsHeaders());
    this.readsProperties = hashSource != null && hashSource.readsProperties();
  }

  public String name() {
    return name;
  }

  public ExchangeType type() {
    return type;
  }

  public boolean durable() {
    return durable;
  }

  public boolean autoDelete() {
    return autoDelete;
  }

  public boolean internal() {
    return internal;
  }

  /** The declared arguments, unmodifiable. */
  public Map<String, Object> arguments() {
    return arguments;
  }

  /** The {@code alternate-exchange} argument, if it is a string. */
  public Optional<String> alternateExchange() {
    return Optional.ofNullable(alternateExchange);
  }

  /**
   * Why exchange.declare must refuse these arguments (RabbitMQ: PRECONDITION_FAILED, 406), or
   * empty. Only {@code x-consistent-hash} checks any: {@code hash-header} must be a string, {@code
   * hash-property} one of {@code message_id}, {@code correlation_id}, {@code timestamp}, and the
   * two are mutually exclusive (RabbitMQ's texts: {@code "hash-header and hash-property are
   * mutually exclusive"}, {@code "Unsupported property: <name>"}). The broker calls this before
   * declaring a new exchange; an exchange built with refused arguments still routes (see {@code
   * HashSource}).
   */
  public Optional<String> invalidArguments() {
    return type == ExchangeType.X_CONSISTENT_HASH
        ? HashSource.invalid(arguments)
        : Optional.empty();
  }

  /** Whether routing reads the headers: a headers exchange, or consistent-hash on a header. */
  boolean readsHeaders() {
    return readsHeaders;
  }

  /** Whether routing reads {@link HashProperties}: consistent-hash with {@code hash-property}. */
  boolean readsProperties() {
    return readsProperties;
  }

  /**
   * Sets the alternate exchange a policy names (null: none). Routing uses it when the exchange has
   * no {@code alternate-exchange} argument; redeclarations still compare the argument only.
   */
  public void policyAlternateExchange(String name) {
    policyAlternateExchange = name;
  }

  /**
   * The alternate exchange routing uses: the argument's, else the policy's, else null; for the hot
   * path, which avoids the Optional.
   */
  String alternateExchangeName() {
    return alternateExchange != null ? alternateExchange : policyAlternateExchange;
  }

  /**
   * The first property in which a redeclaration differs from this exchange, named as RabbitMQ names
   * it in its PRECONDITION_FAILED text ({@code "inequivalent arg '%s' for exchange ..."}): {@code
   * type}, {@code durable}, {@code auto_delete}, {@code internal} or {@code alternate-exchange}.
   * Empty if equivalent. Like RabbitMQ, {@code alternate-exchange} is the only argument compared.
   */
  public Optional<String> inequivalentProperty(Exchange requested) {
    if (type != requested.type) {
      return Optional.of("type");
    }
    if (durable != requested.durable) {
      return Optional.of("durable");
    }
    if (autoDelete != requested.autoDelete) {
      return Optional.of("auto_delete");
    }
    if (internal != requested.internal) {
      return Optional.of("internal");
    }
    if (!sameArgument(arguments, requested.arguments, ALTERNATE_EXCHANGE)) {
      return Optional.of(ALTERNATE_EXCHANGE);
    }
    return Optional.empty();
  }

  /**
   * Whether a redeclaration with these properties is accepted; see {@link #inequivalentProperty}.
   */
  public boolean equivalent(Exchange requested) {
    return inequivalentProperty(requested).isEmpty();
  }

  /**
   * Why this binding cannot be added (RabbitMQ: PRECONDITION_FAILED, 406), or empty: its source
   * must be this exchange; on a headers exchange {@code x-match} must be a valid mode; on a
   * consistent-hash exchange the binding key is the weight, an integer from 1 to {@value
   * ConsistentHashTable#MAX_WEIGHT} (RabbitMQ's texts: {@code "The binding key must be an integer:
   * <<\"abc\">>"}, {@code "The binding key must be greater than 0"}).
   */
  public Optional<String> invalidBinding(Binding b) {
    if (!b.source().equals(name)) {
      return Optional.of("binding source '" + b.source() + "' is not exchange '" + name + "'");
    }
    return switch (type) {
      case HEADERS -> HeadersMatch.invalid(b.arguments());
      case X_CONSISTENT_HASH -> ConsistentHashTable.invalidWeight(b.routingKey());
      default -> Optional.empty();
    };
  }

  /**
   * Adds a binding. Idempotent: returns false, changing nothing, if the same binding (destination,
   * key and arguments) already exists.
   *
   * @throws IllegalArgumentException if {@link #invalidBinding} refuses it
   */
  public boolean bind(Binding b) {
    Optional<String> invalid = invalidBinding(b);
    if (invalid.isPresent()) {
      throw new IllegalArgumentException(invalid.get());
    }
    synchronized (writeLock) {
      Set<Binding> same = byDestination.get(b.destination());
      if (same == null) {
        same = new LinkedHashSet<>();
        byDestination.put(b.destination(), same);
      } else if (same.contains(b)) {
        return false;
      }
      table.add(b);
      same.add(b);
      bindingCount++;
      if (same.size() == 1 && listener != null) {
        listener.firstBindingTo(this, b.destination());
      }
      return true;
    }
  }

  /** Removes a binding; false if it did not exist. */
  public boolean unbind(Binding b) {
    synchronized (writeLock) {
      Set<Binding> same = byDestination.get(b.destination());
      if (same == null || !same.remove(b)) {
        return false;
      }
      table.remove(b);
      bindingCount--;
      if (same.isEmpty()) {
        byDestination.remove(b.destination());
        if (listener != null) {
          listener.lastBindingTo(this, b.destination());
        }
      }
      return true;
    }
  }

  /**
   * Whether this exchange is the source of any binding (for auto-delete: RabbitMQ deletes an
   * auto-delete exchange when its last binding as source goes; that decision is the caller's).
   */
  public boolean hasBindings() {
    return bindingCount > 0;
  }

  /** How many bindings this exchange is the source of. */
  public int bindingCount() {
    synchronized (writeLock) {
      return bindingCount;
    }
  }

  /** A snapshot of every binding from this exchange. */
  public List<Binding> bindings() {
    synchronized (writeLock) {
      List<Binding> all = new ArrayList<>(bindingCount);
      byDestination.values().forEach(all::addAll);
      return all;
    }
  }

  /** A snapshot of the bindings from this exchange to {@code d}. */
  public List<Binding> bindingsTo(Destination d) {
    synchronized (writeLock) {
      Set<Binding> same = byDestination.get(d);
      return same == null ? List.of() : List.copyOf(same);
    }
  }

  /**
   * Reports to {@code out}, on the calling thread, the destination of every binding matching this
   * routing key and these headers ({@code null}: no headers; only headers exchanges read them).
   * Does not follow exchange destinations. A destination reached through several bindings (e.g. the
   * same queue bound with {@code a.*} and {@code *.b}) is reported once per binding; {@link
   * ExchangeRegistry#route} removes such duplicates. A consistent-hash exchange reports exactly one
   * destination (none without bindings), hashing the routing key or, with {@code hash-header}, that
   * header; one with {@code hash-property} needs the {@linkplain #route(String, Map,
   * HashProperties, Consumer) overload} that passes the properties.
   */
  public void route(String routingKey, Map<String, Object> headers, Consumer<Destination> out) {
    table.route(routingKey, headers, null, out);
  }

  /**
   * {@link #route(String, Map, Consumer)} with the basic properties that a consistent-hash exchange
   * declared with {@code hash-property} hashes ({@code null}: none; other types ignore them).
   */
  public void route(
      String routingKey,
      Map<String, Object> headers,
      HashProperties properties,
      Consumer<Destination> out) {
    table.route(routingKey, headers, properties, out);
  }

  /**
   * Counts a message a client published into this exchange, which reached {@code queues} queues (0:
   * unroutable). Any thread.
   */
  public void published(int queues) {
    publishIn.increment();
    if (queues > 0) {
      publishOut.add(queues);
    }
  }

  /** The messages counted by {@link #published} so far. Any thread; never blocks the publishers. */
  public ExchangeStats stats() {
    return new ExchangeStats(publishIn.sum(), publishOut.sum());
  }

  /**
   * Removes every binding from this exchange to {@code d} (the queue or exchange {@code d} is being
   * deleted); returns how many. Costs in proportion to the bindings removed.
   */
  public int removeBindingsTo(Destination d) {
    return removeAllTo(d).size();
  }

  /** {@link #removeBindingsTo}, returning the bindings removed. */
  List<Binding> removeAllTo(Destination d) {
    synchronized (writeLock) {
      Set<Binding> same = byDestination.get(d);
      if (same == null) {
        return List.of();
      }
      List<Binding> removed = List.copyOf(same);
      for (Binding b : removed) {
        unbind(b);
      }
      return removed;
    }
  }

  /**
   * Connects this exchange to its registry's reverse index ({@code null}: disconnects it). When
   * connecting, reports every destination already bound; when disconnecting, withdraws them.
   */
  void listener(BindingListener newListener) {
    synchronized (writeLock) {
      if (listener != null) {
        for (Destination d : byDestination.keySet()) {
          listener.lastBindingTo(this, d);
        }
      }
      listener = newListener;
      if (listener != null) {
        for (Destination d : byDestination.keySet()) {
          listener.firstBindingTo(this, d);
        }
      }
    }
  }

  private static boolean sameArgument(Map<String, Object> a, Map<String, Object> b, String key) {
    if (a.containsKey(key) != b.containsKey(key)) {
      return false;
    }
    Object x = a.get(key);
    Object y = b.get(key);
    return x == null ? y == null : y != null && FieldValues.equal(x, y);
  }

  @Override
  public String toString() {
    return "exchange '" + name + "' (" + type.wireName() + ")";
  }
}
