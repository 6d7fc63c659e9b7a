package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Priority queues (x-max-priority): higher priority first, FIFO within a priority, priorities above
 * the maximum count as the maximum, and the argument's valid range (0..255).
 */
class PriorityQueueTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void messagesOfEqualPriorityKeepTheirPublishOrder() throws Exception {
    String q = session.declareQueue(Map.of("x-max-priority", 5));
    publishWithPriorities(q, "a:2", "b:4", "c:2", "d:4", "e:2");
    assertEquals(List.of("b", "d", "a", "c", "e"), Messages.drain(session.channel(), q));
  }

  @Test
  void priorityAboveTheMaximumCountsAsTheMaximumAndIsDeliveredUnchanged() throws Exception {
    String q = session.declareQueue(Map.of("x-max-priority", 3));
    publishWithPriorities(q, "low:1", "over:9", "max:3", "mid:2");
    Channel ch = session.channel();
    List<String> seen = new ArrayList<>();
    for (String body : List.of("over", "max", "mid", "low")) {
      AMQP.BasicProperties props = Messages.get(ch, q, true).getProps();
      seen.add(body + ":" + props.getPriority());
    }
    assertEquals(List.of("over:9", "max:3", "mid:2", "low:1"), seen);
  }

  @Test
  void messageWithoutPriorityCountsAsPriorityZero() throws Exception {
    String q = session.declareQueue(Map.of("x-max-priority", 3));
    Channel p = session.publisher();
    p.basicPublish("", q, null, Messages.bytes("none"));
    p.basicPublish("", q, props(0), Messages.bytes("zero"));
    p.basicPublish("", q, props(1), Messages.bytes("one"));
    p.waitForConfirmsOrDie(5_000);
    assertEquals(List.of("one", "none", "zero"), Messages.drain(session.channel(), q));
  }

  @Test
  void queueWithoutMaxPriorityIgnoresMessagePriorities() throws Exception {
    String q = session.declareQueue();
    publishWithPriorities(q, "a:0", "b:9", "c:3");
    assertEquals(List.of("a", "b", "c"), Messages.drain(session.channel(), q));
  }

  @Test
  void requeuedMessageGoesBackAheadOfLowerPriorities() throws Exception {
    String q = session.declareQueue(Map.of("x-max-priority", 5));
    publishWithPriorities(q, "high:5", "low:1");
    Channel ch = session.channel();
    long tag = Messages.get(ch, q, false).getEnvelope().getDeliveryTag();
    ch.basicReject(tag, true);
    assertEquals(List.of("high", "low"), Messages.drain(ch, q));
  }

  @Test
  void maxPriority255IsAccepted() throws Exception {
    String q = session.declareQueue(Map.of("x-max-priority", 255));
    publishWithPriorities(q, "a:1", "b:200");
    assertEquals(List.of("b", "a"), Messages.drain(session.channel(), q));
  }

  @Test
  void maxPriorityAbove255NegativeOrNotAnIntegerIsPreconditionFailed() throws Exception {
    for (Object bad : new Object[] {256, 300, -1, "10"}) {
      String q = session.queueName();
      Channel ch = session.connection().createChannel();
      assertEquals(
          AMQP.PRECONDITION_FAILED,
          AmqpErrors.channelErrorCode(
              ch, () -> ch.queueDeclare(q, false, false, false, Map.of("x-max-priority", bad))),
          () -> "x-max-priority " + bad);
    }
  }

  /** Publishes "body:priority" specs in order and waits for their confirms. */
  private void publishWithPriorities(String q, String... specs) throws Exception {
    Channel p = session.publisher();
    for (String spec : specs) {
      String[] parts = spec.split(":");
      p.basicPublish("", q, props(Integer.parseInt(parts[1])), Messages.bytes(parts[0]));
    }
    p.waitForConfirmsOrDie(5_000);
  }

  private static AMQP.BasicProperties props(int priority) {
    return new AMQP.BasicProperties.Builder().priority(priority).build();
  }
}
