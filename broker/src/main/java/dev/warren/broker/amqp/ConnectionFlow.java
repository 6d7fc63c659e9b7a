package dev.warren.broker.amqp;

import dev.warren.amqp.Command;
import dev.warren.amqp.method.ConnectionBlocked;
import dev.warren.amqp.method.ConnectionUnblocked;
import dev.warren.broker.stats.ConnectionStats;
import dev.warren.queue.MemoryLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Back-pressure of one connection, both ways.
 *
 * <ul>
 *   <li>Inbound: the socket stops being read while any reason holds ({@link #pauseRead} / {@link
 *       #resumeRead} count them): a queue falling behind, a channel's backlog, a peer not reading
 *       what we send, a resource alarm after the connection published, publish credit spent.
 *   <li>Publish credit, as RabbitMQ's credit flow: every copy of a message routed to a queue holds
 *       one unit until that queue has taken it. Past {@value #PUBLISH_CREDIT} units the socket is
 *       no longer read, until the queues are down to half. So what a connection has routed and its
 *       queues not yet taken (mailbox tasks) is bounded, however many queues it routes to.
 *   <li>Outbound: queue threads reserve room before handing over a delivery; past {@value
 *       #OUTBOX_HIGH} deliveries waiting in the outbox, or while the socket is not writable,
 *       consumers are stalled and resumed once it drains to half. What waits to be written is
 *       counted in the broker's {@link MemoryLedger} at every flush.
 * </ul>
 *
 * Thread: the connection's event loop, except {@link #reserveDelivery}, {@link #deliveryDone} and
 * {@link #taken}, which queue threads call.
 */
final class ConnectionFlow {
  /** Deliveries waiting in the outbox above which consumers on this connection are held back. */
  private static final int OUTBOX_HIGH = 8192;

  /** Copies routed and not yet taken by their queues, past which the socket is not read. */
  static final int PUBLISH_CREDIT = 8192;

  /**
   * Heap per delivery waiting to be written: in the outbox (its task, the delivery) or in Netty's
   * outbound buffer (the command, its frames and their buffer objects; bodies are direct memory).
   */
  private static final int OUTBOUND_DELIVERY = 384;

  private final AmqpConnection connection;
  private final Queue<ChannelConsumer> stalled = new ConcurrentLinkedQueue<>();
  private final AtomicInteger outboxDepth = new AtomicInteger();
  private final AtomicInteger unitsInFlight = new AtomicInteger();
  private final Runnable creditBack = this::creditBack;
  private final MemoryLedger ledger;
  private boolean creditSpent;
  private long outboundReported;
  private int readPauses;
  private volatile boolean writable = true;
  private String alarmReason;
  private boolean blockedByAlarm;
  private final List<Runnable> heldByAlarm = new ArrayList<>();

  ConnectionFlow(AmqpConnection connection, MemoryLedger ledger) {
    this.connection = connection;
    this.ledger = ledger;
  }

  /**
   * A publish was routed to {@code copies} queues: it holds that much publish credit until each
   * queue has taken its copy ({@link #taken}). When the credit is spent the socket is no longer
   * read.
   */
  void routed(int copies) {
    if (unitsInFlight.addAndGet(copies) > PUBLISH_CREDIT && !creditSpent) {
      creditSpent = true;
      pauseRead();
    }
  }

  /** Any thread: a queue took one copy; run by the queue after the enqueue. */
  Runnable taken() {
    return creditBack;
  }

  private void creditBack() {
    if (unitsInFlight.decrementAndGet() == PUBLISH_CREDIT / 2) {
      connection.outbox().execute(this::creditRestored);
    }
  }

  private void creditRestored() {
    if (creditSpent && unitsInFlight.get() <= PUBLISH_CREDIT / 2) {
      creditSpent = false;
      resumeRead();
    }
  }

  /**
   * At every flush: what waits to be written (deliveries in the outbox and in Netty's outbound
   * buffer) is counted in the ledger. {@code unflushed}: entries in the outbound buffer.
   */
  void countOutbound(int unflushed) {
    long now = (long) (outboxDepth.get() + unflushed) * OUTBOUND_DELIVERY;
    ledger.add(now - outboundReported);
    outboundReported = now;
  }

  /** The connection is gone: what it counted in the ledger is given back. */
  void close() {
    ledger.add(-outboundReported);
    outboundReported = 0;
  }

  /** Stops reading the socket; paired with {@link #resumeRead}. */
  void pauseRead() {
    if (readPauses++ == 0) {
      connection.ctx().channel().config().setAutoRead(false);
    }
  }

  void resumeRead() {
    if (--readPauses == 0) {
      connection.ctx().channel().config().setAutoRead(true);
      connection.ctx().read();
    }
  }

  /** The resource alarm changed (null: cleared). */
  void alarm(String reason, boolean clientListens) {
    alarmReason = reason;
    if (reason == null && blockedByAlarm) {
      blockedByAlarm = false;
      if (clientListens) {
        connection.send(new Command(0, new ConnectionUnblocked(), null, null));
        connection.flushIfNeeded();
      }
      resumeRead();
      List<Runnable> held = new ArrayList<>(heldByAlarm);
      heldByAlarm.clear();
      held.forEach(Runnable::run);
    }
  }

  /**
   * A publish arrived: under an alarm it is held back and the connection blocked from now on, as
   * RabbitMQ does (connections that only consume are never blocked). True when held.
   */
  boolean blockPublish(boolean clientListens) {
    if (alarmReason == null) {
      // The alarm (or the ledger past its limit) may be set before its news reached this outbox.
      String now = connection.alarmNow();
      if (now == null) {
        return false;
      }
      alarmReason = now;
      connection.blockedEarly();
    }
    if (!blockedByAlarm) {
      blockedByAlarm = true;
      if (clientListens) {
        connection.send(new Command(0, new ConnectionBlocked(alarmReason), null, null));
      }
      pauseRead();
    }
    return true;
  }

  /**
   * An open connection's state as RabbitMQ names it: blocked (held by an alarm), blocking (an alarm
   * is set, nothing published since), flow (its publish credit is spent) or running.
   */
  ConnectionStats.State state() {
    if (blockedByAlarm) {
      return ConnectionStats.State.BLOCKED;
    }
    if (alarmReason != null) {
      return ConnectionStats.State.BLOCKING;
    }
    return creditSpent ? ConnectionStats.State.FLOW : ConnectionStats.State.RUNNING;
  }

  /** Runs {@code resume} once the alarm that blocked this connection clears. */
  void whenUnblocked(Runnable resume) {
    heldByAlarm.add(resume);
  }

  /** Called by queue threads: may this connection take one more delivery now? */
  boolean reserveDelivery(ChannelConsumer consumer) {
    if (writable && outboxDepth.get() < OUTBOX_HIGH) {
      outboxDepth.incrementAndGet();
      return true;
    }
    if (consumer.markStalled()) {
      stalled.add(consumer);
      if (writable && outboxDepth.get() < OUTBOX_HIGH) {
        resumeStalled();
      }
    }
    return false;
  }

  /** A delivery left the outbox (written or dropped). */
  void deliveryDone() {
    if (outboxDepth.decrementAndGet() == OUTBOX_HIGH / 2 && writable) {
      resumeStalled();
    }
  }

  void writabilityChanged(boolean nowWritable) {
    if (nowWritable == writable) {
      return;
    }
    writable = nowWritable;
    if (writable) {
      resumeRead();
      resumeStalled();
    } else {
      // A peer that does not read what we send (confirms, returns, deliveries) is not read either.
      pauseRead();
    }
  }

  /**
   * Resumes the consumers stalled so far, and only those: a resumed queue may fill the outbox at
   * once and stall its consumer again, which must wait for the next resume, not loop here.
   */
  private void resumeStalled() {
    for (int n = stalled.size(); n > 0; n--) {
      ChannelConsumer consumer = stalled.poll();
      if (consumer == null) {
        return;
      }
      consumer.unstall();
    }
  }
}
