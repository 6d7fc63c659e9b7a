package dev.warren.queue;

import dev.warren.storage.RemoteQueue;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A queue's client commands while another node leads its log: each goes to the queue on that node
 * ({@link RemoteQueue}) and its answer comes back here. Publishes are confirmed once the leader's
 * queue has them committed, nacked when it refused them or did not answer in time. Consumers here
 * are fed by pulling: for the next consumer with room, up to {@value #BATCH} messages are taken
 * from the leader (one request at a time, so they arrive in queue order), then the next; when the
 * leader has none ready, it is asked again after a pause that grows from {@value #POLL_MIN_MILLIS}
 * to {@value #POLL_MAX_MILLIS} ms. Each pull names the priority of its consumer, and once no
 * consumer here has room the leader is told so: it keeps priorities across the nodes ({@link
 * RemoteAppetite}). On a single-active-consumer queue this node puts its first consumer forward
 * ({@link #contend}). Deliveries carry the log's message ids, which every node shares: acks and
 * rejects go to whichever node leads when they are made.
 *
 * <p>Owner: the queue's thread. Answers from the leader arrive on the log's threads and hop to the
 * queue's mailbox. Messages taken for a consumer are delivered to it even when the leader changed
 * meanwhile (their ids hold on every node); any beyond its reservation go back, requeued.
 */
final class Forwarding {
  private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);

  /** Messages taken from the leader in one request, at most. */
  static final int BATCH = 64;

  static final long POLL_MIN_MILLIS = 10;
  static final long POLL_MAX_MILLIS = 200;

  /** Attempts at an ack or reject to the same leader before it is given up. */
  static final int SETTLE_TRIES = 10;

  private final MessageQueue queue;
  private final ConsumerSelection consumers;
  private final Mailbox mailbox;
  private final Scheduler scheduler;
  private final MemoryLedger ledger;

  private RemoteQueue leader;

  /** The node that leads the queue's log while this one follows it, or null. */
  private String leaderNode;

  /**
   * The consumer this node last put forward to {@link #leader} (single active consumer); null when
   * that failed and it goes again.
   */
  private ConsumerSelection.Candidate contended = ConsumerSelection.Candidate.NONE;

  private boolean pulling;

  /** Whether this node pulled since it last told the leader its consumers have no room. */
  private boolean hungry;

  private Scheduler.Cancellable poll;
  private long pause = POLL_MIN_MILLIS;

  Forwarding(
      MessageQueue queue,
      ConsumerSelection consumers,
      Mailbox mailbox,
      Scheduler scheduler,
      MemoryLedger ledger) {
    this.queue = queue;
    this.consumers = consumers;
    this.mailbox = mailbox;
    this.scheduler = scheduler;
    this.ledger = ledger;
  }

  /**
   * Node {@code node} leads the queue's log: commands go there through {@code remote}, or are
   * refused naming it when {@code remote} is null (a log that cannot forward).
   */
  void follow(String node, RemoteQueue remote) {
    leaderNode = node;
    to(remote);
    contend();
  }

  /** No other node is known to lead (this one does, or none): nothing is forwarded. */
  void stop() {
    leaderNode = null;
    to(null);
  }

  /** The node this queue follows, or null. */
  String leaderNode() {
    return leaderNode;
  }

  /**
   * A command while another node leads: {@code forward} sends it there; without a way there ({@code
   * forward} null, or no remote) it is refused, naming that node.
   */
  void forwardOrRefuse(Runnable forward, Consumer<QueueException> refuse) {
    if (forward != null && leader != null) {
      forward.run();
    } else {
      refuse.accept(
          new QueueException(
              QueueException.Reason.NOT_LEADER,
              "queue '"
                  + queue.name()
                  + "' is served by cluster node "
                  + leaderNode
                  + ", not this one"));
    }
  }

  /**
   * Forwards to {@code to} from now on; null stops forwarding (requests in flight are ignored).
   * Either way this node does not lead: the consumers other nodes put forward are forgotten.
   */
  private void to(RemoteQueue to) {
    consumers.forgetRemote();
    leader = to;
    contended = ConsumerSelection.Candidate.NONE;
    hungry = false;
    pulling = false;
    pause = POLL_MIN_MILLIS;
    if (poll != null) {
      poll.cancel();
      poll = null;
    }
  }

  boolean active() {
    return leader != null;
  }

  /** Takes ownership of {@code message}; {@code confirm} may be null. */
  void publish(Message message, Confirmation confirm) {
    ByteBuf metadata = StoredForm.metadata(message, scheduler.epochMillis());
    ByteBuf body = message.body().retain();
    message.release();
    leader
        .publish(metadata, body)
        .whenComplete(
            (accepted, failure) -> {
              if (failure != null) {
                LOG.debug("queue '{}': a forwarded publish failed", queue.name(), failure);
              }
              if (confirm != null) {
                confirm.settle(failure == null && accepted);
              }
            });
  }

  void get(boolean noAck, CompletableFuture<Delivery> done) {
    RemoteQueue from = leader;
    from.get(noAck, 1, 0, 0)
        .whenComplete(
            (taken, failure) ->
                mailbox.execute(
                    () -> {
                      if (failure != null) {
                        done.completeExceptionally(refusal(failure));
                      } else if (taken.isEmpty()) {
                        done.complete(null);
                      } else {
                        done.complete(delivery(taken.get(0)));
                        giveBack(from, noAck, taken.subList(1, taken.size()));
                      }
                    }));
  }

  /**
   * An ack; {@code applied}: a transaction's, answered once the leader's log applied it (or failed:
   * the commit fails). Any other is sent again if it fails ({@link #settle}).
   */
  void ack(long[] ids, int count, boolean applied, CompletableFuture<Void> done) {
    long[] acked = Arrays.copyOf(ids, count);
    if (applied) {
      answer(leader.ack(acked, true), done);
    } else {
      settle(leader, to -> to.ack(acked, false), "an ack", 1, done);
    }
  }

  void reject(long[] ids, int count, boolean requeue) {
    long[] rejected = Arrays.copyOf(ids, count);
    settle(leader, to -> to.reject(rejected, requeue), "a reject", 1, new CompletableFuture<>());
  }

  /**
   * Sends an ack or reject to {@code to}; when that fails (the leader did not answer in time, its
   * forwarding client was being replaced), again after {@value #POLL_MAX_MILLIS} ms while the same
   * node leads, {@value #SETTLE_TRIES} times in all. Unsettled, the message stays out on the leader
   * until that node sees this one stopped or stops leading; either brings it back, redelivered.
   */
  private void settle(
      RemoteQueue to,
      Function<RemoteQueue, CompletableFuture<Void>> send,
      String what,
      int tries,
      CompletableFuture<Void> done) {
    send.apply(to)
        .whenComplete(
            (ok, failure) ->
                mailbox.execute(
                    () -> {
                      if (failure == null) {
                        done.complete(null);
                      } else if (to != leader || tries >= SETTLE_TRIES) {
                        LOG.debug(
                            "queue '{}': {} forwarded {} times failed",
                            queue.name(),
                            what,
                            tries,
                            failure);
                        done.completeExceptionally(refusal(failure));
                      } else {
                        scheduler.schedule(
                            () -> mailbox.execute(() -> settle(to, send, what, tries + 1, done)),
                            POLL_MAX_MILLIS);
                      }
                    }));
  }

  /**
   * On a single-active-consumer queue: puts this node's first consumer forward to the leader, when
   * it changed since it last did (a consumer came or went, the leader changed); the leader makes it
   * the active one in its turn, and serves its pulls only then. A failed attempt is made again
   * every {@value #POLL_MAX_MILLIS} ms, with the consumer first by then, while that node leads:
   * without it, this node's consumers would never receive.
   */
  void contend() {
    ConsumerSelection.Candidate c = consumers.candidate();
    if (leader == null || c.equals(contended)) {
      return;
    }
    contended = c;
    RemoteQueue to = leader;
    to.contend(c.serial(), c.priority())
        .whenComplete((ok, failure) -> mailbox.execute(() -> contended(to, c, failure)));
  }

  /**
   * The leader's answer to {@link #contend}: when it failed, and the same node leads and nothing
   * newer went since, the leader is taken not to know this node's consumer, which goes again.
   */
  private void contended(RemoteQueue to, ConsumerSelection.Candidate c, Throwable failure) {
    if (failure == null || to != leader || !c.equals(contended)) {
      return;
    }
    LOG.debug("queue '{}': node {} did not take this node's consumer", queue.name(), leaderNode);
    contended = null;
    scheduler.schedule(() -> mailbox.execute(this::contend), POLL_MAX_MILLIS);
  }

  /** The leader's counts, with the consumers here (the leader does not know them). */
  void counts(CompletableFuture<QueueCounts> done, int consumersHere) {
    answer(
        leader
            .counts()
            .thenApply(c -> new QueueCounts(c.messages(), c.consumers() + consumersHere)),
        done);
  }

  void purge(CompletableFuture<Integer> done) {
    answer(leader.purge(), done);
  }

  /**
   * Answers {@code done} on the queue's thread: the leader's value, or its failure as a refusal.
   */
  private <T> void answer(CompletableFuture<T> reply, CompletableFuture<T> done) {
    reply.whenComplete(
        (value, failure) ->
            mailbox.execute(
                () -> {
                  if (failure == null) {
                    done.complete(value);
                  } else {
                    done.completeExceptionally(refusal(failure));
                  }
                }));
  }

  /**
   * Feeds the consumers here: takes messages from the leader for the next consumer with room. Does
   * nothing while a request is out, a poll is due, or no consumer has room (its {@link
   * MessageQueue#resume()} calls back).
   */
  void pull() {
    if (leader == null || pulling || poll != null) {
      return;
    }
    QueueConsumer c = consumers.reserveNext();
    if (c == null) {
      sated();
      return;
    }
    hungry = true;
    int reserved = 1;
    while (reserved < BATCH && c.tryReserve()) {
      reserved++;
    }
    pulling = true;
    RemoteQueue from = leader;
    int n = reserved;
    from.get(c.noAck(), n, consumers.serial(c), c.priority())
        .whenComplete(
            (taken, failure) -> mailbox.execute(() -> pulled(from, c, n, taken, failure)));
  }

  private void pulled(
      RemoteQueue from,
      QueueConsumer c,
      int reserved,
      List<RemoteQueue.Delivered> taken,
      Throwable failure) {
    int delivered = 0;
    if (failure == null) {
      for (RemoteQueue.Delivered d : taken) {
        if (delivered < reserved) {
          c.deliver(delivery(d));
          delivered++;
        } else {
          giveBack(from, c.noAck(), List.of(d));
        }
      }
    } else {
      LOG.debug("queue '{}': taking messages from the leader failed", queue.name(), failure);
    }
    for (int i = delivered; i < reserved; i++) {
      c.unreserve();
    }
    if (from != leader) {
      return;
    }
    pulling = false;
    if (delivered > 0) {
      pause = POLL_MIN_MILLIS;
      pull();
    } else {
      long wait = pause;
      pause = Math.min(pause * 2, POLL_MAX_MILLIS);
      poll =
          scheduler.schedule(
              () ->
                  mailbox.execute(
                      () -> {
                        poll = null;
                        pull();
                      }),
              wait);
    }
  }

  /**
   * No consumer here has room: the leader is told once, so that it feeds consumers of lower
   * priority than those here at once ({@link RemoteAppetite}). A pull that names {@link
   * ConsumerSelection#SATED} takes nothing.
   */
  private void sated() {
    if (hungry) {
      hungry = false;
      leader.get(true, 1, ConsumerSelection.SATED, 0);
    }
  }

  /** Messages taken and not delivered here go back to the leader's queue, requeued. */
  private void giveBack(RemoteQueue from, boolean noAck, List<RemoteQueue.Delivered> extra) {
    if (extra.isEmpty()) {
      return;
    }
    long[] ids = new long[extra.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = extra.get(i).message().messageId();
      extra.get(i).message().release();
    }
    if (!noAck) {
      from.reject(ids, true);
    }
  }

  private Delivery delivery(RemoteQueue.Delivered d) {
    StoredForm.Restored restored = StoredForm.restore(d.message(), ledger);
    return new Delivery(
        queue,
        d.message().messageId(),
        restored.message(),
        d.redelivered(),
        d.messageCount(),
        d.deliveryCount());
  }

  private QueueException refusal(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return new QueueException(
        QueueException.Reason.NOT_LEADER,
        "queue '" + queue.name() + "': its leader did not serve the command: " + cause.getMessage(),
        cause);
  }
}
