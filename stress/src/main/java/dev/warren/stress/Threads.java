package dev.warren.stress;

import java.util.List;

/** Plain platform threads for the scenarios' publishers. */
final class Threads {
  private Threads() {}

  static Thread start(String name, Runnable task) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Joins each thread, waiting at most {@code millis} in all; returns how many still run. */
  static long joinAll(List<Thread> threads, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    for (Thread t : threads) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left > 0) {
        t.join(left);
      }
    }
    return threads.stream().filter(Thread::isAlive).count();
  }
}
