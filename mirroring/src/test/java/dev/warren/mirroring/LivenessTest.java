package dev.warren.mirroring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warren.mirroring.FakeDivisionInfo.Follower;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LivenessTest {
  private static final List<String> PEERS = List.of("n1", "n2", "n3");
  private static final long NOW = 1_000_000;

  private static Liveness.LeaderView unreachable() {
    return leader -> {
      throw new IOException("connection refused");
    };
  }

  @Test
  void theLeaderCountsAFollowerRunningUntilItsLastAnswerAgesOut() {
    Liveness l = new Liveness("n1", PEERS, unreachable());
    l.check(
        FakeDivisionInfo.leader(
            "n1", List.of(new Follower("n2", 200, 0), new Follower("n3", 2_500, 0))),
        NOW);
    assertEquals(
        List.of(new NodeStatus("n1", true), new NodeStatus("n2", true), new NodeStatus("n3", true)),
        l.nodes(NOW, List.of()));
    // n3 last answered 2.5 s before NOW: it stops running 3 s after that.
    assertEquals(new NodeStatus("n3", false), l.nodes(NOW + 501, List.of()).get(2));
    assertEquals(new NodeStatus("n2", true), l.nodes(NOW + 501, List.of()).get(1));
  }

  @Test
  void aFollowerTakesTheLeadersViewOfTheOtherFollowers() {
    Liveness l =
        new Liveness(
            "n2",
            PEERS,
            leader -> {
              assertEquals("n1", leader.toString());
              return FakeDivisionInfo.leader(
                      "n1", List.of(new Follower("n2", 100, 0), new Follower("n3", 10_000, 0)))
                  .getRoleInfoProto();
            });
    l.check(FakeDivisionInfo.follower("n1", 100), NOW);
    assertEquals(
        List.of(
            new NodeStatus("n1", true), new NodeStatus("n2", true), new NodeStatus("n3", false)),
        l.nodes(NOW, List.of()));
  }

  @Test
  void aNodeThatHearsNoLeaderSeesTheOthersStopOnceTheyAgeOut() {
    Liveness l = new Liveness("n3", PEERS, unreachable());
    l.check(FakeDivisionInfo.follower("n1", 0), NOW);
    assertEquals(true, l.nodes(NOW, List.of()).get(0).running(), "the leader was just heard");
    assertEquals(false, l.nodes(NOW, List.of()).get(1).running(), "nobody told n3 about n2");
    l.check(FakeDivisionInfo.candidate(), NOW + 4_000);
    assertEquals(
        List.of(
            new NodeStatus("n1", false), new NodeStatus("n2", false), new NodeStatus("n3", true)),
        l.nodes(NOW + 4_000, List.of()));
  }

  @Test
  void aNodeIsReportedStoppedOnceWhenItAgesOutAfterRunning() {
    Liveness l = new Liveness("n1", PEERS, unreachable());
    l.check(
        FakeDivisionInfo.leader("n1", List.of(new Follower("n2", 0, 0), new Follower("n4", 0, 0))),
        NOW);
    assertEquals(List.of(), l.newlyStopped(NOW), "all run");
    assertEquals(
        List.of("n2", "n4"),
        l.newlyStopped(NOW + 3_001).stream().sorted().toList(),
        "a node that joined later (n4) among them");
    assertEquals(List.of(), l.newlyStopped(NOW + 4_000), "told once");
    l.check(
        FakeDivisionInfo.leader("n1", List.of(new Follower("n2", 0, 0), new Follower("n4", 0, 0))),
        NOW + 5_000);
    assertEquals(List.of(), l.newlyStopped(NOW + 5_000), "back");
    assertEquals(
        List.of("n2", "n4"), l.newlyStopped(NOW + 9_000).stream().sorted().toList(), "again");
  }

  @Test
  void theNodesAreTheMembersThePeerListsFirstAndAJoinedOneAfter() {
    Liveness l = new Liveness("n1", PEERS, unreachable());
    l.check(
        FakeDivisionInfo.leader("n1", List.of(new Follower("n2", 0, 0), new Follower("n4", 0, 0))),
        NOW);
    assertEquals(
        List.of(new NodeStatus("n1", true), new NodeStatus("n2", true), new NodeStatus("n4", true)),
        l.nodes(NOW, Set.of("n4", "n2", "n1")),
        "n3 was removed, n4 joined");
  }
}
