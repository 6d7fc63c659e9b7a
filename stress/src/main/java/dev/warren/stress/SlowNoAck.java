package dev.warren.stress;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A no-ack consumer on a slow socket: its connection reads at most {@code --read-rate} bytes a
 * second through a {@code --receive-buffer} byte socket buffer ({@link ThrottledSocketFactory}),
 * while {@code --publishers} connections publish {@code --size} byte messages to its queue with
 * confirms for {@code --seconds}. Then the socket is let go at full speed and every confirmed
 * message must reach the consumer (no-ack: the broker forgets a message once it has written it, so
 * only a broker that keeps what it cannot send yet passes).
 */
@Command(name = "slow-noack", description = "a no-ack consumer whose socket is read slowly")
final class SlowNoAck implements Callable<Integer> {
  private static final String QUEUE = "stress.slow-noack";

  @Mixin Target target;

  @Option(names = "--publishers", defaultValue = "4", description = "publishing connections")
  int publishers;

  @Option(names = "--seconds", defaultValue = "20", description = "how long they publish")
  double seconds;

  @Option(names = "--size", defaultValue = "1024", description = "body bytes")
  int size;

  @Option(names = "--window", defaultValue = "1000", description = "unconfirmed per publisher")
  int window;

  @Option(names = "--read-rate", defaultValue = "65536", description = "bytes/s the consumer reads")
  int readRate;

  @Option(names = "--receive-buffer", defaultValue = "4096", description = "SO_RCVBUF bytes")
  int receiveBuffer;

  @Override
  public Integer call() throws Exception {
    Report report = new Report("slow-noack");
    Ledger ledger = new Ledger();
    ThrottledSocketFactory slow = new ThrottledSocketFactory(receiveBuffer, readRate);
    try (ConnectionSet connections = new ConnectionSet()) {
      Connection setup = connections.add(target.connect("slow-noack setup"));
      Channel admin = setup.createChannel();
      admin.queueDeclare(QUEUE, false, false, false, null);
      admin.queuePurge(QUEUE);

      ConnectionFactory slowFactory = target.factory();
      slowFactory.setSocketFactory(slow);
      Connection consumerConn = connections.add(slowFactory.newConnection("slow-noack consumer"));
      Channel consumer = consumerConn.createChannel();
      consumer.basicConsume(QUEUE, true, new LedgerConsumer(consumer, ledger, false));
      report.note(
          "no-ack consumer reading %d bytes/s through a %d byte receive buffer",
          readRate, receiveBuffer);

      List<ConfirmingPublisher> pubs = new ArrayList<>();
      for (int i = 0; i < publishers; i++) {
        Connection c = connections.add(target.connect("slow-noack publisher " + i));
        pubs.add(new ConfirmingPublisher(c.createChannel(), ledger.publisher(), window));
      }
      Phases.publishFor(
          report,
          pubs,
          Duration.ofMillis((long) (seconds * 1000)),
          "",
          (publisher, n) -> QUEUE,
          false,
          new byte[size],
          () -> progress(report, ledger, admin, connections));
      long unconfirmed = Phases.awaitConfirms(pubs, Duration.ofSeconds(60));
      progress(report, ledger, admin, connections);
      report.note("publishing over; the consumer's socket is read at full speed from now on");
      slow.unthrottle();
      Phases.awaitConsumed(report, ledger, Duration.ofSeconds(20), Duration.ofMinutes(5));
      report.figure("unconfirmed", unconfirmed);
      report.figure("blocked_notices", connections.blockedNotices());
      report.counts(ledger.counts());
      if (connections.cut() > 0) {
        report.fail(connections.cut() + " connections cut, first " + connections.firstCut());
      }
      report.figure("connections_cut", connections.cut());
      if (admin.isOpen()) {
        admin.queueDelete(QUEUE);
      }
    }
    return report.finish();
  }

  private static void progress(
      Report report, Ledger ledger, Channel admin, ConnectionSet connections) {
    Ledger.Counts c = ledger.counts();
    String depth;
    try {
      depth = Long.toString(admin.queueDeclarePassive(QUEUE).getMessageCount());
    } catch (Exception e) {
      depth = "?";
    }
    report.note(
        "published %d, confirmed %d, consumed %d, queue depth %s, blocked %d",
        c.published(), c.confirmed(), c.consumed(), depth, connections.blockedNow());
  }
}
