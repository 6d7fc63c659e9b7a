package dev.warren.stress;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --queues} queues with one consumer each, spread over {@code --consumer-connections}
 * connections (one channel each, manual acks, a prefetch of {@code --prefetch}); then {@code
 * --publishers} connections publish with confirms for {@code --seconds}, each message to the next
 * queue in turn through the default exchange. Every confirmed message must be consumed. The queues
 * are auto-delete: they go with their consumers' connections.
 */
@Command(name = "many-queues", description = "many queues with a consumer each, and traffic")
final class ManyQueues implements Callable<Integer> {
  @Mixin Target target;

  @Option(names = "--queues", defaultValue = "10000", description = "queues, one consumer each")
  int queues;

  @Option(names = "--consumer-connections", defaultValue = "10")
  int consumerConnections;

  @Option(names = "--prefetch", defaultValue = "100", description = "basic.qos per consumer")
  int prefetch;

  @Option(names = "--publishers", defaultValue = "10", description = "publishing connections")
  int publishers;

  @Option(names = "--seconds", defaultValue = "20", description = "how long they publish")
  double seconds;

  @Option(names = "--size", defaultValue = "64", description = "body bytes")
  int size;

  @Option(names = "--window", defaultValue = "1000", description = "unconfirmed per publisher")
  int window;

  @Option(
      names = "--durable",
      description = "durable queues and persistent messages (default: transient)")
  boolean durable;

  @Override
  public Integer call() throws Exception {
    Report report = new Report("many-queues");
    Ledger ledger = new Ledger();
    String prefix = "stress.many-queues.";
    try (ConnectionSet connections = new ConnectionSet()) {
      ExecutorService pool = Executors.newFixedThreadPool(consumerConnections);
      List<Future<Channel>> declared = new ArrayList<>();
      for (int c = 0; c < consumerConnections; c++) {
        int first = c;
        declared.add(
            pool.submit(
                () -> {
                  Connection conn = connections.add(target.connect("many-queues consumer"));
                  Channel ch = conn.createChannel();
                  ch.basicQos(prefetch);
                  for (int q = first; q < queues; q += consumerConnections) {
                    String name = prefix + q;
                    ch.queueDeclare(name, durable, false, true, null);
                    ch.basicConsume(name, false, new LedgerConsumer(ch, ledger, true));
                  }
                  return ch;
                }));
      }
      for (Future<Channel> f : declared) {
        f.get();
      }
      pool.shutdown();
      report.note("%d queues declared, one consumer each", queues);

      List<ConfirmingPublisher> pubs = new ArrayList<>();
      for (int i = 0; i < publishers; i++) {
        Connection c = connections.add(target.connect("many-queues publisher " + i));
        pubs.add(new ConfirmingPublisher(c.createChannel(), ledger.publisher(), window));
      }
      // Each publisher starts at a queue of its own, so that all queues see traffic at once.
      int stride = Math.max(1, queues / Math.max(1, publishers));
      Phases.publishFor(
          report,
          pubs,
          Duration.ofMillis((long) (seconds * 1000)),
          "",
          (publisher, n) -> prefix + ((publisher * stride + n) % queues),
          durable,
          new byte[size],
          () -> progress(report, ledger, connections));
      long unconfirmed = Phases.awaitConfirms(pubs, Duration.ofSeconds(60));
      Phases.awaitConsumed(report, ledger, Duration.ofSeconds(20), Duration.ofMinutes(3));
      report.figure("queues", queues).figure("unconfirmed", unconfirmed);
      report.figure("blocked_notices", connections.blockedNotices());
      report.counts(ledger.counts());
      if (connections.cut() > 0) {
        report.fail(connections.cut() + " connections cut, first " + connections.firstCut());
      }
    }
    return report.finish();
  }

  private static void progress(Report report, Ledger ledger, ConnectionSet connections) {
    Ledger.Counts c = ledger.counts();
    report.note(
        "published %d, confirmed %d, consumed %d, blocked %d, cut %d",
        c.published(), c.confirmed(), c.consumed(), connections.blockedNow(), connections.cut());
  }
}
