package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * x-expires: a queue unused for its lease is deleted; a redeclare or a consumer keeps it.
 *
 * <p>A passive queue.declare would itself renew the lease, so each test watches a witness: an
 * auto-delete exchange bound only to the queue, which goes when the queue's binding goes.
 */
class QueueExpiryTest {
  private static final int LEASE_MS = 600;

  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void queueUnusedForItsLeaseIsDeletedWithItsMessages() throws Exception {
    String q = session.declareQueue(Map.of("x-expires", LEASE_MS));
    session.publish(q, "lost with the queue");
    String witness = witness(q);
    awaitGone(witness);
    Channel after = session.connection().createChannel();
    assertEquals(
        AMQP.NOT_FOUND, AmqpErrors.channelErrorCode(after, () -> after.queueDeclarePassive(q)));
  }

  @Test
  void redeclaringTheQueueRenewsItsLease() throws Exception {
    Map<String, Object> args = Map.of("x-expires", LEASE_MS);
    String q = session.declareQueue(args);
    String witness = witness(q);
    long end = System.nanoTime() + Duration.ofMillis(3L * LEASE_MS).toNanos();
    Poll.until(
        Duration.ofSeconds(10),
        () -> {
          session.channel().queueDeclare(q, false, false, false, args);
          return System.nanoTime() > end;
        },
        "three leases of redeclaring");
    assertTrue(exists(witness), "the queue outlived three leases while redeclared");
    awaitGone(witness);
  }

  @Test
  void queueWithAConsumerDoesNotExpireUntilTheConsumerCancels() throws Exception {
    String q = session.declareQueue(Map.of("x-expires", LEASE_MS));
    String witness = witness(q);
    Channel ch = session.connection().createChannel();
    String tag = ch.basicConsume(q, true, new RecordingConsumer(ch));
    Poll.letTimePass(Duration.ofMillis(3L * LEASE_MS));
    assertTrue(exists(witness), "a queue with a consumer is in use");
    ch.basicCancel(tag);
    awaitGone(witness);
  }

  @Test
  void invalidExpiresIsPreconditionFailed() throws Exception {
    for (Object bad : new Object[] {0, -5, "1000"}) {
      String q = session.queueName();
      Channel ch = session.connection().createChannel();
      assertEquals(
          AMQP.PRECONDITION_FAILED,
          AmqpErrors.channelErrorCode(
              ch, () -> ch.queueDeclare(q, false, false, false, Map.of("x-expires", bad))),
          () -> "x-expires " + bad);
    }
  }

  /** An auto-delete fanout exchange whose only binding is to {@code q}. */
  private String witness(String q) throws IOException {
    String x = session.exchangeName();
    session.channel().exchangeDeclare(x, "fanout", false, true, null);
    session.channel().queueBind(q, x, "");
    return x;
  }

  private boolean exists(String exchange) throws Exception {
    Channel probe = session.connection().createChannel();
    try {
      probe.exchangeDeclarePassive(exchange);
    } catch (IOException e) {
      return false;
    }
    probe.close();
    return true;
  }

  private void awaitGone(String witness) {
    Poll.until(Duration.ofSeconds(10), () -> !exists(witness), "the queue to expire");
  }
}
