package dev.warren.faults;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges a run from every client's events. What it guarantees (faults/README.md, "What the checker
 * guarantees"):
 *
 * <ol>
 *   <li><b>lost</b>: every message confirmed with basic.ack was delivered at least once;
 *   <li><b>never published</b>: every message delivered was published by some publisher;
 *   <li><b>delivered after commit</b>: no message was delivered after a tx.commit-ok that covered
 *       its ack (by the wall clock of the machine every client runs on);
 *   <li><b>redelivered without flag</b>: of a message's deliveries in time order, each one after
 *       the first carries redelivered=true.
 * </ol>
 *
 * Nacked and in-doubt messages may be delivered or not; an ack sent outside a transaction, or in
 * one whose commit failed, promises nothing, so a message delivered again after one is counted, not
 * failed. Not thread-safe; used once.
 */
final class Checker {
  /** Ids shown per failure kind. */
  private static final int SHOWN = 10;

  private final Set<String> published = new HashSet<>();
  private final Set<String> confirmed = new HashSet<>();
  private final Set<String> nacked = new HashSet<>();
  private final Map<String, List<Event>> deliveries = new HashMap<>();
  private final Map<String, Long> firstCommit = new HashMap<>();
  private final Map<String, Long> firstAck = new HashMap<>();
  private long deliveryCount;
  private long commitCount;

  void add(Event e) {
    switch (e.type()) {
      case PUBLISH -> published.add(e.id());
      case CONFIRM -> confirmed.add(e.id());
      case NACK -> nacked.add(e.id());
      case DELIVER -> {
        deliveries.computeIfAbsent(e.id(), k -> new ArrayList<>()).add(e);
        deliveryCount++;
      }
      case ACK -> firstAck.merge(e.id(), e.micros(), Math::min);
      case COMMIT -> {
        firstCommit.merge(e.id(), e.micros(), Math::min);
        commitCount++;
      }
      case IN_DOUBT, REJECT, COMMIT_FAILED -> {}
    }
  }

  /** The verdict on every event added so far. */
  Verdict verdict() {
    Map<String, Long> counts = new LinkedHashMap<>();
    Map<String, List<String>> failures = new LinkedHashMap<>();
    List<String> lost = new ArrayList<>();
    List<String> neverPublished = new ArrayList<>();
    List<String> afterCommit = new ArrayList<>();
    List<String> withoutFlag = new ArrayList<>();
    long redeliveries = 0;
    long deliveredAfterAck = 0;
    long inDoubtDelivered = 0;
    long nackedDelivered = 0;

    for (String id : confirmed) {
      if (!deliveries.containsKey(id)) {
        lost.add(id);
      }
    }
    for (Map.Entry<String, List<Event>> d : deliveries.entrySet()) {
      String id = d.getKey();
      List<Event> seen = d.getValue();
      // Ties in time: an unflagged delivery first, so two deliveries in one microsecond are judged
      // in the order that can be right.
      seen.sort(
          Comparator.comparingLong(Event::micros).thenComparing(e -> e.redelivered() ? 1 : 0));
      if (!published.contains(id)) {
        neverPublished.add(id + " (delivered to " + seen.get(0).client() + ")");
      } else if (!confirmed.contains(id)) {
        if (nacked.contains(id)) {
          nackedDelivered++;
        } else {
          inDoubtDelivered++;
        }
      }
      for (int i = 1; i < seen.size(); i++) {
        Event again = seen.get(i);
        redeliveries++;
        if (!again.redelivered()) {
          withoutFlag.add(
              id + " (delivery " + (i + 1) + " of " + seen.size() + ", to " + again.client() + ")");
        }
      }
      Long committed = firstCommit.get(id);
      Long acked = firstAck.get(id);
      Event afterItsCommit =
          committed == null
              ? null
              : seen.stream().filter(e -> e.micros() > committed).findFirst().orElse(null);
      if (afterItsCommit != null) {
        afterCommit.add(
            id
                + " (to "
                + afterItsCommit.client()
                + ", "
                + (afterItsCommit.micros() - committed)
                + " us after its ack was committed)");
      } else if (acked != null && seen.stream().anyMatch(e -> e.micros() > acked)) {
        deliveredAfterAck++;
      }
    }

    Set<String> inDoubt = new HashSet<>(published);
    inDoubt.removeAll(confirmed);
    inDoubt.removeAll(nacked);
    counts.put("published", (long) published.size());
    counts.put("confirmed", (long) confirmed.size());
    counts.put("nacked", (long) nacked.size());
    counts.put("in-doubt", (long) inDoubt.size());
    counts.put("deliveries", deliveryCount);
    counts.put("distinct-delivered", (long) deliveries.size());
    counts.put("redeliveries", redeliveries);
    counts.put("acks-committed", commitCount);
    counts.put("delivered-after-uncommitted-ack", deliveredAfterAck);
    counts.put("in-doubt-delivered", inDoubtDelivered);
    counts.put("nacked-delivered", nackedDelivered);
    counts.put("lost", (long) lost.size());
    counts.put("never-published", (long) neverPublished.size());
    counts.put("delivered-after-commit", (long) afterCommit.size());
    counts.put("redelivered-without-flag", (long) withoutFlag.size());
    putIfAny(failures, "lost", lost);
    putIfAny(failures, "never-published", neverPublished);
    putIfAny(failures, "delivered-after-commit", afterCommit);
    putIfAny(failures, "redelivered-without-flag", withoutFlag);
    return new Verdict(counts, failures);
  }

  private static void putIfAny(Map<String, List<String>> failures, String kind, List<String> ids) {
    if (!ids.isEmpty()) {
      ids.sort(Comparator.naturalOrder());
      failures.put(kind, ids.subList(0, Math.min(SHOWN, ids.size())));
    }
  }

  /**
   * @param counts every count, in print order
   * @param failures each failed guarantee with up to {@value #SHOWN} of its messages, described
   */
  record Verdict(Map<String, Long> counts, Map<String, List<String>> failures) {
    boolean passed() {
      return failures.isEmpty();
    }
  }
}
