package dev.warren.broker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the kill -9 test knows of every message id it published, over all rounds, and what a drain
 * of the queue after a restart must show.
 *
 * <p>A drain after a crash must give back every confirmed id whose ack was never sent; each id at
 * most once; nothing never published; and with redelivered=true every id the broker may already
 * have handed out: delivered before the crash, acked before the crash (the ack may have died with
 * the broker: at-least-once), or drained after an earlier crash (the drain's ack likewise).
 * Unconfirmed ids may or may not come back. After a drain every id so far is settled: later drains
 * expect none of them, and take one back only as a redelivery of an id a drain already returned.
 *
 * <p>Thread-safe, every method synchronized: the publisher thread, the client's connection thread
 * (confirms) and its consumer thread (deliveries, acks) record at once.
 */
final class CrashLedger {
  /** One id's history; guarded by the ledger. */
  private static final class Trace {
    final int round;
    boolean confirmed;
    boolean nacked;
    boolean delivered;
    boolean ackSent;
    boolean settled;
    boolean recovered;

    Trace(int round) {
      this.round = round;
    }
  }

  /** One message a drain got back. */
  record Recovered(String id, boolean redelivered) {}

  /** What one crash round did before the kill. */
  record RoundCounts(
      int published, int confirmed, int nacked, int ackedBeforeCrash, int deliveredUnacked) {
    @Override
    public String toString() {
      return String.format(
          "published %d, confirmed %d, nacked %d, acked before crash %d,"
              + " delivered-unacked before crash %d",
          published, confirmed, nacked, ackedBeforeCrash, deliveredUnacked);
    }
  }

  /**
   * What a drain got back. {@code unknown}: never published, or back after an earlier drain did not
   * have it. {@code unflagged}: back without redelivered=true although the broker may have handed
   * it out before. {@code ackedAndBack}: acked before the crash and back (allowed, flagged). {@code
   * again}: returned by an earlier drain too (allowed, flagged).
   */
  record DrainReport(
      int recovered,
      int redelivered,
      List<String> missing,
      List<String> duplicates,
      List<String> unknown,
      List<String> unflagged,
      int ackedAndBack,
      int again) {
    private static final int SHOWN = 20;

    @Override
    public String toString() {
      return String.format(
          "recovered %d, recovered with redelivered=true %d, missing %d, duplicates %d, unknown %d,"
              + " without redelivered flag %d, acked before crash and back %d,"
              + " back again after an earlier drain %d",
          recovered,
          redelivered,
          missing.size(),
          duplicates.size(),
          unknown.size(),
          unflagged.size(),
          ackedAndBack,
          again);
    }

    /** One line per broken rule, naming the first ids; empty when the drain is as it must be. */
    List<String> problems() {
      List<String> out = new ArrayList<>();
      describe(out, missing, "missing %d confirmed messages");
      describe(out, duplicates, "%d messages recovered more than once");
      describe(out, unknown, "%d messages recovered that were never published or already gone");
      describe(out, unflagged, "%d messages handed out before the crash came back unflagged");
      return out;
    }

    private static void describe(List<String> out, List<String> ids, String what) {
      if (!ids.isEmpty()) {
        String shown = String.join(", ", ids.subList(0, Math.min(SHOWN, ids.size())));
        out.add(
            String.format(what, ids.size()) + ": " + shown + (ids.size() > SHOWN ? ", ..." : ""));
      }
    }
  }

  private final Map<String, Trace> traces = new LinkedHashMap<>();

  /** Before the publish: the broker may have {@code id} from now on. */
  synchronized void published(int round, String id) {
    traces.put(id, new Trace(round));
  }

  synchronized void confirmed(String id) {
    traces.get(id).confirmed = true;
  }

  synchronized void nacked(String id) {
    traces.get(id).nacked = true;
  }

  /**
   * The consumer got {@code id}: from now on the broker must flag it as redelivered. False if
   * {@code id} was never published.
   */
  synchronized boolean delivered(String id) {
    Trace t = traces.get(id);
    if (t != null) {
      t.delivered = true;
    }
    return t != null;
  }

  /** Before the ack of a delivered id is sent: from now on the broker may have forgotten it. */
  synchronized void ackSending(String id) {
    traces.get(id).ackSent = true;
  }

  /** The ack was refused by the client before anything was written (the channel was closed). */
  synchronized void ackNotSent(String id) {
    traces.get(id).ackSent = false;
  }

  synchronized RoundCounts round(int round) {
    int published = 0;
    int confirmed = 0;
    int nacked = 0;
    int acked = 0;
    int unacked = 0;
    for (Trace t : traces.values()) {
      if (t.round == round) {
        published++;
        confirmed += t.confirmed ? 1 : 0;
        nacked += t.nacked ? 1 : 0;
        acked += t.ackSent ? 1 : 0;
        unacked += t.delivered && !t.ackSent ? 1 : 0;
      }
    }
    return new RoundCounts(published, confirmed, nacked, acked, unacked);
  }

  /** Checks a complete drain (every message acked, the queue empty) and settles every id. */
  synchronized DrainReport drained(List<Recovered> drain) {
    Set<String> seen = new HashSet<>();
    List<String> duplicates = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    List<String> unflagged = new ArrayList<>();
    int redelivered = 0;
    int ackedAndBack = 0;
    int again = 0;
    for (Recovered r : drain) {
      redelivered += r.redelivered() ? 1 : 0;
      Trace t = traces.get(r.id());
      if (!seen.add(r.id())) {
        duplicates.add(r.id());
      } else if (t == null || (t.settled && !t.recovered)) {
        unknown.add(r.id());
      } else {
        if ((t.delivered || t.ackSent || t.recovered) && !r.redelivered()) {
          unflagged.add(r.id());
        }
        if (t.recovered) {
          again++;
        } else if (t.ackSent) {
          ackedAndBack++;
        }
      }
    }
    List<String> missing = new ArrayList<>();
    traces.forEach(
        (id, t) -> {
          if (!t.settled && t.confirmed && !t.ackSent && !seen.contains(id)) {
            missing.add(id);
          }
        });
    traces.forEach(
        (id, t) -> {
          t.recovered |= seen.contains(id);
          t.settled = true;
        });
    return new DrainReport(
        drain.size(), redelivered, missing, duplicates, unknown, unflagged, ackedAndBack, again);
  }
}
