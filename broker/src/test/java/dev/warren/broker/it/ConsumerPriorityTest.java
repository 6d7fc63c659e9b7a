package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Consumer priorities (basic.consume argument x-priority) and single active consumer
 * (x-single-active-consumer), alone and together. Plain priority dispatch is also in {@link
 * ConsumeTest}.
 */
class ConsumerPriorityTest {
  private static final Map<String, Object> SINGLE_ACTIVE = Map.of("x-single-active-consumer", true);

  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void lowerPriorityConsumerGetsMessagesOnlyWhileTheHigherHasNoCredit() throws Exception {
    String q = session.declareQueue();
    Channel highCh = session.connection().createChannel();
    highCh.basicQos(1);
    RecordingConsumer high = new RecordingConsumer(highCh);
    highCh.basicConsume(q, false, "", false, false, Map.of("x-priority", 10), high);
    Channel lowCh = session.connection().createChannel();
    RecordingConsumer low = new RecordingConsumer(lowCh);
    lowCh.basicConsume(q, true, "", false, false, Map.of("x-priority", -5), low);
    session.publish(q, "1", "2");
    Delivery first = high.next();
    assertEquals("1", Messages.text(first.getBody()));
    assertEquals("2", Messages.text(low.next().getBody()));
    highCh.basicAck(first.getEnvelope().getDeliveryTag(), false);
    session.publish(q, "3");
    assertEquals("3", Messages.text(high.next().getBody()));
    low.assertNoDelivery();
  }

  /**
   * No-ack consumers take messages as fast as their connection carries them: a batch larger than
   * what the connection holds in flight (the first) must still go wholly to the highest-priority
   * consumer, never in part to a lower one of the same channel while the higher waits for the
   * socket; once it cancels, the next batch goes wholly to the next.
   */
  @Test
  void eachBatchGoesWhollyToTheHighestPriorityNoAckConsumerStillConsuming() throws Exception {
    // The queue and the publisher on a connection of their own (another event loop in Warren), so
    // that the consumers' connection drains while the queue offers.
    Channel owner = session.newConnection().createChannel();
    String q = session.queueName();
    owner.queueDeclare(q, false, false, false, null);
    owner.confirmSelect();
    Channel ch = session.connection().createChannel();
    RecordingConsumer high = new RecordingConsumer(ch);
    RecordingConsumer normal = new RecordingConsumer(ch);
    RecordingConsumer low = new RecordingConsumer(ch);
    List<String> tags =
        List.of(
            ch.basicConsume(q, true, "", false, false, Map.of("x-priority", 1), high),
            ch.basicConsume(q, true, normal),
            ch.basicConsume(q, true, "", false, false, Map.of("x-priority", -1), low));
    List<RecordingConsumer> byPriority = List.of(high, normal, low);
    for (int round = 0; round < 3; round++) {
      int batch = round == 0 ? LARGE_BATCH : 1_000;
      Messages.publishNumbered(owner, q, batch);
      owner.waitForConfirmsOrDie(60_000);
      assertEquals(batch, byPriority.get(round).next(batch).size());
      for (RecordingConsumer other : byPriority) {
        if (other != byPriority.get(round)) {
          other.assertNoDelivery();
        }
      }
      ch.basicCancel(tags.get(round));
    }
  }

  /** More deliveries than a Warren connection keeps in flight (8,192 in its outbox). */
  private static final int LARGE_BATCH = 20_000;

  @Test
  void nonIntegerConsumerPriorityIsPreconditionFailed() throws Exception {
    String q = session.declareQueue();
    Map<String, Object> priorities = new LinkedHashMap<>();
    priorities.put("longstr", "high");
    priorities.put("void", null);
    priorities.put("double", 1.0);
    priorities.put("bool", true);
    priorities.put("decimal", new BigDecimal("1"));
    for (Map.Entry<String, Object> bad : priorities.entrySet()) {
      Channel ch = session.connection().createChannel();
      Map<String, Object> args = new HashMap<>();
      args.put("x-priority", bad.getValue());
      AMQP.Channel.Close close =
          AmqpErrors.channelClose(
              ch,
              () -> ch.basicConsume(q, true, "", false, false, args, new RecordingConsumer(ch)));
      assertEquals(AMQP.PRECONDITION_FAILED, close.getReplyCode());
      assertEquals(
          "PRECONDITION_FAILED - invalid arg 'x-priority' for queue '"
              + q
              + "' in vhost '/': \"expected integer, got "
              + bad.getKey()
              + "\"",
          close.getReplyText());
    }
  }

  @Test
  void consumerPriorityMayComeInAnyIntegerType() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.channel();
    for (Object priority : List.<Object>of((byte) 3, (short) 3, 3L, 1L << 40, -(1L << 40))) {
      ch.basicConsume(
          q, true, "", false, false, Map.of("x-priority", priority), new RecordingConsumer(ch));
    }
    assertEquals(5, ch.queueDeclarePassive(q).getConsumerCount());
  }

  @Test
  void onlyTheSingleActiveConsumerReceivesMessages() throws Exception {
    String q = session.declareQueue(SINGLE_ACTIVE);
    RecordingConsumer first = consume(q, "first", Map.of());
    RecordingConsumer second = consume(q, "second", Map.of());
    session.publishNumbered(q, 4);
    assertEquals(List.of("1", "2", "3", "4"), first.nextBodies(4));
    second.assertNoDelivery();
  }

  @Test
  void whenTheActiveConsumerCancelsTheNextTakesOver() throws Exception {
    String q = session.declareQueue(SINGLE_ACTIVE);
    Channel firstCh = session.connection().createChannel();
    RecordingConsumer first = new RecordingConsumer(firstCh);
    firstCh.basicConsume(q, true, "first", first);
    RecordingConsumer second = consume(q, "second", Map.of());
    session.publish(q, "a");
    assertEquals("a", Messages.text(first.next().getBody()));
    firstCh.basicCancel("first");
    session.publish(q, "b", "c");
    assertEquals(List.of("b", "c"), second.nextBodies(2));
    first.assertNoDelivery();
  }

  @Test
  void unackedMessagesOfAClosedActiveConsumerGoToTheNextAsRedeliveries() throws Exception {
    String q = session.declareQueue(SINGLE_ACTIVE);
    Channel firstCh = session.connection().createChannel();
    firstCh.basicQos(1);
    RecordingConsumer first = new RecordingConsumer(firstCh);
    firstCh.basicConsume(q, false, "first", first);
    RecordingConsumer second = consume(q, "second", Map.of());
    session.publish(q, "n0", "n1", "n2");
    assertEquals("n0", Messages.text(first.next().getBody()));
    second.assertNoDelivery();
    firstCh.close();
    List<Delivery> taken = second.next(3);
    assertEquals(
        List.of("n0:true", "n1:false", "n2:false"),
        taken.stream()
            .map(d -> Messages.text(d.getBody()) + ":" + d.getEnvelope().isRedeliver())
            .toList());
  }

  @Test
  void theFirstConsumerIsActiveWhateverTheLaterConsumersPriorities() throws Exception {
    String q = session.declareQueue(SINGLE_ACTIVE);
    RecordingConsumer first = consume(q, "first", Map.of("x-priority", 1));
    RecordingConsumer higher = consume(q, "higher", Map.of("x-priority", 10));
    session.publish(q, "m");
    assertEquals("m", Messages.text(first.next().getBody()));
    higher.assertNoDelivery();
  }

  @Test
  void theHighestPriorityWaitingConsumerTakesOverFromACancelledActiveOne() throws Exception {
    String q = session.declareQueue(SINGLE_ACTIVE);
    Channel firstCh = session.connection().createChannel();
    firstCh.basicConsume(
        q, true, "first", false, false, Map.of("x-priority", 1), new RecordingConsumer(firstCh));
    RecordingConsumer second = consume(q, "second", Map.of("x-priority", 1));
    RecordingConsumer third = consume(q, "third", Map.of("x-priority", 10));
    firstCh.basicCancel("first");
    session.publish(q, "m3", "m4");
    assertEquals(List.of("m3", "m4"), third.nextBodies(2));
    second.assertNoDelivery();
  }

  @Test
  void singleActiveConsumerMustBeABoolean() throws Exception {
    for (Object bad : new Object[] {"yes", 1}) {
      String q = session.queueName();
      Channel ch = session.connection().createChannel();
      assertEquals(
          AMQP.PRECONDITION_FAILED,
          AmqpErrors.channelErrorCode(
              ch,
              () ->
                  ch.queueDeclare(q, false, false, false, Map.of("x-single-active-consumer", bad))),
          () -> "x-single-active-consumer " + bad);
    }
  }

  /** An auto-ack consumer on its own channel with that tag and arguments. */
  private RecordingConsumer consume(String q, String tag, Map<String, Object> args)
      throws IOException {
    Channel ch = session.connection().createChannel();
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, true, tag, false, false, args, consumer);
    return consumer;
  }
}
