package dev.warren.broker.cluster;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the cluster tests declare and publish: quorum queues and persistent, confirmed messages. */
final class QuorumMessages {
  /** queue.declare's arguments for a quorum queue. */
  static final Map<String, Object> QUORUM = Map.of("x-queue-type", "quorum");

  static final AMQP.BasicProperties PERSISTENT =
      new AMQP.BasicProperties.Builder().deliveryMode(2).build();

  private QuorumMessages() {}

  /**
   * Publishes "m{from}" .. "m{from + count - 1}", persistent, to {@code queue} through the default
   * exchange, and waits (10 s at most) until every one is confirmed; a nack fails.
   */
  static void publishConfirmed(Channel ch, String queue, int from, int count) throws Exception {
    ch.confirmSelect();
    for (int i = from; i < from + count; i++) {
      ch.basicPublish("", queue, PERSISTENT, ("m" + i).getBytes(StandardCharsets.UTF_8));
    }
    ch.waitForConfirmsOrDie(10_000);
  }

  /** "m{from}" .. "m{from + count - 1}": what {@link #publishConfirmed} sent, in order. */
  static List<String> names(int from, int count) {
    List<String> names = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      names.add("m" + i);
    }
    return names;
  }
}
