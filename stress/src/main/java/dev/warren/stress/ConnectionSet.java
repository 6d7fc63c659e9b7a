package dev.warren.stress;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections a scenario opened: it counts those the broker closed or lost (not closed by the
 * scenario itself) and those the broker blocked (connection.blocked, a resource alarm), and closes
 * them all at the end. Threads: any; the listeners run on the client's connection threads.
 */
final class ConnectionSet implements AutoCloseable {
  private static final int CLOSE_TIMEOUT_MILLIS = 10_000;

  private final List<Connection> all = new ArrayList<>();
  private final AtomicInteger cut = new AtomicInteger();
  private final AtomicInteger blocked = new AtomicInteger();
  private final AtomicInteger blockedNow = new AtomicInteger();
  private volatile String firstCut;

  /** Takes {@code c} into the set; returns it. */
  Connection add(Connection c) {
    c.addShutdownListener(
        cause -> {
          if (!cause.isInitiatedByApplication()) {
            if (cut.getAndIncrement() == 0) {
              firstCut = c.getClientProvidedName() + ": " + cause.getMessage();
            }
          }
        });
    c.addBlockedListener(
        new BlockedListener() {
          @Override
          public void handleBlocked(String reason) {
            blocked.incrementAndGet();
            blockedNow.incrementAndGet();
          }

          @Override
          public void handleUnblocked() {
            blockedNow.decrementAndGet();
          }
        });
    synchronized (all) {
      all.add(c);
    }
    return c;
  }

  /** Connections closed by the broker or lost, rather than closed by the scenario. */
  int cut() {
    return cut.get();
  }

  /** The first of them and why, or null. */
  String firstCut() {
    return firstCut;
  }

  /** connection.blocked notices received so far. */
  int blockedNotices() {
    return blocked.get();
  }

  /** Connections blocked now (blocked and not yet unblocked). */
  int blockedNow() {
    return blockedNow.get();
  }

  /** Closes every connection still open, waiting at most a few seconds for each close-ok. */
  @Override
  public void close() {
    List<Connection> copy;
    synchronized (all) {
      copy = new ArrayList<>(all);
      all.clear();
    }
    for (Connection c : copy) {
      if (c.isOpen()) {
        c.abort(CLOSE_TIMEOUT_MILLIS);
      }
    }
  }
}
