package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** queue.declare / bind / unbind / purge / delete, exclusivity and auto-delete. */
class QueueTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void serverNamedQueueGetsAnAmqGenName() throws Exception {
    AMQP.Queue.DeclareOk ok = session.channel().queueDeclare();
    assertTrue(ok.getQueue().startsWith("amq.gen-"), ok.getQueue());
    assertEquals(0, ok.getMessageCount());
    assertEquals(0, ok.getConsumerCount());
    String other = session.channel().queueDeclare("", false, true, true, null).getQueue();
    assertTrue(other.startsWith("amq.gen-"), other);
    assertNotEquals(ok.getQueue(), other, "each server-named queue gets its own name");
  }

  @Test
  void declareOkAndPassiveDeclareReportMessageAndConsumerCounts() throws Exception {
    Channel ch = session.channel();
    String q = session.declareQueue();
    session.publishNumbered(q, 3);
    AMQP.Queue.DeclareOk redeclared = ch.queueDeclare(q, false, false, false, null);
    assertEquals(3, redeclared.getMessageCount());
    assertEquals(0, redeclared.getConsumerCount());
    Channel consumerChannel = session.connection().createChannel();
    consumerChannel.basicQos(1);
    RecordingConsumer c1 = new RecordingConsumer(consumerChannel);
    consumerChannel.basicConsume(q, false, c1);
    consumerChannel.basicConsume(q, false, new RecordingConsumer(consumerChannel));
    c1.next();
    // ready messages only: the two delivered (one per consumer, prefetch 1) are not counted
    Poll.until(
        Duration.ofSeconds(5),
        () -> ch.queueDeclarePassive(q).getMessageCount() == 1,
        "one message left ready");
    AMQP.Queue.DeclareOk passive = ch.queueDeclarePassive(q);
    assertEquals(1, passive.getMessageCount());
    assertEquals(2, passive.getConsumerCount());
  }

  @Test
  void passiveDeclareOfMissingQueueIsNotFound() {
    Channel ch = session.channel();
    assertEquals(
        AMQP.NOT_FOUND,
        AmqpErrors.channelErrorCode(
            ch, () -> ch.queueDeclarePassive(AmqpSession.uniqueName("missing"))));
  }

  @Test
  void redeclareWithDifferentDurabilityIsPreconditionFailed() throws Exception {
    Channel ch = session.channel();
    String q = session.declareQueue();
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(ch, () -> ch.queueDeclare(q, true, false, false, null)));
  }

  @Test
  void redeclareWithDifferentAutoDeleteIsPreconditionFailed() throws Exception {
    Channel ch = session.channel();
    String q = session.declareQueue();
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(ch, () -> ch.queueDeclare(q, false, false, true, null)));
  }

  @Test
  void redeclareWithDifferentArgumentValueIsPreconditionFailed() throws Exception {
    Channel ch = session.channel();
    String q = session.declareQueue(Map.of("x-message-ttl", 60_000));
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(
            ch, () -> ch.queueDeclare(q, false, false, false, Map.of("x-message-ttl", 30_000))));
  }

  @Test
  void redeclareAddingAnArgumentIsPreconditionFailed() throws Exception {
    Channel ch = session.channel();
    String q = session.declareQueue();
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(
            ch, () -> ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 10))));
  }

  /** RabbitMQ reports an exclusivity mismatch as 405 RESOURCE_LOCKED, not 406. */
  @Test
  void redeclaringASharedQueueAsExclusiveIsResourceLocked() throws Exception {
    Channel ch = session.channel();
    String q = session.declareQueue();
    assertEquals(
        AMQP.RESOURCE_LOCKED,
        AmqpErrors.channelErrorCode(ch, () -> ch.queueDeclare(q, false, true, false, null)));
  }

  @Test
  void redeclaringOwnExclusiveQueueAsSharedIsResourceLocked() throws Exception {
    Channel ch = session.channel();
    String q = session.queueName();
    ch.queueDeclare(q, false, true, false, null);
    assertEquals(
        AMQP.RESOURCE_LOCKED,
        AmqpErrors.channelErrorCode(ch, () -> ch.queueDeclare(q, false, false, false, null)));
  }

  @Test
  void redeclareWithIdenticalPropertiesSucceeds() throws Exception {
    Channel ch = session.channel();
    String q = session.queueName();
    Map<String, Object> args = Map.of("x-max-length", 10, "x-message-ttl", 60_000);
    ch.queueDeclare(q, true, false, false, args);
    ch.queueDeclare(q, true, false, false, args);
    ch.queueDeclarePassive(q);
  }

  @Test
  void bindRoutesAndUnbindStopsRouting() throws Exception {
    Channel ch = session.channel();
    String x = session.declareExchange("direct");
    String q = session.declareQueue();
    ch.queueBind(q, x, "k");
    ch.basicPublish(x, "k", null, Messages.bytes("bound"));
    ch.queueUnbind(q, x, "k");
    ch.basicPublish(x, "k", null, Messages.bytes("unbound"));
    assertEquals(List.of("bound"), Messages.drain(ch, q));
  }

  /**
   * A queue.bind and a queue.delete of its queue from two connections at once: whichever the broker
   * takes first, the binding must not outlive the queue. A binding added after the queue was
   * forgotten would route into the next queue of that name, which nobody bound. With durable ends
   * the bind waits on the store, and the delete can land while it does. The delete starts after a
   * spin of a varying length, so that over the rounds it falls before, inside and after the bind.
   */
  @ParameterizedTest(name = "durable={0}")
  @ValueSource(booleans = {true, false})
  void bindRacingDeleteOfItsQueueLeavesNoBindingBehind(boolean durable) throws Exception {
    Channel ch = session.channel();
    String x = session.trackExchange(AmqpSession.uniqueName("exchange"));
    ch.exchangeDeclare(x, "direct", durable);
    String q = session.queueName();
    Connection binder = session.newConnection();
    Connection deleter = session.newConnection();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 150; round++) {
        ch.queueDeclare(q, durable, false, false, null);
        long spinNanos = (round % 30) * 100_000L;
        Channel bindChannel = binder.createChannel();
        Channel deleteChannel = deleter.createChannel();
        try {
          CountDownLatch go = new CountDownLatch(1);
          Future<Integer> bound = threads.submit(() -> bindOutcome(go, bindChannel, q, x));
          Future<?> deleted =
              threads.submit(
                  () -> {
                    go.await();
                    for (long end = System.nanoTime() + spinNanos; System.nanoTime() < end; ) {
                      Thread.onSpinWait();
                    }
                    return deleteChannel.queueDelete(q);
                  });
          go.countDown();
          int outcome = bound.get(10, TimeUnit.SECONDS);
          assertTrue(
              outcome == AMQP.REPLY_SUCCESS || outcome == AMQP.NOT_FOUND,
              "bind answered " + outcome);
          deleted.get(10, TimeUnit.SECONDS);
        } finally {
          for (Channel c : List.of(bindChannel, deleteChannel)) {
            if (c.isOpen()) {
              c.close();
            }
          }
        }
        ch.queueDeclare(q, durable, false, false, null);
        ch.basicPublish(x, "k", null, Messages.bytes("round " + round));
        assertEquals(
            List.of(), Messages.drain(ch, q), "round " + round + ": a binding outlived its queue");
        ch.queueDelete(q);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * queue.bind once {@code go} opens: 200 when bound, else the reply code that closed the channel.
   */
  private static int bindOutcome(CountDownLatch go, Channel channel, String queue, String exchange)
      throws Exception {
    go.await();
    try {
      channel.queueBind(queue, exchange, "k");
      return AMQP.REPLY_SUCCESS;
    } catch (IOException e) {
      return AmqpErrors.replyCode(assertInstanceOf(ShutdownSignalException.class, e.getCause()));
    }
  }

  @Test
  void purgeReturnsTheNumberOfReadyMessagesAndLeavesUnackedOnes() throws Exception {
    Channel ch = session.channel();
    String q = session.declareQueue();
    session.publishNumbered(q, 5);
    Channel holder = session.connection().createChannel();
    long tag = Messages.get(holder, q, false).getEnvelope().getDeliveryTag();
    assertEquals(4, ch.queuePurge(q).getMessageCount());
    assertEquals(0, Messages.readyCount(ch, q));
    holder.basicNack(tag, false, true);
    assertEquals(List.of("1"), Messages.drain(ch, q));
  }

  @Test
  void deleteReturnsTheNumberOfMessagesAndRemovesTheQueue() throws Exception {
    Channel ch = session.channel();
    String q = session.declareQueue();
    session.publishNumbered(q, 3);
    assertEquals(3, ch.queueDelete(q).getMessageCount());
    assertEquals(AMQP.NOT_FOUND, AmqpErrors.channelErrorCode(ch, () -> ch.queueDeclarePassive(q)));
  }

  /** RabbitMQ 3.x made queue.delete of a missing queue succeed with a count of 0. */
  @Test
  void deletingAMissingQueueSucceedsWithZeroCount() throws Exception {
    assertEquals(
        0, session.channel().queueDelete(AmqpSession.uniqueName("missing")).getMessageCount());
  }

  @Test
  void deleteIfUnusedOfQueueWithConsumerIsPreconditionFailed() throws Exception {
    Channel ch = session.channel();
    String q = session.declareQueue();
    Channel consumer = session.connection().createChannel();
    consumer.basicConsume(q, true, new RecordingConsumer(consumer));
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(ch, () -> ch.queueDelete(q, true, false)));
    consumer.queueDeclarePassive(q);
  }

  @Test
  void deleteIfEmptyOfQueueWithMessagesIsPreconditionFailed() throws Exception {
    Channel ch = session.channel();
    String q = session.declareQueue();
    session.publish(q, "m");
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(ch, () -> ch.queueDelete(q, false, true)));
    Channel again = session.connection().createChannel();
    assertEquals(1, Messages.readyCount(again, q));
    Messages.drain(again, q);
    assertEquals(0, again.queueDelete(q, true, true).getMessageCount());
  }

  /** Something done on a fresh channel. */
  @FunctionalInterface
  private interface ChannelOp {
    void apply(Channel ch) throws Exception;
  }

  @Test
  void exclusiveQueueIsLockedForOtherConnections() throws Exception {
    Channel owner = session.channel();
    String q = session.queueName();
    owner.queueDeclare(q, false, true, false, null);
    Connection other = session.newConnection();
    List<ChannelOp> attempts =
        List.of(
            ch -> ch.queueDeclare(q, false, true, false, null),
            ch -> ch.queueDeclare(q, false, false, false, null),
            ch -> ch.queueDeclarePassive(q),
            ch -> ch.basicConsume(q, true, new RecordingConsumer(ch)),
            ch -> ch.basicGet(q, true),
            ch -> ch.queuePurge(q),
            ch -> ch.queueDelete(q),
            ch -> ch.queueBind(q, "amq.fanout", ""));
    for (ChannelOp attempt : attempts) {
      Channel ch = other.createChannel();
      assertEquals(
          AMQP.RESOURCE_LOCKED,
          AmqpErrors.channelErrorCode(ch, () -> attempt.apply(ch)),
          "another connection touching an exclusive queue");
    }
    owner.queueDeclarePassive(q);
  }

  @Test
  void unbindingAnotherConnectionsExclusiveQueueIsLockedOnlyWhenTheBindingExists()
      throws Exception {
    Channel owner = session.channel();
    String q = session.queueName();
    owner.queueDeclare(q, false, true, false, null);
    owner.queueBind(q, "amq.direct", "bound");
    Channel other = session.newConnection().createChannel();
    other.queueUnbind(q, "amq.direct", "never-bound");
    assertEquals(
        AMQP.RESOURCE_LOCKED,
        AmqpErrors.channelErrorCode(other, () -> other.queueUnbind(q, "amq.direct", "bound")));
  }

  @Test
  void exclusiveQueueOutlivesItsDeclaringChannelAndServesTheOtherChannelsOfItsConnection()
      throws Exception {
    Channel declaring = session.connection().createChannel();
    String q = session.queueName();
    declaring.queueDeclare(q, false, true, false, null);
    declaring.close();
    Channel other = session.channel();
    session.publish(q, "m");
    assertEquals(List.of("m"), Messages.drain(other, q));
    assertTrue(exists(q));
  }

  @Test
  void deleteCountsReadyMessagesAndTheUnackedOnesCanStillBeSettled() throws Exception {
    Channel ch = session.channel();
    String q = session.declareQueue();
    session.publishNumbered(q, 4);
    long first = Messages.get(ch, q, false).getEnvelope().getDeliveryTag();
    long second = Messages.get(ch, q, false).getEnvelope().getDeliveryTag();
    assertEquals(2, ch.queueDelete(q).getMessageCount());
    ch.basicAck(first, false);
    ch.basicNack(second, false, true);
    ch.exchangeDeclarePassive("amq.direct");
  }

  @Test
  void exclusiveQueueIsDeletedWhenItsConnectionCloses() throws Exception {
    Connection ownerConnection = session.newConnection();
    String q = session.queueName();
    ownerConnection.createChannel().queueDeclare(q, false, true, false, null);
    Channel ch = session.channel();
    assertEquals(
        AMQP.RESOURCE_LOCKED, AmqpErrors.channelErrorCode(ch, () -> ch.queueDeclarePassive(q)));
    ownerConnection.close();
    Poll.until(Duration.ofSeconds(5), () -> !exists(q), "exclusive queue to go with its owner");
  }

  @Test
  void autoDeleteQueueSurvivesUntilItHadAConsumer() throws Exception {
    Channel ch = session.channel();
    String q = session.queueName();
    ch.queueDeclare(q, false, false, true, null);
    Messages.publish(ch, q, "m");
    assertEquals("m", Messages.text(Messages.get(ch, q, true).getBody()));
    assertTrue(exists(q), "basic.get is not a consumer: the queue stays");
  }

  @Test
  void autoDeleteQueueIsDeletedWhenItsLastConsumerCancels() throws Exception {
    Channel ch = session.channel();
    String q = session.queueName();
    ch.queueDeclare(q, false, false, true, null);
    Channel consumers = session.connection().createChannel();
    String first = consumers.basicConsume(q, true, new RecordingConsumer(consumers));
    String second = consumers.basicConsume(q, true, new RecordingConsumer(consumers));
    consumers.basicCancel(first);
    assertTrue(exists(q), "one consumer left: the queue stays");
    consumers.basicCancel(second);
    Poll.until(Duration.ofSeconds(5), () -> !exists(q), "auto-delete queue to go");
  }

  @Test
  void autoDeleteQueueIsDeletedWhenItsConsumerChannelCloses() throws Exception {
    String q = session.queueName();
    session.channel().queueDeclare(q, false, false, true, null);
    Channel consumers = session.connection().createChannel();
    consumers.basicConsume(q, true, new RecordingConsumer(consumers));
    consumers.close();
    Poll.until(Duration.ofSeconds(5), () -> !exists(q), "auto-delete queue to go");
  }

  @Test
  void durableQueueIsVisibleToOtherConnectionsWithItsFlags() throws Exception {
    String q = session.queueName();
    Map<String, Object> args = Map.of("x-max-length", 100);
    session.channel().queueDeclare(q, true, false, false, args);
    Channel other = session.newConnection().createChannel();
    other.queueDeclare(q, true, false, false, args);
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(other, () -> other.queueDeclare(q, false, false, false, args)));
  }

  @Test
  void declaringAnAmqPrefixedQueueIsAccessRefused() {
    Channel ch = session.channel();
    String q = "amq." + AmqpSession.uniqueName("queue");
    assertEquals(
        AMQP.ACCESS_REFUSED,
        AmqpErrors.channelErrorCode(ch, () -> ch.queueDeclare(q, false, false, false, null)));
  }

  @Test
  void queueOperationsOnMissingQueueAreNotFound() throws Exception {
    String missing = AmqpSession.uniqueName("missing");
    List<ChannelOp> ops =
        List.of(
            ch -> ch.queuePurge(missing),
            ch -> ch.basicGet(missing, true),
            ch -> ch.basicConsume(missing, true, new RecordingConsumer(ch)));
    for (ChannelOp op : ops) {
      Channel ch = session.connection().createChannel();
      assertEquals(AMQP.NOT_FOUND, AmqpErrors.channelErrorCode(ch, () -> op.apply(ch)));
    }
  }

  /** Whether the queue exists, by a passive declare on a fresh channel: 404 means no. */
  private boolean exists(String queue) throws Exception {
    Channel probe = session.connection().createChannel();
    try {
      probe.queueDeclarePassive(queue);
      probe.close();
      return true;
    } catch (IOException e) {
      if (e.getCause() instanceof ShutdownSignalException s
          && AmqpErrors.replyCode(s) == AMQP.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }
}
