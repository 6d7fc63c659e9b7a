package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Message TTL: the queue's x-message-ttl, the per-message expiration property, which one applies,
 * and what zero means. (Basic expiry is in {@link QueueArgumentsTest}; dead-lettering of expired
 * messages in {@link DeadLetterTest}.)
 */
class MessageTtlTest {
  private static final Duration EXPIRY = Duration.ofSeconds(5);

  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void perMessageExpirationShorterThanTheQueueTtlWins() throws Exception {
    String q = session.declareQueue(Map.of("x-message-ttl", 60_000));
    session.publisher().basicPublish("", q, Messages.withExpiration("100"), Messages.bytes("m"));
    session.publisher().waitForConfirmsOrDie(5_000);
    awaitReady(q, 0);
  }

  @Test
  void queueTtlShorterThanThePerMessageExpirationWins() throws Exception {
    String q = session.declareQueue(Map.of("x-message-ttl", 100));
    session.publisher().basicPublish("", q, Messages.withExpiration("60000"), Messages.bytes("m"));
    session.publisher().waitForConfirmsOrDie(5_000);
    awaitReady(q, 0);
  }

  @Test
  void expirationZeroIsDeliveredToAWaitingConsumerWithItsExpirationProperty() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.connection().createChannel();
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, true, consumer);
    session.publisher().basicPublish("", q, Messages.withExpiration("0"), Messages.bytes("now"));
    Delivery d = consumer.next();
    assertEquals("now", Messages.text(d.getBody()));
    assertEquals("0", d.getProperties().getExpiration());
  }

  @Test
  void expirationZeroWithoutAConsumerIsDropped() throws Exception {
    String q = session.declareQueue();
    session.publisher().basicPublish("", q, Messages.withExpiration("0"), Messages.bytes("gone"));
    session.publisher().waitForConfirmsOrDie(5_000);
    awaitReady(q, 0);
    assertEquals(List.of(), Messages.drain(session.channel(), q));
  }

  @Test
  void queueTtlZeroIsDeliveredToAWaitingConsumer() throws Exception {
    String q = session.declareQueue(Map.of("x-message-ttl", 0));
    Channel ch = session.connection().createChannel();
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, true, consumer);
    session.publish(q, "now");
    assertEquals("now", Messages.text(consumer.next().getBody()));
  }

  @Test
  void deliveredMessageKeepsItsExpirationProperty() throws Exception {
    String q = session.declareQueue();
    session.publisher().basicPublish("", q, Messages.withExpiration("60000"), Messages.bytes("m"));
    session.publisher().waitForConfirmsOrDie(5_000);
    assertEquals("60000", Messages.get(session.channel(), q, true).getProps().getExpiration());
  }

  @Test
  void messageRequeuedAfterItsTtlPassedIsNotDeliveredAgain() throws Exception {
    String q = session.declareQueue(Map.of("x-message-ttl", 300));
    session.publish(q, "m");
    Channel ch = session.connection().createChannel();
    long tag = Messages.get(ch, q, false).getEnvelope().getDeliveryTag();
    Poll.letTimePass(Duration.ofMillis(400));
    ch.basicReject(tag, true);
    awaitReady(q, 0);
    assertEquals(List.of(), Messages.drain(session.channel(), q));
  }

  @Test
  void invalidExpirationPropertyIsPreconditionFailed() throws Exception {
    String q = session.declareQueue();
    for (String bad : List.of("abc", "-1", "1.5", "")) {
      Channel ch = session.connection().createChannel();
      assertEquals(
          AMQP.PRECONDITION_FAILED,
          AmqpErrors.channelErrorCode(
              ch, () -> ch.basicPublish("", q, Messages.withExpiration(bad), Messages.bytes("x"))),
          () -> "expiration '" + bad + "'");
    }
  }

  /**
   * RabbitMQ's classic queues drop expired messages only from the head, so a short-lived message
   * behind a long-lived one stays counted until the head goes. Warren expires it where it is.
   */
  @Test
  void expiredMessageBehindALongLivedHeadLeavesTheQueueCountPromptly() throws Exception {
    assumeFalse(
        TestBroker.isExternal(),
        "Warren-only: RabbitMQ classic queues expire messages only when they reach the head");
    String q = session.declareQueue();
    Channel p = session.publisher();
    p.basicPublish("", q, Messages.withExpiration("600000"), Messages.bytes("long"));
    p.basicPublish("", q, Messages.withExpiration("100"), Messages.bytes("short"));
    p.basicPublish("", q, null, Messages.bytes("forever"));
    p.waitForConfirmsOrDie(5_000);
    awaitReady(q, 2);
    assertEquals(List.of("long", "forever"), Messages.drain(session.channel(), q));
  }

  @Test
  void expiredMessageIsNeverDeliveredEvenWhenNotAtTheHead() throws Exception {
    String q = session.declareQueue();
    Channel p = session.publisher();
    p.basicPublish("", q, Messages.withExpiration("600000"), Messages.bytes("long"));
    p.basicPublish("", q, Messages.withExpiration("100"), Messages.bytes("short"));
    p.basicPublish("", q, null, Messages.bytes("forever"));
    p.waitForConfirmsOrDie(5_000);
    Poll.letTimePass(Duration.ofMillis(300));
    assertEquals(List.of("long", "forever"), Messages.drain(session.channel(), q));
  }

  private void awaitReady(String q, int n) {
    Poll.until(
        EXPIRY,
        () -> Messages.readyCount(session.channel(), q) == n,
        n + " ready messages on " + q);
  }
}
