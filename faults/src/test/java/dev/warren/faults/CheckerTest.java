package dev.warren.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each guarantee of {@link Checker}: a history that keeps it passes, one that breaks it fails. */
class CheckerTest {
  private final Checker checker = new Checker();

  private void log(long micros, String client, String line) {
    checker.add(Event.parse(client, micros + " " + line));
  }

  /** p1-1 confirmed, delivered to c1 (tx) and committed; p1-2 confirmed, plain-acked by c2. */
  private void cleanHistory() {
    log(1, "p1", "publish p1-1 node=n1");
    log(2, "p1", "publish p1-2 node=n1");
    log(3, "p1", "confirm p1-1");
    log(4, "p1", "confirm p1-2");
    log(5, "c1", "deliver p1-1 node=n2 redelivered=false");
    log(6, "c1", "ack p1-1");
    log(7, "c1", "commit p1-1");
    log(8, "c2", "deliver p1-2 node=n3 redelivered=false");
    log(9, "c2", "ack p1-2");
  }

  @Test
  void historyKeepingEveryGuaranteePasses() {
    cleanHistory();
    Checker.Verdict v = checker.verdict();
    assertTrue(v.passed(), v.failures().toString());
    assertEquals(2, v.counts().get("confirmed"));
    assertEquals(2, v.counts().get("distinct-delivered"));
    assertEquals(1, v.counts().get("acks-committed"));
  }

  @Test
  void confirmedMessageNeverDeliveredIsLost() {
    cleanHistory();
    log(10, "p2", "publish p2-1 node=n2");
    log(11, "p2", "confirm p2-1");
    Checker.Verdict v = checker.verdict();
    assertFalse(v.passed());
    assertEquals(Set.of("lost"), v.failures().keySet());
    assertEquals(List.of("p2-1"), v.failures().get("lost"));
  }

  @Test
  void inDoubtAndNackedMessagesMayBeMissing() {
    cleanHistory();
    log(10, "p2", "publish p2-1 node=n2");
    log(11, "p2", "in-doubt p2-1");
    log(12, "p2", "publish p2-2 node=n2");
    log(13, "p2", "nack p2-2");
    log(14, "p2", "publish p2-3 node=n2");
    Checker.Verdict v = checker.verdict();
    assertTrue(v.passed(), v.failures().toString());
    assertEquals(2, v.counts().get("in-doubt"));
    assertEquals(1, v.counts().get("nacked"));
  }

  @Test
  void deliveryOfAMessageNoPublisherSentFails() {
    cleanHistory();
    log(10, "c1", "deliver ghost-1 node=n2 redelivered=false");
    Checker.Verdict v = checker.verdict();
    assertEquals(Set.of("never-published"), v.failures().keySet());
  }

  @Test
  void deliveryAfterTheAckWasCommittedFails() {
    cleanHistory();
    log(20, "c2", "deliver p1-1 node=n3 redelivered=true");
    Checker.Verdict v = checker.verdict();
    assertEquals(Set.of("delivered-after-commit"), v.failures().keySet());
  }

  @Test
  void deliveryAgainAfterAFailedCommitIsAllowedWithTheFlag() {
    log(1, "p1", "publish p1-1 node=n1");
    log(2, "p1", "confirm p1-1");
    log(3, "c1", "deliver p1-1 node=n2 redelivered=false");
    log(4, "c1", "ack p1-1");
    log(5, "c1", "commit-failed p1-1");
    log(6, "c2", "deliver p1-1 node=n3 redelivered=true");
    Checker.Verdict v = checker.verdict();
    assertTrue(v.passed(), v.failures().toString());
    assertEquals(1, v.counts().get("redeliveries"));
    assertEquals(1, v.counts().get("delivered-after-uncommitted-ack"));
  }

  @Test
  void deliveryAgainAfterAPlainAckIsCountedNotFailed() {
    cleanHistory();
    log(20, "c1", "deliver p1-2 node=n2 redelivered=true");
    Checker.Verdict v = checker.verdict();
    assertTrue(v.passed(), v.failures().toString());
    assertEquals(1, v.counts().get("delivered-after-uncommitted-ack"));
  }

  @Test
  void redeliveryWithoutTheFlagFails() {
    log(1, "p1", "publish p1-1 node=n1");
    log(2, "p1", "confirm p1-1");
    log(3, "c2", "deliver p1-1 node=n3 redelivered=false");
    log(4, "c2", "reject p1-1");
    log(5, "c2", "deliver p1-1 node=n3 redelivered=false");
    Checker.Verdict v = checker.verdict();
    assertEquals(Set.of("redelivered-without-flag"), v.failures().keySet());
  }

  @Test
  void firstDeliveryMayCarryTheFlagWhenAnEarlierOneNeverReachedTheClient() {
    log(1, "p1", "publish p1-1 node=n1");
    log(2, "p1", "confirm p1-1");
    log(3, "c2", "deliver p1-1 node=n3 redelivered=true");
    assertTrue(checker.verdict().passed());
  }

  @Test
  void deliveriesInTheSameMicrosecondAreJudgedUnflaggedFirst() {
    log(1, "p1", "publish p1-1 node=n1");
    log(2, "p1", "confirm p1-1");
    log(3, "c1", "deliver p1-1 node=n2 redelivered=true");
    log(3, "c2", "deliver p1-1 node=n3 redelivered=false");
    assertTrue(checker.verdict().passed());
  }
}
