package dev.warren.stress;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --connections} connections with {@code --channels} channels each. On every connection the
 * first channel declares a server-named queue and consumes it (manual acks); each other channel
 * publishes {@code --messages} messages to that queue with confirms. Everything stays open for
 * {@code --hold} seconds once the traffic is done, then closes. Every confirmed message must be
 * consumed. The client serves all sockets from a few NIO threads.
 */
@Command(name = "many-channels", description = "many connections with many channels each")
final class ManyChannels implements Callable<Integer> {
  @Mixin Target target;

  @Option(names = "--connections", defaultValue = "2000")
  int connectionCount;

  @Option(names = "--channels", defaultValue = "10", description = "channels per connection")
  int channels;

  @Option(names = "--messages", defaultValue = "20", description = "per publishing channel")
  int messages;

  @Option(names = "--size", defaultValue = "64", description = "body bytes")
  int size;

  @Option(names = "--hold", defaultValue = "5", description = "seconds all stay open at the end")
  int holdSeconds;

  @Option(names = "--open-threads", defaultValue = "16", description = "threads opening them")
  int openThreads;

  /** One connection's publishing channels and the queue they publish to. */
  private record Group(String queue, List<ConfirmingPublisher> publishers) {}

  @Override
  public Integer call() throws Exception {
    Report report = new Report("many-channels");
    Ledger ledger = new Ledger();
    ExecutorService dispatch = Executors.newFixedThreadPool(8);
    ExecutorService pool = Executors.newFixedThreadPool(openThreads);
    try (ConnectionSet connections = new ConnectionSet()) {
      ConnectionFactory factory = target.nio(4, dispatch);
      List<Future<Group>> opening = new ArrayList<>();
      for (int i = 0; i < connectionCount; i++) {
        int index = i;
        opening.add(pool.submit(() -> open(factory, connections, ledger, index)));
      }
      List<Group> groups = new ArrayList<>();
      int failed = 0;
      for (Future<Group> f : opening) {
        try {
          groups.add(f.get());
        } catch (ExecutionException e) {
          if (failed++ == 0) {
            report.note("a connection failed to open: %s", e.getCause());
          }
        }
      }
      report.note(
          "%d connections open with %d channels each (%d failed)", groups.size(), channels, failed);
      if (failed > 0) {
        report.fail(failed + " connections could not be opened with their channels");
      }

      byte[] body = new byte[size];
      List<Future<?>> publishing = new ArrayList<>();
      List<ConfirmingPublisher> all = Collections.synchronizedList(new ArrayList<>());
      for (Group g : groups) {
        for (ConfirmingPublisher p : g.publishers()) {
          all.add(p);
          publishing.add(
              pool.submit(
                  () -> {
                    for (int n = 0; n < messages; n++) {
                      if (!p.publish("", g.queue(), false, body, () -> false)) {
                        return null;
                      }
                    }
                    return null;
                  }));
        }
      }
      for (Future<?> f : publishing) {
        try {
          f.get();
        } catch (ExecutionException e) {
          // a channel closed under its publisher: its confirmed messages stay counted
        }
      }
      report.note("published %d", ledger.counts().published());
      long unconfirmed = Phases.awaitConfirms(all, Duration.ofSeconds(60));
      Phases.awaitConsumed(report, ledger, Duration.ofSeconds(20), Duration.ofMinutes(3));
      report.note("traffic done; holding everything open for %d s", holdSeconds);
      Thread.sleep(holdSeconds * 1000L);
      report.figure("connections", groups.size()).figure("channels", groups.size() * channels);
      report.figure("unconfirmed", unconfirmed);
      report.counts(ledger.counts());
      if (connections.cut() > 0) {
        report.fail(connections.cut() + " connections cut, first " + connections.firstCut());
      }
      report.figure("connections_cut", connections.cut());
    } finally {
      pool.shutdownNow();
      dispatch.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    return report.finish();
  }

  private Group open(ConnectionFactory factory, ConnectionSet connections, Ledger ledger, int i)
      throws Exception {
    Connection c = connections.add(factory.newConnection("many-channels " + i));
    Channel consuming = c.createChannel();
    String queue = consuming.queueDeclare().getQueue();
    consuming.basicQos(100);
    consuming.basicConsume(queue, false, new LedgerConsumer(consuming, ledger, true));
    List<ConfirmingPublisher> publishers = new ArrayList<>();
    for (int k = 1; k < channels; k++) {
      publishers.add(new ConfirmingPublisher(c.createChannel(), ledger.publisher(), 50));
    }
    return new Group(queue, publishers);
  }
}
