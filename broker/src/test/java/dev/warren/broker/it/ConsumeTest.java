package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Command;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** basic.qos / consume / cancel: prefetch, exclusivity, tags, priorities, cancel notification. */
class ConsumeTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void prefetchStopsDeliveriesAtTheUnackedLimitUntilAnAck() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 5);
    Channel ch = session.connection().createChannel();
    ch.basicQos(2);
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, false, consumer);
    List<Delivery> first = consumer.next(2);
    assertEquals(List.of("1", "2"), bodies(first));
    consumer.assertNoDelivery();
    awaitReady(q, 3);
    ch.basicAck(first.get(0).getEnvelope().getDeliveryTag(), false);
    assertEquals("3", Messages.text(consumer.next().getBody()));
    consumer.assertNoDelivery();
  }

  @Test
  void prefetchZeroMeansNoLimit() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 20);
    Channel ch = session.connection().createChannel();
    ch.basicQos(0);
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, false, consumer);
    assertEquals(20, consumer.next(20).size());
  }

  @Test
  void perConsumerPrefetchLimitsEachConsumerOfTheChannelSeparately() throws Exception {
    String q1 = session.declareQueue();
    String q2 = session.declareQueue();
    session.publishNumbered(q1, 5);
    session.publishNumbered(q2, 5);
    Channel ch = session.connection().createChannel();
    ch.basicQos(2, false);
    RecordingConsumer c1 = new RecordingConsumer(ch);
    RecordingConsumer c2 = new RecordingConsumer(ch);
    ch.basicConsume(q1, false, c1);
    ch.basicConsume(q2, false, c2);
    assertEquals(2, c1.next(2).size());
    assertEquals(2, c2.next(2).size());
    c1.assertNoDelivery();
    c2.assertNoDelivery();
    awaitReady(q1, 3);
    awaitReady(q2, 3);
  }

  /** RabbitMQ 3.x: basic.qos global=true is one limit shared by all consumers on the channel. */
  @Test
  void globalPrefetchIsSharedByAllConsumersOfTheChannel() throws Exception {
    String q1 = session.declareQueue();
    String q2 = session.declareQueue();
    session.publishNumbered(q1, 5);
    session.publishNumbered(q2, 5);
    Channel ch = session.connection().createChannel();
    ch.basicQos(3, true);
    RecordingConsumer shared = new RecordingConsumer(ch);
    ch.basicConsume(q1, false, shared);
    ch.basicConsume(q2, false, shared);
    List<Delivery> got = shared.next(3);
    shared.assertNoDelivery();
    Poll.until(
        Duration.ofSeconds(5),
        () ->
            Messages.readyCount(session.channel(), q1) + Messages.readyCount(session.channel(), q2)
                == 7,
        "seven messages left ready in total");
    ch.basicAck(got.get(2).getEnvelope().getDeliveryTag(), true);
    assertEquals(3, shared.next(3).size());
    shared.assertNoDelivery();
  }

  /**
   * RabbitMQ 3.x: while the channel's global window is full, no-ack consumers of the channel get
   * nothing either; their deliveries never count against it.
   */
  @Test
  void globalPrefetchHoldsBackNoAckConsumersOfTheChannelWhileItIsFull() throws Exception {
    String acked = session.declareQueue();
    String unacked = session.declareQueue();
    session.publishNumbered(acked, 3);
    session.publishNumbered(unacked, 3);
    Channel ch = session.connection().createChannel();
    ch.basicQos(1, true);
    RecordingConsumer acker = new RecordingConsumer(ch);
    String ackerTag = ch.basicConsume(acked, false, acker);
    Delivery held = acker.next();
    RecordingConsumer noAck = new RecordingConsumer(ch);
    ch.basicConsume(unacked, true, noAck);
    noAck.assertNoDelivery();
    ch.basicCancel(ackerTag);
    ch.basicAck(held.getEnvelope().getDeliveryTag(), false);
    assertEquals(List.of("1", "2", "3"), noAck.nextBodies(3));
  }

  @Test
  void noAckDeliveriesDoNotCountAgainstTheGlobalPrefetch() throws Exception {
    String acked = session.declareQueue();
    String unacked = session.declareQueue();
    session.publishNumbered(acked, 3);
    session.publishNumbered(unacked, 3);
    Channel ch = session.connection().createChannel();
    ch.basicQos(1, true);
    RecordingConsumer noAck = new RecordingConsumer(ch);
    ch.basicConsume(unacked, true, noAck);
    assertEquals(List.of("1", "2", "3"), noAck.nextBodies(3));
    RecordingConsumer acker = new RecordingConsumer(ch);
    ch.basicConsume(acked, false, acker);
    assertEquals("1", Messages.text(acker.next().getBody()));
    acker.assertNoDelivery();
  }

  /**
   * One consumer on several queues with a prefetch of 1, for the channel or for each of its
   * subscriptions: every queue is served as acks come back, not one queue until it is empty.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void oneConsumerOnSeveralQueuesWithPrefetchOneIsServedFromEveryQueue(boolean global)
      throws Exception {
    List<String> queues =
        List.of(session.declareQueue(), session.declareQueue(), session.declareQueue());
    for (String q : queues) {
      session.publishNumbered(q, 30);
    }
    Channel ch = session.connection().createChannel();
    ch.basicQos(1, global);
    RecordingConsumer consumer = new RecordingConsumer(ch);
    for (String q : queues) {
      ch.basicConsume(q, false, consumer);
    }
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      Delivery d = consumer.next();
      served.merge(d.getEnvelope().getRoutingKey(), 1, Integer::sum);
      ch.basicAck(d.getEnvelope().getDeliveryTag(), false);
    }
    assertEquals(3, served.size(), () -> "deliveries by queue: " + served);
  }

  @Test
  void exclusiveConsumerMakesOtherConsumesAccessRefused() throws Exception {
    String q = session.declareQueue();
    Channel owner = session.connection().createChannel();
    owner.basicConsume(q, true, "", false, true, null, new RecordingConsumer(owner));
    Channel other = session.newConnection().createChannel();
    assertEquals(
        AMQP.ACCESS_REFUSED,
        AmqpErrors.channelErrorCode(
            other, () -> other.basicConsume(q, true, new RecordingConsumer(other))));
    Channel sameConnection = session.connection().createChannel();
    assertEquals(
        AMQP.ACCESS_REFUSED,
        AmqpErrors.channelErrorCode(
            sameConnection,
            () -> sameConnection.basicConsume(q, true, new RecordingConsumer(sameConnection))));
  }

  @Test
  void exclusiveConsumeOnQueueThatHasAConsumerIsAccessRefused() throws Exception {
    String q = session.declareQueue();
    Channel first = session.connection().createChannel();
    first.basicConsume(q, true, new RecordingConsumer(first));
    Channel second = session.connection().createChannel();
    assertEquals(
        AMQP.ACCESS_REFUSED,
        AmqpErrors.channelErrorCode(
            second,
            () ->
                second.basicConsume(
                    q, true, "", false, true, null, new RecordingConsumer(second))));
  }

  @Test
  void noAckConsumerRemovesMessagesOnDelivery() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 3);
    Channel ch = session.connection().createChannel();
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, true, consumer);
    assertEquals(List.of("1", "2", "3"), consumer.nextBodies(3));
    ch.close();
    assertEquals(List.of(), Messages.drain(session.channel(), q), "nothing to requeue");
  }

  @Test
  void serverGeneratedConsumerTagsStartWithAmqCtagAndAreUsedInDeliveries() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.channel();
    CompletableFuture<String> deliveredTo = new CompletableFuture<>();
    String t1 = ch.basicConsume(q, true, (t, d) -> deliveredTo.complete(t), t -> {});
    String t2 = ch.basicConsume(q, true, new RecordingConsumer(ch));
    assertTrue(t1.startsWith("amq.ctag-"), t1);
    assertTrue(t2.startsWith("amq.ctag-"), t2);
    assertNotEquals(t1, t2);
    ch.basicCancel(t2);
    Messages.publish(ch, q, "m");
    assertEquals(t1, deliveredTo.get(5, TimeUnit.SECONDS));
  }

  @Test
  void clientChosenConsumerTagIsEchoedAndUsedInDeliveries() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.channel();
    String tag = AmqpSession.uniqueName("ctag");
    CompletableFuture<String> deliveredTo = new CompletableFuture<>();
    assertEquals(tag, ch.basicConsume(q, true, tag, (t, d) -> deliveredTo.complete(t), t -> {}));
    Messages.publish(ch, q, "m");
    assertEquals(tag, deliveredTo.get(5, TimeUnit.SECONDS));
  }

  /** RabbitMQ treats reuse of a consumer tag on a channel as a connection error, 530. */
  @Test
  void reusingAConsumerTagOnTheSameChannelIsNotAllowed() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.channel();
    String tag = AmqpSession.uniqueName("ctag");
    ch.basicConsume(q, true, tag, new RecordingConsumer(ch));
    // the Java client refuses a duplicate tag itself, so send basic.consume by hand
    AMQP.Basic.Consume duplicate =
        new AMQP.Basic.Consume.Builder().queue(q).consumerTag(tag).noAck(true).build();
    assertEquals(
        AMQP.NOT_ALLOWED, AmqpErrors.connectionErrorCode(ch, () -> ch.asyncRpc(duplicate)));
  }

  @Test
  void sameConsumerTagOnDifferentChannelsIsAllowed() throws Exception {
    String q = session.declareQueue();
    String tag = AmqpSession.uniqueName("ctag");
    Channel a = session.connection().createChannel();
    Channel b = session.connection().createChannel();
    a.basicConsume(q, true, tag, new RecordingConsumer(a));
    b.basicConsume(q, true, tag, new RecordingConsumer(b));
    assertEquals(2, session.channel().queueDeclarePassive(q).getConsumerCount());
  }

  @Test
  void consumersOfEqualPriorityAreServedRoundRobin() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.connection().createChannel();
    RecordingConsumer a = new RecordingConsumer(ch);
    RecordingConsumer b = new RecordingConsumer(ch);
    ch.basicConsume(q, true, a);
    ch.basicConsume(q, true, b);
    session.publishNumbered(q, 6);
    assertEquals(List.of("1", "3", "5"), a.nextBodies(3));
    assertEquals(List.of("2", "4", "6"), b.nextBodies(3));
  }

  @Test
  void higherPriorityConsumerGetsMessagesWhileItHasCredit() throws Exception {
    String q = session.declareQueue();
    Channel high = session.connection().createChannel();
    high.basicQos(2);
    Channel low = session.connection().createChannel();
    low.basicQos(10);
    RecordingConsumer lowConsumer = new RecordingConsumer(low);
    low.basicConsume(q, false, "", false, false, Map.of("x-priority", 0), lowConsumer);
    RecordingConsumer highConsumer = new RecordingConsumer(high);
    high.basicConsume(q, false, "", false, false, Map.of("x-priority", 10), highConsumer);
    session.publishNumbered(q, 5);
    List<Delivery> toHigh = highConsumer.next(2);
    assertEquals(List.of("1", "2"), bodies(toHigh));
    assertEquals(List.of("3", "4", "5"), lowConsumer.nextBodies(3));
    high.basicAck(toHigh.get(1).getEnvelope().getDeliveryTag(), true);
    session.publishNumbered(q, 1);
    assertEquals("1", Messages.text(highConsumer.next().getBody()));
    lowConsumer.assertNoDelivery();
  }

  @Test
  void cancelStopsDeliveriesAndLeavesMessagesInTheQueue() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.channel();
    RecordingConsumer consumer = new RecordingConsumer(ch);
    String tag = ch.basicConsume(q, true, consumer);
    ch.basicCancel(tag);
    assertEquals(0, ch.queueDeclarePassive(q).getConsumerCount());
    Messages.publish(ch, q, "after cancel");
    consumer.assertNoDelivery();
    assertEquals(List.of("after cancel"), Messages.drain(ch, q));
  }

  /** RabbitMQ answers basic.cancel for a tag it does not know with cancel-ok. */
  @Test
  void cancelOfUnknownConsumerTagIsAnsweredWithCancelOk() throws Exception {
    String tag = AmqpSession.uniqueName("unknown");
    Command reply = session.channel().rpc(new AMQP.Basic.Cancel.Builder().consumerTag(tag).build());
    assertEquals(
        tag, assertInstanceOf(AMQP.Basic.CancelOk.class, reply.getMethod()).getConsumerTag());
  }

  @Test
  void brokerCancelsTheConsumerWhenItsQueueIsDeleted() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.connection().createChannel();
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, true, consumer);
    session.channel().queueDelete(q);
    assertTrue(consumer.awaitCancelByBroker(), "handleCancel after the queue was deleted");
    assertTrue(ch.isOpen(), "the consumer's channel stays open");
    ch.exchangeDeclarePassive("amq.direct");
  }

  @Test
  void deletingAQueueCancelsItsConsumersOnEveryConnection() throws Exception {
    String q = session.declareQueue();
    Channel mine = session.connection().createChannel();
    RecordingConsumer near = new RecordingConsumer(mine);
    mine.basicConsume(q, true, near);
    Channel theirs = session.newConnection().createChannel();
    RecordingConsumer far = new RecordingConsumer(theirs);
    theirs.basicConsume(q, false, far);
    session.newConnection().createChannel().queueDelete(q);
    assertTrue(near.awaitCancelByBroker());
    assertTrue(far.awaitCancelByBroker());
    assertTrue(mine.isOpen() && theirs.isOpen());
  }

  @Test
  void unackedDeliveriesStayAckableAfterCancel() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 2);
    Channel ch = session.connection().createChannel();
    RecordingConsumer consumer = new RecordingConsumer(ch);
    String tag = ch.basicConsume(q, false, consumer);
    List<Delivery> got = consumer.next(2);
    ch.basicCancel(tag);
    awaitReady(q, 0);
    ch.basicAck(got.get(0).getEnvelope().getDeliveryTag(), false);
    ch.basicNack(got.get(1).getEnvelope().getDeliveryTag(), false, true);
    GetResponse again = Messages.get(session.channel(), q, true);
    assertEquals("2", Messages.text(again.getBody()));
    assertTrue(again.getEnvelope().isRedeliver());
    assertEquals(0, again.getMessageCount(), "message 1 was acked after the cancel");
  }

  private void awaitReady(String q, int n) {
    Poll.until(
        Duration.ofSeconds(5),
        () -> Messages.readyCount(session.channel(), q) == n,
        n + " ready messages on " + q);
  }

  private static List<String> bodies(List<Delivery> deliveries) {
    return deliveries.stream().map(d -> Messages.text(d.getBody())).toList();
  }
}
