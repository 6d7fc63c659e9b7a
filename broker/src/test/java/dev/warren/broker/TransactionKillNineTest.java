package dev.warren.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import dev.warren.broker.it.TestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * tx.commit-ok means what a confirm means: a broker killed with SIGKILL the moment a commit was
 * answered still has every message that commit published (persistent, to a durable queue), and
 * nothing of a transaction it never committed. The broker runs as a child process; each round
 * commits a batch, then publishes an uncommitted one, and is killed right after the commit-ok.
 */
class TransactionKillNineTest {
  private static final String QUEUE = "tx-kill9";
  private static final int ROUNDS = 6;
  private static final int BATCH = 300;
  private static final Duration START_DEADLINE = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void everyMessageOfACommittedTransactionSurvivesAKillRightAfterCommitOk() throws Exception {
    List<String> committed = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      try (ChildBroker broker = ChildBroker.start(dir, START_DEADLINE)) {
        Connection c = TestBroker.connectionFactory("127.0.0.1", broker.port()).newConnection();
        Channel ch = c.createChannel();
        ch.queueDeclare(QUEUE, true, false, false, null);
        ch.txSelect();
        for (int i = 0; i < BATCH; i++) {
          String body = "r" + round + "-" + i;
          ch.basicPublish("", QUEUE, MessageProperties.PERSISTENT_BASIC, bytes(body));
          committed.add(body);
        }
        ch.txCommit();
        for (int i = 0; i < 50; i++) {
          ch.basicPublish("", QUEUE, MessageProperties.PERSISTENT_BASIC, bytes("never " + i));
        }
        broker.kill9();
        c.abort(1_000);
      }
    }
    try (ChildBroker broker = ChildBroker.start(dir, START_DEADLINE)) {
      Connection c = TestBroker.connectionFactory("127.0.0.1", broker.port()).newConnection();
      Channel ch = c.createChannel();
      List<String> found = new ArrayList<>();
      for (GetResponse r = ch.basicGet(QUEUE, true); r != null; r = ch.basicGet(QUEUE, true)) {
        found.add(new String(r.getBody(), StandardCharsets.UTF_8));
      }
      assertEquals(committed, found, "every committed message, in order, and nothing else");
      c.close();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
