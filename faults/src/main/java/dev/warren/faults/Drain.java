package dev.warren.faults;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The drain after healing: consumes everything left in the queue through one node ({@code
 * --prefer}), logging each delivery and acking it, until the queue reports no message ready and
 * nothing arrived for {@code --idle} seconds. One node on purpose: a quorum queue is one queue, so
 * any node must hand out all of it; a cluster whose queue lives on the node that took the publish
 * fails here with lost messages.
 *
 * <p>Threads: the client's consumer thread logs and acks each delivery (each is acked on the
 * channel that delivered it); this command's thread only watches for the end.
 */
@Command(
    name = "drain",
    mixinStandardHelpOptions = true,
    description = "Consumes the rest of the queue through one node, logging every delivery.")
final class Drain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Drain.class);

  @Mixin Cluster cluster;

  @Option(
      names = "--idle",
      defaultValue = "10",
      description =
          "seconds with nothing ready and nothing delivered that end the drain"
              + " (${DEFAULT-VALUE})")
  int idleSeconds;

  @Option(
      names = "--timeout",
      defaultValue = "300",
      description = "seconds the drain may take at most; exit 2 past it (${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    long deadline = System.currentTimeMillis() + timeoutSeconds * 1_000L;
    AtomicLong delivered = new AtomicLong();
    AtomicLong lastDelivery = new AtomicLong(System.currentTimeMillis());
    try (EventLog log = new EventLog(cluster.events, cluster.client)) {
      Cluster.Link link = cluster.connectTo(cluster.prefer, 120_000);
      Channel ch = link.connection().createChannel();
      ch.basicQos(500);
      ch.basicConsume(
          cluster.queue,
          false,
          new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(
                String consumerTag, Envelope env, AMQP.BasicProperties props, byte[] body)
                throws IOException {
              String id = new String(body, StandardCharsets.US_ASCII);
              log.write(
                  Event.Type.DELIVER,
                  id,
                  "node=" + link.nodeName() + " redelivered=" + env.isRedeliver());
              log.write(Event.Type.ACK, id, "");
              getChannel().basicAck(env.getDeliveryTag(), false);
              delivered.incrementAndGet();
              lastDelivery.set(System.currentTimeMillis());
            }
          });
      while (true) {
        Cluster.pause(1_000);
        long ready = ch.queueDeclarePassive(cluster.queue).getMessageCount();
        long quiet = System.currentTimeMillis() - lastDelivery.get();
        if (ready == 0 && quiet > idleSeconds * 1_000L) {
          break;
        }
        if (System.currentTimeMillis() > deadline) {
          LOG.error(
              "{}: drain not done after {} s; {} still ready",
              cluster.client,
              timeoutSeconds,
              ready);
          link.abort();
          return 2;
        }
      }
      link.connection().close(5_000);
    }
    LOG.info("{}: drained {} through n{}", cluster.client, delivered.get(), cluster.prefer);
    return 0;
  }
}
