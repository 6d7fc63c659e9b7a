package dev.warren.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.CrashLedger.DrainReport;
import dev.warren.broker.CrashLedger.Recovered;
import dev.warren.broker.CrashLedger.RoundCounts;
import dev.warren.broker.it.Poll;
import dev.warren.broker.it.TestBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable storage under {@code kill -9}: the broker runs as a child process on one data directory;
 * each round a publisher sends persistent messages with confirms while a consumer acks most of what
 * it gets and leaves every 7th delivery unacked, and the broker is killed with SIGKILL at a random
 * point of the stream (after a random number of confirms). After each restart the durable queue
 * must still exist and a complete drain must give back what {@link CrashLedger} demands: every
 * confirmed message not acked before the crash, exactly once, with redelivered=true for anything
 * the broker may have handed out before. Logs the counts of each round at the kill and after the
 * restart, and the seed ({@code -Dwarren.kill9.seed=N} replays the kill points).
 */
class KillNineRecoveryTest {
  private static final Logger LOG = LoggerFactory.getLogger(KillNineRecoveryTest.class);

  private static final String QUEUE = "kill9-recovery";
  private static final String ID_HEADER = "id";
  private static final int CRASH_ROUNDS = 3;

  /** The kill lands once the round has this many confirms, plus a random number below the span. */
  private static final int MIN_CONFIRMS_BEFORE_KILL = 500;

  private static final int KILL_CONFIRMS_SPAN = 8000;
  private static final int PREFETCH = 50;
  private static final int LEAVE_UNACKED_EVERY = 7;
  private static final int CONFIRM_WINDOW = 256;
  private static final int DRAIN_PREFETCH = 500;
  private static final Duration START_DEADLINE = Duration.ofSeconds(20);
  private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(15);
  private static final Duration STEP_DEADLINE = Duration.ofSeconds(10);

  @TempDir Path dir;

  private final CrashLedger ledger = new CrashLedger();

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void everyConfirmedMessageSurvivesKillNineOnceAndWhatWasHandedOutComesBackRedelivered()
      throws Exception {
    long seed = Long.getLong("warren.kill9.seed", System.nanoTime());
    Random random = new Random(seed);
    LOG.info("kill -9 recovery: seed {}", seed);
    Path data = dir.resolve("data");
    for (int round = 1; round <= CRASH_ROUNDS + 1; round++) {
      long starting = System.nanoTime();
      try (ChildBroker broker = ChildBroker.start(data, START_DEADLINE)) {
        long startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - starting);
        ConnectionFactory factory = TestBroker.connectionFactory("127.0.0.1", broker.port());
        if (round > 1) {
          DrainReport report = drain(factory, round - 1, broker);
          LOG.info("kill -9 round {}: restarted in {} ms, {}", round - 1, startMillis, report);
          List<String> problems = report.problems();
          assertTrue(
              problems.isEmpty(),
              "after kill -9 in round " + (round - 1) + " (seed " + seed + "): " + problems);
        }
        if (round <= CRASH_ROUNDS) {
          int target = MIN_CONFIRMS_BEFORE_KILL + random.nextInt(KILL_CONFIRMS_SPAN);
          RoundCounts counts = crashRound(round, factory, target, (p, c) -> broker.kill9());
          LOG.info(
              "kill -9 round {} of {}: killed after {} confirms, {}",
              round,
              CRASH_ROUNDS,
              target,
              counts);
        }
      }
    }
  }

  /**
   * The harness checked on a broker that does not crash: the clients drop their connections
   * instead, and the same drain on the same broker must pass. A failure of the test above is then
   * the storage's, not the harness's.
   */
  @Test
  void theSameChecksPassWhenTheClientsDisconnectInsteadOfTheBrokerDying() throws Exception {
    Broker broker =
        Broker.start(
            BrokerConfig.defaults().toBuilder()
                .amqpPort(0)
                .managementPort(0)
                .prometheusPort(0)
                .dataDir(dir)
                .build());
    try {
      ConnectionFactory factory = TestBroker.connectionFactory("127.0.0.1", broker.amqpPort());
      RoundCounts counts =
          crashRound(
              1,
              factory,
              1,
              (publisher, consumer) -> {
                Poll.until(
                    STEP_DEADLINE,
                    () -> {
                      RoundCounts now = ledger.round(1);
                      return now.confirmed() > 0 && now.deliveredUnacked() > 0;
                    },
                    "a confirm and a delivery left unacked");
                consumer.abort();
                publisher.abort();
              });
      DrainReport report = drain(factory, 1, null);
      LOG.info("control round, clients disconnected: {}, {}", counts, report);
      assertEquals(List.of(), report.problems());
      assertTrue(report.recovered() >= counts.deliveredUnacked(), report.toString());
    } finally {
      broker.close();
    }
  }

  @Test
  void confirmTrackingSettlesEverySeqNoUpToAMultipleAckAndCountsNacksAsUnconfirmed() {
    List<String> confirmed = new ArrayList<>();
    List<String> nacked = new ArrayList<>();
    Semaphore window = new Semaphore(6);
    ConfirmTracker tracker = new ConfirmTracker(confirmed::add, nacked::add, window);
    for (int seqNo = 1; seqNo <= 6; seqNo++) {
      assertTrue(window.tryAcquire());
      tracker.sent(seqNo, "m" + seqNo);
    }
    tracker.handleAck(3, true);
    tracker.handleNack(4, false);
    tracker.handleAck(6, false);
    tracker.handleAck(3, true);
    assertEquals(1, tracker.outstanding());
    tracker.handleAck(5, true);
    assertEquals(List.of("m1", "m2", "m3", "m6", "m5"), confirmed);
    assertEquals(List.of("m4"), nacked);
    assertEquals(0, tracker.outstanding());
    assertEquals(6, window.availablePermits(), "each settled publish frees its window permit");
  }

  @Test
  void ledgerDemandsConfirmedUnackedIdsOnceAndTheFlagOnWhatTheBrokerMayHaveHandedOut() {
    CrashLedger l = new CrashLedger();
    for (int seq = 1; seq <= 7; seq++) {
      l.published(1, "r1-" + seq);
    }
    for (int seq = 1; seq <= 6; seq++) {
      l.confirmed("r1-" + seq);
    }
    assertTrue(l.delivered("r1-2"));
    assertTrue(l.delivered("r1-3"));
    l.ackSending("r1-3");
    assertTrue(l.delivered("r1-6"));
    l.ackSending("r1-6");
    l.ackNotSent("r1-6");
    assertFalse(l.delivered("x-1"));
    assertEquals(new RoundCounts(7, 6, 0, 1, 2), l.round(1));

    DrainReport first =
        l.drained(
            List.of(
                new Recovered("r1-1", false),
                new Recovered("r1-2", true),
                new Recovered("r1-3", true),
                new Recovered("r1-5", true),
                new Recovered("r1-5", true),
                new Recovered("r1-6", false),
                new Recovered("x-1", true)));
    assertEquals(List.of("r1-4"), first.missing());
    assertEquals(List.of("r1-5"), first.duplicates());
    assertEquals(List.of("x-1"), first.unknown());
    assertEquals(List.of("r1-6"), first.unflagged(), "delivered, its ack never sent");
    assertEquals(1, first.ackedAndBack());
    assertEquals(4, first.problems().size());

    DrainReport second =
        l.drained(
            List.of(
                new Recovered("r1-1", true),
                new Recovered("r1-2", false),
                new Recovered("r1-4", true)));
    assertEquals(List.of(), second.missing(), "a drain settles every id so far");
    assertEquals(List.of("r1-2"), second.unflagged());
    assertEquals(List.of("r1-4"), second.unknown(), "absent from the first drain, back now");
    assertEquals(2, second.again());
  }

  /** How a round ends: the broker is killed, or (the control) the clients disconnect. */
  @FunctionalInterface
  private interface Crash {
    void now(Connection publisher, Connection consumer) throws Exception;
  }

  /**
   * Publishes and consumes until the round has {@code confirmsBeforeCrash} confirms, then crashes:
   * mid-stream, at a point the caller picks (at random); returns what was done before it.
   */
  private RoundCounts crashRound(
      int round, ConnectionFactory factory, int confirmsBeforeCrash, Crash crash) throws Exception {
    Connection consumerConnection = factory.newConnection("kill9-consumer");
    Connection publisherConnection = factory.newConnection("kill9-publisher");
    try {
      CountDownLatch consumerConnectionDown = new CountDownLatch(1);
      consumerConnection.addShutdownListener(cause -> consumerConnectionDown.countDown());
      CountDownLatch publisherConnectionDown = new CountDownLatch(1);
      publisherConnection.addShutdownListener(cause -> publisherConnectionDown.countDown());

      Channel consuming = consumerConnection.createChannel();
      consuming.queueDeclare(QUEUE, true, false, false, null);
      consuming.basicQos(PREFETCH);
      RoundConsumer consumer = new RoundConsumer(consuming, ledger);
      consuming.basicConsume(QUEUE, false, consumer);

      Channel publishing = publisherConnection.createChannel();
      publishing.confirmSelect();
      Semaphore window = new Semaphore(CONFIRM_WINDOW);
      ConfirmTracker confirms = new ConfirmTracker(ledger::confirmed, ledger::nacked, window);
      publishing.addConfirmListener(confirms);
      Publisher publisher = new Publisher(round, publishing, confirms, window, ledger);
      Thread publisherThread = new Thread(publisher, "kill9-publisher-" + round);
      publisherThread.start();

      Poll.until(
          STEP_DEADLINE,
          () -> ledger.round(round).confirmed() >= confirmsBeforeCrash,
          confirmsBeforeCrash + " confirms before the crash");
      long crashedAt = System.nanoTime();
      crash.now(publisherConnection, consumerConnection);

      // After a kill the client's threads read every frame the broker sent before the end of the
      // stream: once both connections are down, every confirm and delivery has been counted.
      assertTrue(
          publisherConnectionDown.await(STEP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
          "the publisher's connection went down");
      assertTrue(
          consumerConnectionDown.await(STEP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
          "the consumer's connection went down");
      assertTrue(consumer.awaitShutdown(STEP_DEADLINE), "the consumer handled every delivery");
      publisher.stop();
      publisherThread.join(STEP_DEADLINE.toMillis());
      assertFalse(publisherThread.isAlive(), "the publisher stopped");
      assertNull(publisher.failureBefore(crashedAt), "the publisher failed before the crash");
      assertTrue(publisher.published() > 0, "the publisher published before the crash");
      assertEquals(List.of(), consumer.strays(), "deliveries of ids never published");
      return ledger.round(round);
    } finally {
      consumerConnection.abort(1000);
      publisherConnection.abort(1000);
    }
  }

  /**
   * Empties the queue, acking everything, and checks what came back. A consumer takes messages
   * until no message is ready; after its cancel-ok (which the client dispatches after every
   * delivery before it, each already acked) basic.get takes any rest until get-empty, which the
   * broker answers after all those acks: nothing is left ready or unacked.
   */
  private DrainReport drain(ConnectionFactory factory, int crashedRound, ChildBroker child)
      throws Exception {
    try (Connection connection = factory.newConnection("kill9-drain")) {
      Channel channel = connection.createChannel();
      try {
        channel.queueDeclarePassive(QUEUE);
      } catch (IOException e) {
        fail(
            "durable queue '"
                + QUEUE
                + "' missing after restart from kill -9 in round "
                + crashedRound
                + ": "
                + (e.getCause() != null ? e.getCause().getMessage() : e)
                + (child == null ? "" : "\nbroker log:\n" + child.logTail()));
      }
      List<Recovered> got = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch cancelled = new CountDownLatch(1);
      channel.basicQos(DRAIN_PREFETCH);
      String tag =
          channel.basicConsume(
              QUEUE,
              false,
              new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(
                    String consumerTag,
                    Envelope envelope,
                    AMQP.BasicProperties properties,
                    byte[] body)
                    throws IOException {
                  got.add(recovered(envelope, properties, body));
                  getChannel().basicAck(envelope.getDeliveryTag(), false);
                }

                @Override
                public void handleCancelOk(String consumerTag) {
                  cancelled.countDown();
                }
              });
      Poll.until(
          DRAIN_DEADLINE, () -> channel.messageCount(QUEUE) == 0, "no message left ready in drain");
      channel.basicCancel(tag);
      assertTrue(
          cancelled.await(STEP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
          "the drain consumer's cancel-ok");
      for (GetResponse g = channel.basicGet(QUEUE, false);
          g != null;
          g = channel.basicGet(QUEUE, false)) {
        got.add(recovered(g.getEnvelope(), g.getProps(), g.getBody()));
        channel.basicAck(g.getEnvelope().getDeliveryTag(), false);
      }
      assertEquals(0, channel.queueDeclarePassive(QUEUE).getMessageCount(), "drained");
      return ledger.drained(List.copyOf(got));
    }
  }

  /** The id in the body; an id the header contradicts is reported as is, so as unknown. */
  private static Recovered recovered(
      Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
    String id = new String(body, UTF_8);
    Map<String, Object> headers = properties.getHeaders();
    Object header = headers == null ? null : headers.get(ID_HEADER);
    if (header == null || !id.equals(header.toString())) {
      id = id + " (header id " + header + ")";
    }
    return new Recovered(id, envelope.isRedeliver());
  }

  /**
   * Publishes persistent messages "r{round}-{seq}" (the id also in a header) with at most {@link
   * #CONFIRM_WINDOW} unconfirmed, until stopped or its connection dies. Runs on a thread of its
   * own.
   */
  private static final class Publisher implements Runnable {
    private final int round;
    private final Channel channel;
    private final ConfirmTracker confirms;
    private final Semaphore window;
    private final CrashLedger ledger;
    private volatile boolean stopped;
    private volatile int published;
    private volatile Exception failure;
    private volatile long failedAt;

    Publisher(
        int round, Channel channel, ConfirmTracker confirms, Semaphore window, CrashLedger ledger) {
      this.round = round;
      this.channel = channel;
      this.confirms = confirms;
      this.window = window;
      this.ledger = ledger;
    }

    @Override
    public void run() {
      try {
        int seq = 0;
        while (!stopped) {
          if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
            continue;
          }
          String id = "r" + round + "-" + ++seq;
          ledger.published(round, id);
          confirms.sent(channel.getNextPublishSeqNo(), id);
          AMQP.BasicProperties props =
              MessageProperties.PERSISTENT_BASIC.builder().headers(Map.of(ID_HEADER, id)).build();
          channel.basicPublish("", QUEUE, props, id.getBytes(UTF_8));
          published = seq;
        }
      } catch (IOException | ShutdownSignalException e) {
        failedAt = System.nanoTime();
        failure = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void stop() {
      stopped = true;
    }

    int published() {
      return published;
    }

    /** Its failure if that came before {@code nanoTime}; failures after the kill are expected. */
    Exception failureBefore(long nanoTime) {
      Exception e = failure;
      return e != null && failedAt - nanoTime < 0 ? e : null;
    }
  }

  /**
   * Acks every delivery but every {@link #LEAVE_UNACKED_EVERY}th, recording each in the ledger
   * before its ack is sent (an ack may reach the broker and the ledger not yet know it otherwise).
   * Runs on the client's consumer dispatch thread.
   */
  private static final class RoundConsumer extends DefaultConsumer {
    private final CrashLedger ledger;
    private final List<String> strays = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private int received;

    RoundConsumer(Channel channel, CrashLedger ledger) {
      super(channel);
      this.ledger = ledger;
    }

    @Override
    public void handleDelivery(
        String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
        throws IOException {
      String id = new String(body, UTF_8);
      if (!ledger.delivered(id)) {
        strays.add(id);
        return;
      }
      if (++received % LEAVE_UNACKED_EVERY == 0) {
        return;
      }
      ledger.ackSending(id);
      try {
        getChannel().basicAck(envelope.getDeliveryTag(), false);
      } catch (AlreadyClosedException e) {
        ledger.ackNotSent(id);
      }
    }

    /** The client dispatches this after every delivery that arrived before the connection died. */
    @Override
    public void handleShutdownSignal(String consumerTag, ShutdownSignalException sig) {
      shutdown.countDown();
    }

    boolean awaitShutdown(Duration deadline) throws InterruptedException {
      return shutdown.await(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<String> strays() {
      return List.copyOf(strays);
    }
  }
}
