package dev.warren.mirroring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

  @Test
  void theLauncherFlagsNameThisNodeItsListenerAndEveryPeer() {
    ClusterConfig c =
        ClusterConfig.of(
            "n2", "10.77.0.2:25672", "n1@10.77.0.1:25672, n2@10.77.0.2:25672,n3@10.77.0.3:25672");
    assertEquals("n2", c.nodeName());
    assertEquals("10.77.0.2", c.host());
    assertEquals(25672, c.port());
    assertEquals(
        List.of(
            new ClusterPeer("n1", "10.77.0.1", 25672),
            new ClusterPeer("n2", "10.77.0.2", 25672),
            new ClusterPeer("n3", "10.77.0.3", 25672)),
        c.peers());
    assertEquals(ClusterConfig.DEFAULT_COMMIT_TIMEOUT, c.commitTimeout());
  }

  @Test
  void malformedPeersOrANodeNotAmongThemAreRefused() {
    for (String peers :
        List.of(
            "",
            "n1",
            "n1@host",
            "n1@host:",
            "n1@:1",
            "@h:1",
            "n1@h:x",
            "n1@h:0",
            "n1@h:1,n1@h:2")) {
      assertThrows(
          IllegalArgumentException.class, () -> ClusterConfig.of("n1", "h:1", peers), peers);
    }
    assertThrows(
        IllegalArgumentException.class, () -> ClusterConfig.of("n9", "h:1", "n1@h:1,n2@h:2"));
    assertThrows(IllegalArgumentException.class, () -> ClusterConfig.of("n1", "h", "n1@h:1"));
  }
}
