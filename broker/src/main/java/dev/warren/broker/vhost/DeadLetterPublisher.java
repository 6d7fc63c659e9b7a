package dev.warren.broker.vhost;

import dev.warren.amqp.BasicProperties;
import dev.warren.amqp.LongString;
import dev.warren.queue.Confirmation;
import dev.warren.queue.DeadLetterSink;
import dev.warren.queue.MemoryLedger;
import dev.warren.queue.Message;
import dev.warren.queue.MessageQueue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Republishes dead-lettered messages to their queue's dead-letter exchange, with the {@code
 * x-death} header as RabbitMQ writes it:
 *
 * <ul>
 *   <li>{@code x-death}: one table per (queue, reason), most recent first, with {@code count}
 *       (long), {@code reason}, {@code queue}, {@code time} (of the first such death), {@code
 *       exchange}, {@code routing-keys} and, when the message had a per-message TTL, {@code
 *       original-expiration} (the expiration property itself is removed, so the message does not
 *       expire again). Several tables for one (queue, reason), as RabbitMQ before 3.5 wrote them
 *       (one per death, without count), become the first of them, with their number as its count
 *       when it has none, as RabbitMQ 3.x merges them;
 *   <li>{@code x-first-death-reason}, {@code -queue}, {@code -exchange}: set when the message had
 *       no {@code x-death} yet (RabbitMQ 3.10);
 *   <li>{@code x-last-death-reason}, {@code -queue}, {@code -exchange}: set every time.
 * </ul>
 *
 * The message goes on with its routing key and the keys of its {@code CC} header (all recorded in
 * {@code routing-keys}), unless the queue sets a dead-letter routing key: then with that alone, and
 * CC and BCC are removed.
 *
 * <p>A message that would come back to a queue it already died in, with no rejection anywhere in
 * its history, is in a cycle that nobody ends: it is dropped for that queue, as RabbitMQ does.
 *
 * <p>Thread: the dead-lettering queue's. Buffers: takes ownership of one reference to the message.
 */
final class DeadLetterPublisher implements DeadLetterSink {
  private static final Runnable NOTHING = () -> {};

  private final VirtualHost vhost;
  private final MemoryLedger ledger;

  DeadLetterPublisher(VirtualHost vhost) {
    this.vhost = vhost;
    this.ledger = vhost.ledger();
  }

  @Override
  public void deadLetter(MessageQueue from, Message message, Reason reason, Confirmation stored) {
    boolean handedOn = false;
    try {
      String exchange = from.settings().deadLetterExchange();
      if (vhost.exchanges().lookup(exchange).isEmpty()) {
        return;
      }
      BasicProperties original = BasicProperties.decode(message.properties().duplicate());
      List<Object> deaths = deaths(original);
      List<String> keys = new ArrayList<>();
      keys.add(message.routingKey());
      keys.addAll(ccKeys(original.headers()));
      Map<String, Object> headers = withDeath(original, deaths, from, message, keys, reason);
      String override = from.settings().deadLetterRoutingKey();
      if (override != null) {
        // As RabbitMQ: with a dead-letter routing key, CC and BCC no longer apply.
        headers.remove("CC");
        headers.remove("BCC");
        keys = List.of(override);
      }
      String routingKey = keys.get(0);
      QueueTargets targets = new QueueTargets();
      vhost.exchanges().route(exchange, keys, () -> headers, null, targets.routeInto());
      if (targets.resolve(vhost, name -> !isCycle(name, deaths, reason)) == 0) {
        return;
      }
      Message dead = reencode(message, original, headers, exchange, routingKey);
      handedOn = true;
      targets.publish(dead, Confirmation.allOf(targets.size(), stored), NOTHING);
      dead.release();
    } finally {
      if (!handedOn) {
        stored.settle(true);
      }
      message.release();
    }
  }

  private static List<String> ccKeys(Map<String, Object> headers) {
    List<String> keys = new ArrayList<>();
    if (headers != null && headers.get("CC") instanceof List<?> list) {
      for (Object key : list) {
        if (key instanceof LongString || key instanceof String) {
          keys.add(key.toString());
        }
      }
    }
    return keys;
  }

  /**
   * The message's x-death tables, one per (queue, reason) in the order of their first table: a
   * repeated one is dropped, and the first table of a repeated pair without a count gets their
   * number as its count.
   */
  private static List<Object> deaths(BasicProperties p) {
    Object existing = p.headers() == null ? null : p.headers().get("x-death");
    List<Object> deaths = new ArrayList<>();
    if (!(existing instanceof List<?> list)) {
      return deaths;
    }
    Map<String, Integer> firstAt = new HashMap<>();
    Map<Integer, Integer> repeats = new HashMap<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> d)) {
        deaths.add(o);
        continue;
      }
      String key = d.get("queue") + "\u0000" + d.get("reason");
      Integer at = firstAt.putIfAbsent(key, deaths.size());
      if (at == null) {
        deaths.add(o);
      } else {
        repeats.merge(at, 1, Integer::sum);
      }
    }
    for (Map.Entry<Integer, Integer> r : repeats.entrySet()) {
      Map<?, ?> first = (Map<?, ?>) deaths.get(r.getKey());
      if (!first.containsKey("count")) {
        Map<String, Object> counted = new LinkedHashMap<>();
        counted.put("count", 1L + r.getValue());
        for (Map.Entry<?, ?> e : first.entrySet()) {
          counted.put(String.valueOf(e.getKey()), e.getValue());
        }
        deaths.set(r.getKey(), counted);
      }
    }
    return deaths;
  }

  private static Map<String, Object> withDeath(
      BasicProperties p,
      List<Object> deaths,
      MessageQueue from,
      Message message,
      List<String> routingKeys,
      Reason reason) {
    Map<String, Object> death = null;
    for (int i = 0; i < deaths.size(); i++) {
      if (deaths.get(i) instanceof Map<?, ?> d
          && from.name().equals(String.valueOf(d.get("queue")))
          && reason.wireName().equals(String.valueOf(d.get("reason")))) {
        death = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : d.entrySet()) {
          death.put(String.valueOf(e.getKey()), e.getValue());
        }
        deaths.remove(i);
        break;
      }
    }
    if (death == null) {
      death = new LinkedHashMap<>();
      death.put("count", 0L);
      death.put("reason", LongString.of(reason.wireName()));
      death.put("queue", LongString.of(from.name()));
      death.put("time", new Date(System.currentTimeMillis() / 1000 * 1000));
      death.put("exchange", LongString.of(message.exchange()));
      List<Object> keys = new ArrayList<>();
      for (String key : routingKeys) {
        keys.add(LongString.of(key));
      }
      death.put("routing-keys", keys);
      if (p.expiration() != null) {
        death.put("original-expiration", LongString.of(p.expiration()));
      }
    }
    Object count = death.get("count");
    death.put("count", (count instanceof Number n ? n.longValue() : 0L) + 1);
    deaths.add(0, death);

    Map<String, Object> headers = new LinkedHashMap<>();
    if (p.headers() != null) {
      headers.putAll(p.headers());
    }
    boolean firstDeath = !headers.containsKey("x-death");
    headers.put("x-death", deaths);
    LongString queue = LongString.of(from.name());
    LongString why = LongString.of(reason.wireName());
    LongString exchange = LongString.of(message.exchange());
    if (firstDeath) {
      headers.putIfAbsent("x-first-death-reason", why);
      headers.putIfAbsent("x-first-death-queue", queue);
      headers.putIfAbsent("x-first-death-exchange", exchange);
    }
    headers.put("x-last-death-reason", why);
    headers.put("x-last-death-queue", queue);
    headers.put("x-last-death-exchange", exchange);
    return headers;
  }

  /** Back to a queue it already died in, and never rejected by a client on the way. */
  private static boolean isCycle(String target, List<Object> deaths, Reason now) {
    if (now == Reason.REJECTED) {
      return false;
    }
    boolean diedThere = false;
    for (Object o : deaths) {
      if (o instanceof Map<?, ?> d) {
        if (Reason.REJECTED.wireName().equals(String.valueOf(d.get("reason")))) {
          return false;
        }
        diedThere |= target.equals(String.valueOf(d.get("queue")));
      }
    }
    return diedThere;
  }

  private Message reencode(
      Message message,
      BasicProperties p,
      Map<String, Object> headers,
      String exchange,
      String routingKey) {
    BasicProperties dead = p.withHeaders(headers).withExpiration(null);
    ByteBuf properties = ByteBufAllocator.DEFAULT.buffer();
    dead.encode(properties);
    return new Message(
        exchange,
        routingKey,
        properties,
        message.body().retainedDuplicate(),
        message.persistent(),
        message.priority(),
        -1,
        ledger);
  }
}
