package dev.warren.stress;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The reproduction. One connection declares {@code --queues} server-named queues
 * (exclusive, auto-delete), binds each to amq.fanout and starts one manual-ack consumer on each,
 * with no basic.qos, never acking; then {@code --publishers} other connections each publish
 * persistent empty messages to amq.fanout as fast as their confirm window allows for {@code
 * --seconds}; then the first channel is aborted (every unacked delivery goes back to its queue, and
 * the queues delete themselves as their consumers go).
 *
 * <p>The checker: the server-named queues are gone once the channel is, so a witness queue (named,
 * not exclusive, not durable, bound to amq.fanout like the others, never consumed during the storm)
 * is drained at the end; every confirmed message must be in it. {@code --no-witness} runs the bare
 * reproduction, without that check.
 */
@Command(name = "fanout-unacked", description = "unacked fan-out to many queues, then an abort")
final class FanoutUnacked implements Callable<Integer> {
  private static final String WITNESS = "stress.fanout-unacked.witness";

  @Mixin Target target;

  @Option(names = "--queues", defaultValue = "1500", description = "server-named queues")
  int queues;

  @Option(names = "--publishers", defaultValue = "100", description = "publishing connections")
  int publishers;

  @Option(names = "--seconds", defaultValue = "2", description = "how long they publish")
  double seconds;

  @Option(
      names = "--window",
      defaultValue = "1000",
      description = "unconfirmed messages each publisher may have out (${DEFAULT-VALUE})")
  int window;

  @Option(
      names = "--confirm-timeout",
      defaultValue = "30",
      description = "seconds to wait for the last confirms after publishing stops")
  int confirmTimeoutSeconds;

  @Option(
      names = "--hold",
      defaultValue = "0",
      description =
          "seconds between the end of publishing and the abort (0: at once, as the issue)")
  double holdSeconds;

  @Option(
      names = "--witness",
      negatable = true,
      defaultValue = "true",
      description = "check confirmed messages through a witness queue (default: true)")
  boolean witness;

  @Override
  public Integer call() throws Exception {
    Report report = new Report("fanout-unacked");
    Ledger ledger = new Ledger();
    LongAdder delivered = new LongAdder();
    try (ConnectionSet connections = new ConnectionSet()) {
      Connection consumers = connections.add(target.connect("fanout-unacked consumers"));
      Channel first = consumers.createChannel();
      for (int i = 0; i < queues; i++) {
        String queue = first.queueDeclare().getQueue();
        first.queueBind(queue, "amq.fanout", "");
        first.basicConsume(queue, false, new Counting(first, delivered));
      }
      Connection check = connections.add(target.connect("fanout-unacked witness"));
      Channel witnessChannel = check.createChannel();
      if (witness) {
        witnessChannel.queueDeclare(WITNESS, false, false, false, null);
        witnessChannel.queuePurge(WITNESS);
        witnessChannel.queueBind(WITNESS, "amq.fanout", "");
      }
      report.note("%d queues bound to amq.fanout, one unacked consumer each", queues);

      List<ConfirmingPublisher> pubs = new ArrayList<>();
      for (int i = 0; i < publishers; i++) {
        Connection c = connections.add(target.connect("fanout-unacked publisher " + i));
        pubs.add(new ConfirmingPublisher(c.createChannel(), ledger.publisher(), window));
      }
      Phases.publishFor(
          report,
          pubs,
          Duration.ofMillis((long) (seconds * 1000)),
          "amq.fanout",
          (publisher, n) -> "",
          true,
          new byte[0],
          () -> progress(report, ledger, delivered, connections));
      if (holdSeconds > 0) {
        report.note("publishers stopped; holding %.1f s before the abort", holdSeconds);
        Thread.sleep((long) (holdSeconds * 1000));
        progress(report, ledger, delivered, connections);
      }
      report.note("aborting the consumers' channel");
      first.abort();
      long unconfirmed = Phases.awaitConfirms(pubs, Duration.ofSeconds(confirmTimeoutSeconds));
      progress(report, ledger, delivered, connections);
      report.figure("queues", queues).figure("delivered_to_unacked_consumers", delivered.sum());
      report.figure("unconfirmed", unconfirmed);
      report.figure("blocked_notices", connections.blockedNotices());
      if (witness) {
        drainWitness(report, ledger, witnessChannel);
        report.counts(ledger.counts());
      } else {
        Ledger.Counts c = ledger.counts();
        report.figure("published", c.published()).figure("confirmed", c.confirmed());
      }
      if (connections.cut() > 0) {
        report.fail(
            connections.cut() + " connections cut by the broker, first " + connections.firstCut());
      }
      report.figure("connections_cut", connections.cut());
    }
    return report.finish();
  }

  private static void progress(
      Report report, Ledger ledger, LongAdder delivered, ConnectionSet connections) {
    Ledger.Counts c = ledger.counts();
    report.note(
        "published %d, confirmed %d, delivered to the unacked consumers %d, blocked %d, cut %d",
        c.published(), c.confirmed(), delivered.sum(), connections.blockedNow(), connections.cut());
  }

  /** Consumes the witness queue until every confirmed message is seen or it stays idle. */
  private static void drainWitness(Report report, Ledger ledger, Channel channel) throws Exception {
    if (!channel.isOpen()) {
      report.fail("the witness connection was closed: nothing can be checked");
      return;
    }
    try {
      channel.basicQos(1000);
      channel.basicConsume(WITNESS, false, new LedgerConsumer(channel, ledger, true));
      Phases.awaitConsumed(report, ledger, Duration.ofSeconds(10), Duration.ofMinutes(2));
      report.note("witness queue drained: %d messages", ledger.consumedCount());
      if (channel.isOpen()) {
        channel.queueDelete(WITNESS);
      }
    } catch (IOException | ShutdownSignalException e) {
      report.fail("the witness queue could not be drained: " + e);
    }
  }

  /** Counts deliveries and never acknowledges them. Thread: the client's dispatch thread. */
  private static final class Counting extends DefaultConsumer {
    private final LongAdder delivered;

    Counting(Channel channel, LongAdder delivered) {
      super(channel);
      this.delivered = delivered;
    }

    @Override
    public void handleDelivery(
        String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
      delivered.increment();
    }
  }
}
