package dev.warren.stress;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --connections} connections opened at once: as many threads as connections wait at one
 * gate, then each opens its connection and a channel and publishes one message with a confirm to a
 * shared queue; once all are open they all close at once. Every connection must open, and every
 * confirmed message must then be in the queue (drained by one consumer).
 */
@Command(name = "connection-burst", description = "many connections opening at once, then closing")
final class ConnectionBurst implements Callable<Integer> {
  private static final String QUEUE = "stress.connection-burst";

  @Mixin Target target;

  @Option(names = "--connections", defaultValue = "1000")
  int connectionCount;

  @Override
  public Integer call() throws Exception {
    Report report = new Report("connection-burst");
    Ledger ledger = new Ledger();
    ExecutorService dispatch = Executors.newFixedThreadPool(4);
    ExecutorService pool = Executors.newFixedThreadPool(connectionCount);
    try (ConnectionSet connections = new ConnectionSet()) {
      Connection checker = connections.add(target.connect("connection-burst checker"));
      Channel admin = checker.createChannel();
      admin.queueDeclare(QUEUE, false, false, false, null);
      admin.queuePurge(QUEUE);

      ConnectionFactory factory = target.nio(4, dispatch);
      CountDownLatch gate = new CountDownLatch(1);
      CountDownLatch allOpen = new CountDownLatch(connectionCount);
      CountDownLatch closeGate = new CountDownLatch(1);
      AtomicInteger failed = new AtomicInteger();
      List<Future<Long>> burst = new ArrayList<>();
      for (int i = 0; i < connectionCount; i++) {
        int index = i;
        Ledger.Log log = ledger.publisher();
        burst.add(
            pool.submit(
                () -> {
                  gate.await();
                  long started = System.nanoTime();
                  Connection c;
                  try {
                    c = factory.newConnection("connection-burst " + index);
                    ConfirmingPublisher p = new ConfirmingPublisher(c.createChannel(), log, 1);
                    p.publish("", QUEUE, false, new byte[16], () -> false);
                    p.awaitConfirms(Duration.ofSeconds(30));
                  } catch (Exception e) {
                    failed.incrementAndGet();
                    throw e;
                  } finally {
                    allOpen.countDown();
                  }
                  long elapsed = System.nanoTime() - started;
                  closeGate.await();
                  c.close(10_000);
                  return elapsed;
                }));
      }
      long start = System.nanoTime();
      gate.countDown();
      boolean opened = allOpen.await(120, TimeUnit.SECONDS);
      double openSeconds = (System.nanoTime() - start) / 1e9;
      report.note(
          "%d connections opened (with a confirmed publish each) in %.2f s, %d failed%s",
          connectionCount - failed.get(), openSeconds, failed.get(), opened ? "" : " (timed out)");
      long closeStart = System.nanoTime();
      closeGate.countDown();
      long slowest = 0;
      String firstFailure = null;
      for (Future<Long> f : burst) {
        try {
          slowest = Math.max(slowest, f.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
          if (firstFailure == null) {
            firstFailure = String.valueOf(e.getCause() == null ? e : e.getCause());
          }
        }
      }
      report.note(
          "all closed in %.2f s; slowest open + publish %.0f ms",
          (System.nanoTime() - closeStart) / 1e9, slowest / 1e6);
      if (failed.get() > 0) {
        report.fail(failed.get() + " connections failed, first: " + firstFailure);
      }
      admin.basicQos(1000);
      admin.basicConsume(QUEUE, false, new LedgerConsumer(admin, ledger, true));
      Phases.awaitConsumed(report, ledger, Duration.ofSeconds(10), Duration.ofMinutes(1));
      report.figure("connections", connectionCount).figure("failed", failed.get());
      report.figure("open_seconds", String.format("%.2f", openSeconds));
      report.counts(ledger.counts());
      if (admin.isOpen()) {
        admin.queueDelete(QUEUE);
      }
    } finally {
      pool.shutdownNow();
      dispatch.shutdownNow();
    }
    return report.finish();
  }
}
