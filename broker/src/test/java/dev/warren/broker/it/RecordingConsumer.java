package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A consumer that records deliveries and a server-sent cancel for the test thread to inspect.
 * Callbacks run on the client's consumer dispatch thread; the test thread reads.
 */
public final class RecordingConsumer extends DefaultConsumer {
  /** How long a test waits for a delivery it expects. */
  public static final Duration EXPECTED = Duration.ofSeconds(5);

  /** How long a test watches for a delivery it expects NOT to come. */
  public static final Duration QUIET = Duration.ofMillis(300);

  private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
  private final CountDownLatch cancelledByBroker = new CountDownLatch(1);

  public RecordingConsumer(Channel channel) {
    super(channel);
  }

  @Override
  public void handleDelivery(
      String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
    deliveries.add(new Delivery(envelope, properties, body));
  }

  @Override
  public void handleCancel(String consumerTag) {
    cancelledByBroker.countDown();
  }

  /** The next delivery; fails if none arrives within {@link #EXPECTED}. */
  public Delivery next() throws InterruptedException {
    Delivery d = deliveries.poll(EXPECTED.toMillis(), TimeUnit.MILLISECONDS);
    if (d == null) {
      fail("no delivery within " + EXPECTED);
    }
    return d;
  }

  /** The next {@code n} deliveries, in arrival order. */
  public List<Delivery> next(int n) throws InterruptedException {
    List<Delivery> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(next());
    }
    return list;
  }

  /** The next {@code n} bodies as UTF-8 strings, in arrival order. */
  public List<String> nextBodies(int n) throws InterruptedException {
    List<String> list = new ArrayList<>(n);
    for (Delivery d : next(n)) {
      list.add(Messages.text(d.getBody()));
    }
    return list;
  }

  /** Fails if a delivery arrives within {@link #QUIET}. */
  public void assertNoDelivery() throws InterruptedException {
    Delivery d = deliveries.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS);
    assertNull(d, () -> "unexpected delivery of " + Messages.text(d.getBody()));
  }

  /** Whether the broker cancelled this consumer (basic.cancel from the server) within the wait. */
  public boolean awaitCancelByBroker() throws InterruptedException {
    return cancelledByBroker.await(EXPECTED.toMillis(), TimeUnit.MILLISECONDS);
  }
}
