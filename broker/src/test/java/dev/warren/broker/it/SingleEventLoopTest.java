package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.Broker;
import dev.warren.broker.BrokerConfig;
import dev.warren.broker.it.RawAmqpClient.Args;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything on one event loop (a one-core machine): publisher, queue and consumer share a thread,
 * so back-pressure must never loop on itself. A consumer that stops reading makes its socket
 * unwritable and stalls its queue; once it reads again the queue must resume and finish, and the
 * broker must keep serving. (Resuming a stalled consumer once spun forever here.) In-process only:
 * it starts its own broker.
 */
class SingleEventLoopTest {
  private static final int MESSAGES = 30_000;
  private static final int BODY = 1024;

  @TempDir Path dir;

  /**
   * A stall is caught by the consumer's read timeout (no frame for 20 s), not by the whole run's
   * wall time, which on a loaded 2-core machine goes past the suite's 30 s default.
   */
  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void consumerThatStopsReadingStallsItsQueueWhichResumesWhenItReadsAgain() throws Exception {
    BrokerConfig config =
        BrokerConfig.defaults().toBuilder()
            .amqpPort(0)
            .managementPort(0)
            .prometheusPort(0)
            .dataDir(dir)
            .ioThreads(1)
            .build();
    try (Broker broker = Broker.start(config)) {
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", broker.amqpPort());
      ConnectionFactory factory = TestBroker.connectionFactory("127.0.0.1", broker.amqpPort());
      String q = AmqpSession.uniqueName("queue");
      try (Connection publishing = factory.newConnection();
          RawAmqpClient consumer = RawAmqpClient.open(address, 2047, 131072, 0)) {
        Channel publisher = publishing.createChannel();
        publisher.queueDeclare(q, false, false, true, null);
        consumer.openChannel(1);
        consumer.sendMethod(
            1,
            new Args()
                .method(60, 20)
                .shortInt(0)
                .shortStr(q)
                .shortStr("")
                .bits(false, true, false, false)
                .longInt(0));
        consumer.expectMethod(60, 21);

        byte[] body = new byte[BODY];
        for (int i = 0; i < MESSAGES; i++) {
          publisher.basicPublish("", q, null, body);
        }
        publisher.queueDeclarePassive(q);

        consumer.setReadTimeout(Duration.ofSeconds(20)); // a queue that stays stalled fails here
        int bodies = 0;
        while (bodies < MESSAGES) {
          if (consumer.readFrame().type() == 3) {
            bodies++;
          }
        }
        assertEquals(0, publisher.queueDeclarePassive(q).getMessageCount(), "left in the queue");
      }
      try (Connection late = factory.newConnection()) {
        assertTrue(late.createChannel().isOpen(), "a new connection is still served");
      }
    }
  }
}
