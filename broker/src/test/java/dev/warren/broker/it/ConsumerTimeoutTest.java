package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Consumer timeout: a delivery left unacknowledged longer than the limit closes its channel with
 * 406 PRECONDITION_FAILED, as RabbitMQ's consumer_timeout does; the connection stays open and the
 * message goes back to the queue. Warren takes the limit per queue from x-consumer-timeout (ms),
 * which RabbitMQ 3.10 ignores (newer RabbitMQ reads it), and checks once a second.
 */
class ConsumerTimeoutTest {
  private static final Map<String, Object> TIMEOUT = Map.of("x-consumer-timeout", 1500);
  private static final Duration WITHIN = Duration.ofSeconds(10);

  @RegisterExtension final AmqpSession session = new AmqpSession();

  @BeforeEach
  void warrenOnly() {
    assumeFalse(
        TestBroker.isExternal(),
        "Warren-only: RabbitMQ 3.10 ignores the x-consumer-timeout queue argument");
  }

  @Test
  void unackedDeliveryOlderThanTheTimeoutClosesItsChannelWithPreconditionFailed() throws Exception {
    String q = session.declareQueue(TIMEOUT);
    session.publish(q, "slow");
    Channel ch = session.connection().createChannel();
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, false, consumer);
    consumer.next();
    Poll.until(WITHIN, () -> !ch.isOpen(), "the broker to close the channel");
    assertEquals(AMQP.PRECONDITION_FAILED, AmqpErrors.replyCode(ch.getCloseReason()));
    assertFalse(ch.getCloseReason().isHardError());
    assertTrue(session.connection().isOpen(), "only the channel is closed");
    Delivery again = redelivered(q);
    assertEquals("slow", Messages.text(again.getBody()));
  }

  @Test
  void deliveriesAckedInTimeKeepTheChannelOpen() throws Exception {
    String q = session.declareQueue(TIMEOUT);
    Channel ch = session.connection().createChannel();
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, false, consumer);
    for (int i = 0; i < 3; i++) {
      session.publish(q, "m" + i);
      ch.basicAck(consumer.next().getEnvelope().getDeliveryTag(), false);
      Poll.letTimePass(Duration.ofMillis(1000));
    }
    assertTrue(ch.isOpen());
  }

  @Test
  void autoAckConsumerIsNeverTimedOut() throws Exception {
    String q = session.declareQueue(TIMEOUT);
    Channel ch = session.connection().createChannel();
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, true, consumer);
    session.publish(q, "m");
    consumer.next();
    Poll.letTimePass(Duration.ofMillis(3000));
    assertTrue(ch.isOpen());
  }

  @Test
  void otherChannelsOfTheConnectionAreUnaffected() throws Exception {
    String q = session.declareQueue(TIMEOUT);
    String other = session.declareQueue();
    session.publish(q, "slow");
    Channel slow = session.connection().createChannel();
    RecordingConsumer consumer = new RecordingConsumer(slow);
    slow.basicConsume(q, false, consumer);
    consumer.next();
    Channel bystander = session.connection().createChannel();
    RecordingConsumer watching = new RecordingConsumer(bystander);
    bystander.basicConsume(other, true, watching);
    Poll.until(WITHIN, () -> !slow.isOpen(), "the broker to close the slow channel");
    session.publish(other, "still here");
    assertEquals(List.of("still here"), watching.nextBodies(1));
    assertTrue(bystander.isOpen());
  }

  private Delivery redelivered(String q) throws Exception {
    Channel ch = session.connection().createChannel();
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, true, consumer);
    Delivery d = consumer.next();
    assertTrue(d.getEnvelope().isRedeliver());
    return d;
  }
}
