package dev.warren.stress;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Round trips of definition changes, one client, one at a time: queue.declare of a new transient
 * queue, of an existing one (a redeclare), of a new durable queue, exchange.declare, queue.bind and
 * queue.delete, each {@code --rounds} times after {@code --warmup} rounds. Prints the median, 90th
 * and 99th percentiles and the mean of each, in microseconds: a latency measurement, not a stress
 * (it fails only when the broker refuses something).
 */
@Command(name = "declare-latency", description = "round trips of declares, binds and deletes")
final class DeclareLatency implements Callable<Integer> {
  @Mixin Target target;

  @Option(names = "--rounds", defaultValue = "5000")
  int rounds;

  @Option(names = "--warmup", defaultValue = "2000")
  int warmup;

  @Override
  public Integer call() throws Exception {
    try (Connection c = target.connect("declare-latency")) {
      Channel ch = c.createChannel();
      String run = Long.toString(System.nanoTime(), 36);
      for (int i = 0; i < warmup; i++) {
        ch.queueDeclare("latency-" + run + "-w" + i, false, false, false, null);
        ch.queueDelete("latency-" + run + "-w" + i);
      }
      long[] transientDeclare = new long[rounds];
      long[] redeclare = new long[rounds];
      long[] exchangeDeclare = new long[rounds];
      long[] bind = new long[rounds];
      long[] delete = new long[rounds];
      for (int i = 0; i < rounds; i++) {
        String q = "latency-" + run + "-" + i;
        long t0 = System.nanoTime();
        ch.queueDeclare(q, false, false, false, null);
        long t1 = System.nanoTime();
        ch.queueDeclare(q, false, false, false, null);
        long t2 = System.nanoTime();
        ch.exchangeDeclare(q, "direct", false, false, null);
        long t3 = System.nanoTime();
        ch.queueBind(q, q, "k");
        long t4 = System.nanoTime();
        ch.queueDelete(q);
        long t5 = System.nanoTime();
        ch.exchangeDelete(q);
        transientDeclare[i] = t1 - t0;
        redeclare[i] = t2 - t1;
        exchangeDeclare[i] = t3 - t2;
        bind[i] = t4 - t3;
        delete[i] = t5 - t4;
      }
      int durableRounds = Math.max(1, rounds / 5);
      long[] durableDeclare = new long[durableRounds];
      for (int i = 0; i < durableRounds; i++) {
        String q = "latency-durable-" + run + "-" + i;
        long t0 = System.nanoTime();
        ch.queueDeclare(q, true, false, false, null);
        durableDeclare[i] = System.nanoTime() - t0;
        ch.queueDelete(q);
      }
      print("queue.declare (new, transient)", transientDeclare);
      print("queue.declare (existing)", redeclare);
      print("exchange.declare (new, transient)", exchangeDeclare);
      print("queue.bind", bind);
      print("queue.delete", delete);
      print("queue.declare (new, durable)", durableDeclare);
      System.out.println("RESULT scenario=declare-latency verdict=pass rounds=" + rounds);
      return 0;
    }
  }

  private static void print(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double mean = Arrays.stream(sorted).average().orElse(0) / 1000;
    System.out.printf(
        Locale.ROOT,
        "%-36s p50 %7.1f us  p90 %7.1f us  p99 %7.1f us  mean %7.1f us  (n=%d)%n",
        what,
        at(sorted, 0.50),
        at(sorted, 0.90),
        at(sorted, 0.99),
        mean,
        sorted.length);
  }

  private static double at(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1000.0;
  }
}
