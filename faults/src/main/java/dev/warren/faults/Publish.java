package dev.warren.faults;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A publisher: persistent messages with unique ids ({@code CLIENT-0000001}, the body and the
 * message-id property alike) to the queue through the default exchange, in confirm mode, at most
 * {@code --window} unconfirmed at a time. Each message is published once and never again: after a
 * failure the ones still unconfirmed are logged in-doubt and the publisher goes on with new ids on
 * the next node that answers. A failure is a lost connection or channel, or the oldest unconfirmed
 * message waiting longer than {@code --confirm-timeout} (a node cut off from its peers may neither
 * confirm nor close).
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = "Publishes with confirms for a while, logging every message's fate.")
final class Publish implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Publish.class);

  @Mixin Cluster cluster;

  @Option(
      names = "--duration",
      defaultValue = "60",
      description = "seconds to publish (${DEFAULT-VALUE})")
  int durationSeconds;

  @Option(
      names = "--rate",
      defaultValue = "100",
      description = "messages a second (${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--window",
      defaultValue = "50",
      description = "unconfirmed messages at most (${DEFAULT-VALUE})")
  int window;

  @Option(
      names = "--confirm-timeout",
      defaultValue = "20",
      description =
          "seconds the oldest unconfirmed message may wait before the publisher gives up"
              + " on the connection (${DEFAULT-VALUE})")
  int confirmTimeoutSeconds;

  @Option(
      names = "--final-confirm-timeout",
      defaultValue = "60",
      description =
          "seconds to wait for the last confirms once the duration is over" + " (${DEFAULT-VALUE})")
  int finalConfirmTimeoutSeconds;

  private long sequence;

  @Override
  public Integer call() throws Exception {
    long end = System.currentTimeMillis() + durationSeconds * 1_000L;
    Pacer pacer = new Pacer(rate);
    try (EventLog log = new EventLog(cluster.events, cluster.client)) {
      while (System.currentTimeMillis() < end) {
        Cluster.Link link = cluster.connect(120_000);
        Outstanding out = new Outstanding(log);
        try {
          Channel ch = link.connection().createChannel();
          ch.confirmSelect();
          ch.addConfirmListener(
              (tag, multiple) -> out.settle(tag, multiple, Event.Type.CONFIRM),
              (tag, multiple) -> out.settle(tag, multiple, Event.Type.NACK));
          publishUntil(end, ch, link, out, pacer, log);
          out.awaitEmpty(finalConfirmTimeoutSeconds * 1_000L);
          link.connection().close(5_000);
        } catch (Exception e) {
          LOG.info("{}: on n{}: {}", cluster.client, link.node(), e.toString());
          link.abort();
        } finally {
          out.abandon();
        }
      }
    }
    LOG.info("{}: published {}", cluster.client, sequence);
    return 0;
  }

  private void publishUntil(
      long end, Channel ch, Cluster.Link link, Outstanding out, Pacer pacer, EventLog log)
      throws Exception {
    while (System.currentTimeMillis() < end) {
      out.awaitRoom(window, confirmTimeoutSeconds * 1_000L);
      pacer.await();
      String id = String.format("%s-%07d", cluster.client, ++sequence);
      AMQP.BasicProperties props =
          MessageProperties.PERSISTENT_BASIC.builder().messageId(id).build();
      out.add(ch.getNextPublishSeqNo(), id);
      log.write(Event.Type.PUBLISH, id, "node=" + link.nodeName());
      ch.basicPublish("", cluster.queue, props, id.getBytes(StandardCharsets.US_ASCII));
    }
  }

  /**
   * The unconfirmed messages of one channel, by publish sequence number. Shared by the publishing
   * thread and the connection's confirm listener; whoever takes a message out logs its fate, so
   * each message gets exactly one: confirm, nack or in-doubt.
   */
  private static final class Outstanding {
    private final NavigableMap<Long, String> bySeq = new TreeMap<>();
    private final Map<Long, Long> sentAt = new TreeMap<>();
    private final EventLog log;

    Outstanding(EventLog log) {
      this.log = log;
    }

    synchronized void add(long seq, String id) {
      bySeq.put(seq, id);
      sentAt.put(seq, System.currentTimeMillis());
    }

    synchronized void settle(long tag, boolean multiple, Event.Type fate) {
      Map<Long, String> done = multiple ? bySeq.headMap(tag, true) : subMap(tag);
      for (Map.Entry<Long, String> e : Map.copyOf(done).entrySet()) {
        log.write(fate, e.getValue(), "");
        bySeq.remove(e.getKey());
        sentAt.remove(e.getKey());
      }
      notifyAll();
    }

    private Map<Long, String> subMap(long tag) {
      return bySeq.subMap(tag, true, tag, true);
    }

    /**
     * Waits until fewer than {@code window} are unconfirmed; fails if the oldest waited too long.
     */
    synchronized void awaitRoom(int window, long timeoutMillis) throws InterruptedException {
      while (bySeq.size() >= window) {
        checkOldest(timeoutMillis);
        wait(200);
      }
      checkOldest(timeoutMillis);
    }

    synchronized void awaitEmpty(long timeoutMillis) throws InterruptedException {
      long deadline = System.currentTimeMillis() + timeoutMillis;
      while (!bySeq.isEmpty() && System.currentTimeMillis() < deadline) {
        wait(200);
      }
    }

    private void checkOldest(long timeoutMillis) {
      if (!sentAt.isEmpty()) {
        long waited = System.currentTimeMillis() - sentAt.values().iterator().next();
        if (waited > timeoutMillis) {
          throw new IllegalStateException("no confirm for " + waited + " ms");
        }
      }
    }

    /** Logs every message still unconfirmed as in-doubt; later confirms find nothing. */
    synchronized void abandon() {
      for (String id : bySeq.values()) {
        log.write(Event.Type.IN_DOUBT, id, "");
      }
      bySeq.clear();
      sentAt.clear();
    }
  }
}
