package dev.warren.mirroring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warren.mirroring.FakeDivisionInfo.Follower;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicaLagTest {
  private static final long NOW = 1_000_000;

  private static FakeDivisionInfo leading(long n2Matched, long n3Matched) {
    return FakeDivisionInfo.leader(
        "n1", List.of(new Follower("n2", 0, n2Matched), new Follower("n3", 0, n3Matched)));
  }

  @Test
  void aFollowerMoreThanTheBoundBehindIsFlaggedUntilItCatchesUp() {
    ReplicaLag lag = new ReplicaLag("n1");
    lag.check("queue group 1", leading(5_000, 3_999), 5_000, NOW);
    assertEquals(Set.of(), lag.behind("queue group 1"), "behind at one check only");
    lag.check("queue group 1", leading(5_000, 3_999), 5_000, NOW + 1_000);
    assertEquals(Set.of("n3"), lag.behind("queue group 1"), "1,001 entries behind, twice");
    lag.check("queue group 1", leading(5_500, 4_600), 5_500, NOW + 2_000);
    assertEquals(Set.of(), lag.behind("queue group 1"), "900 behind: caught up");
  }

  @Test
  void aNewLeadersFirstMomentWithoutItsFollowersMatchIndexIsNotLogged() {
    ReplicaLag lag = new ReplicaLag("n1");
    lag.check("queue group 2", leading(-1, -1), 9_000, NOW);
    lag.check("queue group 2", leading(9_000, 8_990), 9_000, NOW + 1_000);
    lag.check("queue group 2", leading(9_100, 9_100), 9_100, NOW + 2_000);
    assertEquals(Set.of(), lag.behind("queue group 2"));
  }

  @Test
  void aGroupThisNodeNoLongerLeadsIsForgotten() {
    ReplicaLag lag = new ReplicaLag("n1");
    lag.check("metadata group", leading(0, 0), 2_000, NOW);
    lag.check("metadata group", leading(0, 0), 2_000, NOW + 500);
    assertEquals(Set.of("n2", "n3"), lag.behind("metadata group"));
    lag.check("metadata group", FakeDivisionInfo.follower("n2", 0), 2_000, NOW + 1_000);
    assertEquals(Set.of(), lag.behind("metadata group"));
  }
}
