package dev.warren.stress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/** The steps most publishing scenarios share: publish for a while, await confirms, drain. */
final class Phases {
  private static final long PROGRESS_MILLIS = 1000;

  private Phases() {}

  /** The routing key of a publisher's {@code n}th message (publishers numbered from 0). */
  @FunctionalInterface
  interface RoutingKeys {
    String of(int publisher, long n);
  }

  /**
   * Runs each publisher on a thread of its own for {@code duration}, printing progress every
   * second; returns once they stopped (a publisher stuck in a write to a blocked connection is left
   * behind after a few seconds, and said so).
   */
  static void publishFor(
      Report report,
      List<ConfirmingPublisher> publishers,
      Duration duration,
      String exchange,
      RoutingKeys routingKeys,
      boolean persistent,
      byte[] body,
      Runnable progress)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < publishers.size(); i++) {
      ConfirmingPublisher p = publishers.get(i);
      int index = i;
      LongFunction<String> key = n -> routingKeys.of(index, n);
      threads.add(
          Threads.start(
              "publisher " + i, () -> p.publishUntil(stop::get, exchange, key, persistent, body)));
    }
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      Thread.sleep(Math.max(1, Math.min(PROGRESS_MILLIS, (end - System.nanoTime()) / 1_000_000)));
      progress.run();
    }
    stop.set(true);
    long stuck = Threads.joinAll(threads, 5_000);
    if (stuck > 0) {
      report.note("%d publishers still blocked in a write after the end", stuck);
    }
  }

  /** Waits for every publisher's confirms, {@code timeout} in all; returns how many are missing. */
  static long awaitConfirms(List<ConfirmingPublisher> publishers, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long unconfirmed = 0;
    for (ConfirmingPublisher p : publishers) {
      p.awaitConfirms(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      unconfirmed += p.unconfirmed();
    }
    return unconfirmed;
  }

  /**
   * Waits until every confirmed message was consumed, or nothing new was consumed for {@code idle},
   * or {@code max} passed; true when nothing confirmed is missing.
   */
  static boolean awaitConsumed(Report report, Ledger ledger, Duration idle, Duration max)
      throws InterruptedException {
    awaitConsumed(report, ledger, () -> ledger.missing() == 0, idle, max);
    return ledger.missing() == 0;
  }

  /**
   * Waits until {@code done} holds, or nothing new was consumed for {@code idle}, or {@code max}
   * passed; true when {@code done} holds.
   */
  static boolean awaitConsumed(
      Report report, Ledger ledger, BooleanSupplier done, Duration idle, Duration max)
      throws InterruptedException {
    AtomicLong last = new AtomicLong(-1);
    AtomicLong lastChange = new AtomicLong(System.nanoTime());
    AtomicLong lastNote = new AtomicLong(System.nanoTime());
    return Waits.until(
            () -> {
              long consumed = ledger.consumedCount();
              long now = System.nanoTime();
              if (consumed != last.getAndSet(consumed)) {
                lastChange.set(now);
              }
              if (now - lastNote.get() > PROGRESS_MILLIS * 5_000_000) {
                lastNote.set(now);
                report.note("draining: consumed %d", consumed);
              }
              return done.getAsBoolean() || now - lastChange.get() > idle.toNanos();
            },
            max)
        && done.getAsBoolean();
  }
}
