package dev.warren.stress;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --count} messages of {@code --size-mib} MiB published with confirms ({@code --window} at a
 * time) into one queue while a consumer (prefetch 1, manual acks) takes them; then one message of
 * {@code --over-limit} bytes, above the broker's largest message, which must be refused cleanly:
 * its channel closed with 406 PRECONDITION_FAILED, the connection still usable. By default the
 * queue is durable and the messages persistent, so confirms wait for the journal.
 */
@Command(name = "huge-messages", description = "100 MiB messages, and one over the limit")
final class HugeMessages implements Callable<Integer> {
  private static final String QUEUE = "stress.huge-messages";
  private static final int PRECONDITION_FAILED = 406;

  @Mixin Target target;

  @Option(names = "--size-mib", defaultValue = "100", description = "body size of each message")
  int sizeMib;

  @Option(names = "--count", defaultValue = "8", description = "messages of that size")
  int count;

  @Option(names = "--window", defaultValue = "2", description = "unconfirmed at a time")
  int window;

  @Option(
      names = "--over-limit",
      defaultValue = "134217729",
      description = "body bytes of the message that must be refused (128 MiB + 1)")
  long overLimit;

  @Option(
      names = "--durable",
      negatable = true,
      defaultValue = "true",
      description = "durable queue, persistent messages (default: true)")
  boolean durable;

  @Override
  public Integer call() throws Exception {
    Report report = new Report("huge-messages");
    Ledger ledger = new Ledger();
    ConnectionFactory factory = target.factory();
    // The client refuses bodies over 64 MiB by default.
    factory.setMaxInboundMessageBodySize((2 * Math.max(sizeMib, 1)) << 20);
    try (ConnectionSet connections = new ConnectionSet()) {
      Connection consumerConn = connections.add(factory.newConnection("huge-messages consumer"));
      Channel consumer = consumerConn.createChannel();
      consumer.queueDeclare(QUEUE, durable, false, false, null);
      consumer.queuePurge(QUEUE);
      consumer.basicQos(1);
      consumer.basicConsume(QUEUE, false, new LedgerConsumer(consumer, ledger, true));

      Connection publisherConn = connections.add(factory.newConnection("huge-messages publisher"));
      ConfirmingPublisher publisher =
          new ConfirmingPublisher(publisherConn.createChannel(), ledger.publisher(), window);
      byte[] body = new byte[sizeMib << 20];
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        if (!publisher.publish("", QUEUE, durable, body, () -> false)) {
          report.fail("the publishing channel closed after " + i + " messages");
          break;
        }
        Ledger.Counts c = ledger.counts();
        report.note(
            "published %d, confirmed %d, nacked %d, consumed %d",
            c.published(), c.confirmed(), c.nacked(), c.consumed());
      }
      long unconfirmed = Phases.awaitConfirms(List.of(publisher), Duration.ofSeconds(120));
      // Everything published, nacked or not, is waited for: a nacked message may still arrive.
      Phases.awaitConsumed(
          report,
          ledger,
          () -> ledger.consumedCount() >= ledger.counts().published(),
          Duration.ofSeconds(30),
          Duration.ofMinutes(3));
      double seconds = (System.nanoTime() - start) / 1e9;
      report.note(
          "%d x %d MiB in %.1f s (%.0f MiB/s through the broker)",
          count, sizeMib, seconds, count * sizeMib / seconds);
      report.figure("unconfirmed", unconfirmed);
      Ledger.Counts c = ledger.counts();
      if (c.nacked() > 0) {
        report.note(
            "%d of %d messages were nacked (refused) by the broker; %d were delivered all the same",
            c.nacked(), count, c.consumed());
      }

      overLimit(report, publisherConn);
      report.counts(ledger.counts());
      if (connections.cut() > 0) {
        report.fail(connections.cut() + " connections cut, first " + connections.firstCut());
      }
      if (consumer.isOpen()) {
        consumer.queueDelete(QUEUE);
      }
    }
    return report.finish();
  }

  /** The message over the limit: its channel must close with 406, and nothing else. */
  private void overLimit(Report report, Connection connection) throws Exception {
    Channel channel = connection.createChannel();
    channel.basicPublish("", QUEUE, null, new byte[Math.toIntExact(overLimit)]);
    Waits.until(() -> !channel.isOpen(), Duration.ofSeconds(30));
    ShutdownSignalException why = channel.getCloseReason();
    if (why == null) {
      report.fail("a message of " + overLimit + " bytes was not refused");
    } else if (why.isHardError()
        || !(why.getReason() instanceof com.rabbitmq.client.AMQP.Channel.Close close)
        || close.getReplyCode() != PRECONDITION_FAILED) {
      report.fail("the message over the limit was refused with " + why.getMessage());
    } else {
      report.note("over the limit, refused: %s", close.getReplyText());
    }
    if (!connection.isOpen()) {
      report.fail("the connection closed with the channel");
      return;
    }
    Channel after = connection.createChannel();
    after.queueDeclarePassive(QUEUE);
    after.close();
    report.figure("over_limit_refused", why != null && !why.isHardError());
  }
}
