package dev.warren.faults;

import com.rabbitmq.client.Channel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Declares the quorum queue through one node ({@code --prefer}), waiting up to {@code --timeout}
 * for that node, and, with {@code --purge}, empties it: the seeded bug, a real loss of confirmed
 * messages at the broker that the checker must catch.
 */
@Command(
    name = "setup",
    mixinStandardHelpOptions = true,
    description = "Declares the quorum queue (or, with --purge, purges it) through one node.")
final class Setup implements Callable<Integer> {
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
    Cluster.Link link = cluster.connectTo(cluster.prefer, timeoutSeconds * 1_000L);
    try {
      Channel ch = link.connection().createChannel();
      if (purge) {
        int purged = ch.queuePurge(cluster.queue).getMessageCount();
        System.out.println("purged " + purged + " message(s) through n" + cluster.prefer);
      } else {
        cluster.declare(ch);
        System.out.println("declared " + cluster.queue + " through n" + cluster.prefer);
      }
    } finally {
      link.connection().close(5_000);
    }
    return 0;
  }
}
