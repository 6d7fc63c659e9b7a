package dev.warren.faults;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A consumer with manual acks, until its stop file appears. {@code --mode plain} acks each delivery
 * on its own (and rejects {@code --reject-percent} of them with requeue, so that redeliveries
 * happen without faults too); {@code --mode tx} acks inside transactions (tx.select), committing
 * every {@code --tx-batch} acks or when deliveries pause, and logs a commit for each ack only once
 * tx.commit-ok came. After a failure it reconnects to the next node that answers; acks not
 * committed are logged commit-failed.
 *
 * <p>Threads: the client's consumer thread only puts deliveries in the inbox, stamped with the time
 * they arrived; this command's thread logs, acks and commits.
 */
@Command(
    name = "consume",
    mixinStandardHelpOptions = true,
    description = "Consumes with manual acks (plain or in transactions), logging every event.")
final class Consume implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Consume.class);

  enum Mode {
    plain,
    tx
  }

  @Mixin Cluster cluster;

  @Option(names = "--mode", defaultValue = "plain", description = "plain or tx (${DEFAULT-VALUE})")
  Mode mode;

  @Option(names = "--prefetch", defaultValue = "20", description = "basic.qos (${DEFAULT-VALUE})")
  int prefetch;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "deliveries handled a second, 0 for no limit (${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--reject-percent",
      defaultValue = "1",
      description = "plain mode: percent of deliveries rejected with requeue (${DEFAULT-VALUE})")
  double rejectPercent;

  @Option(
      names = "--tx-batch",
      defaultValue = "5",
      description = "tx mode: acks per transaction at most (${DEFAULT-VALUE})")
  int txBatch;

  @Option(
      names = "--stop-file",
      required = true,
      description = "the consumer commits what it acked and exits once this file exists")
  Path stopFile;

  /** A delivery, or null id for the end of the subscription (cancelled, or channel shut down). */
  private record Arrival(long micros, long tag, boolean redelivered, String id, String why) {}

  private final List<String> uncommitted = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Pacer pacer = new Pacer(rate);
    try (EventLog log = new EventLog(cluster.events, cluster.client)) {
      while (!Files.exists(stopFile)) {
        Cluster.Link link = cluster.connect(120_000);
        try {
          consume(link, log, pacer);
          link.connection().close(5_000);
        } catch (Exception e) {
          LOG.info("{}: on n{}: {}", cluster.client, link.node(), e.toString());
          link.abort();
          for (String id : uncommitted) {
            log.write(Event.Type.COMMIT_FAILED, id, "");
          }
          uncommitted.clear();
          Cluster.pause(500);
        }
      }
    }
    return 0;
  }

  private void consume(Cluster.Link link, EventLog log, Pacer pacer) throws Exception {
    Channel ch = link.connection().createChannel();
    ch.basicQos(prefetch);
    if (mode == Mode.tx) {
      ch.txSelect();
    }
    ch.queueDeclarePassive(cluster.queue);
    BlockingQueue<Arrival> inbox = new LinkedBlockingQueue<>();
    ch.basicConsume(
        cluster.queue,
        false,
        new DefaultConsumer(ch) {
          @Override
          public void handleDelivery(
              String consumerTag, Envelope env, AMQP.BasicProperties props, byte[] body) {
            inbox.add(
                new Arrival(
                    EventLog.nowMicros(),
                    env.getDeliveryTag(),
                    env.isRedeliver(),
                    new String(body, StandardCharsets.US_ASCII),
                    null));
          }

          @Override
          public void handleCancel(String consumerTag) {
            inbox.add(new Arrival(0, 0, false, null, "consumer cancelled by the broker"));
          }

          @Override
          public void handleShutdownSignal(String consumerTag, ShutdownSignalException sig) {
            inbox.add(new Arrival(0, 0, false, null, "channel shut down: " + sig.getMessage()));
          }
        });
    while (true) {
      Arrival a = inbox.poll(200, TimeUnit.MILLISECONDS);
      if (a == null) {
        commit(ch, log);
        if (Files.exists(stopFile)) {
          return;
        }
        continue;
      }
      if (a.id() == null) {
        throw new IOException(a.why());
      }
      log.write(
          a.micros(),
          Event.Type.DELIVER,
          a.id(),
          "node=" + link.nodeName() + " redelivered=" + a.redelivered());
      pacer.await();
      handle(ch, a, log);
      if (Files.exists(stopFile)) {
        commit(ch, log);
        return;
      }
    }
  }

  private void handle(Channel ch, Arrival a, EventLog log) throws IOException {
    if (mode == Mode.plain && ThreadLocalRandom.current().nextDouble(100) < rejectPercent) {
      log.write(Event.Type.REJECT, a.id(), "");
      ch.basicReject(a.tag(), true);
      return;
    }
    log.write(Event.Type.ACK, a.id(), "");
    ch.basicAck(a.tag(), false);
    if (mode == Mode.tx) {
      uncommitted.add(a.id());
      if (uncommitted.size() >= txBatch) {
        commit(ch, log);
      }
    }
  }

  /** tx.commit, then a commit event for each ack it covered; a failure propagates. */
  private void commit(Channel ch, EventLog log) throws IOException {
    if (mode != Mode.tx || uncommitted.isEmpty()) {
      return;
    }
    ch.txCommit();
    for (String id : uncommitted) {
      log.write(Event.Type.COMMIT, id, "");
    }
    uncommitted.clear();
  }
}
