package dev.warren.broker.cluster;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test of a cluster of brokers ({@link ClusterNodes}): its data directories under {@link #root},
 * which the test makes into {@link #cluster}, stopped after each test.
 */
abstract class ClusterTest {
  @TempDir Path root;

  ClusterNodes cluster;

  @AfterEach
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }
}
