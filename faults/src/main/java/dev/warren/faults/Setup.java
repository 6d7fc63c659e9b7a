package dev.warren.faults;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Declares the quorum queue through the preferred node ({@code --prefer}), else through the next
 * one that answers the declare, for up to {@code --timeout} seconds; with {@code --purge} it
 * empties the queue through the preferred node only instead: the seeded bug, a real loss of
 * confirmed messages at the broker that the checker must catch.
 */
@Command(
    name = "setup",
    mixinStandardHelpOptions = true,
    description = "Declares the quorum queue (or, with --purge, purges it) through one node.")
final class Setup implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Setup.class);

  @Mixin Cluster cluster;

  @Option(
      names = "--timeout",
      defaultValue = "120",
      description = "seconds to wait for the node (${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(names = "--purge", description = "queue.purge the queue instead of declaring it")
  boolean purge;

  @Override
  public Integer call() throws Exception {
    long deadline = System.currentTimeMillis() + timeoutSeconds * 1_000L;
    if (purge) {
      Cluster.Link link = cluster.connectTo(cluster.prefer, timeoutSeconds * 1_000L);
      try {
        int purged = link.connection().createChannel().queuePurge(cluster.queue).getMessageCount();
        LOG.info("purged {} message(s) through n{}", purged, cluster.prefer);
      } finally {
        link.connection().close(5_000);
      }
      return 0;
    }
    while (true) {
      Cluster.Link link = cluster.connect(Math.max(1, deadline - System.currentTimeMillis()));
      try {
        cluster.declare(link.connection().createChannel());
        LOG.info("declared {} through {}", cluster.queue, link.nodeName());
        link.connection().close(5_000);
        return 0;
      } catch (IOException | RuntimeException e) {
        LOG.info("declare through {} failed: {}", link.nodeName(), e.toString());
        link.abort();
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        cluster.prefer = link.node() % cluster.nodes.size() + 1;
      }
    }
  }
}
