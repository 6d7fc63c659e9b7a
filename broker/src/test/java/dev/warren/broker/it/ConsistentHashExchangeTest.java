package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The x-consistent-hash exchange (RabbitMQ's rabbitmq_consistent_hash_exchange plugin, built into
 * Warren): a binding key is a positive integer weight; a message goes to exactly one bound queue
 * chosen by hashing its routing key, or the header named by the exchange argument {@code
 * hash-header}, or the property named by {@code hash-property}.
 *
 * <p>Against an external RabbitMQ without the plugin these tests are skipped.
 */
class ConsistentHashExchangeTest {
  private static final String TYPE = "x-consistent-hash";

  @RegisterExtension final AmqpSession session = new AmqpSession();

  @BeforeEach
  void requireTheExchangeType() throws Exception {
    if (!TestBroker.isExternal()) {
      return;
    }
    Channel probe = session.connection().createChannel();
    String x = session.exchangeName();
    boolean known;
    try {
      probe.exchangeDeclare(x, TYPE, false, true, null);
      known = true;
    } catch (IOException e) {
      known = false;
    }
    assumeTrue(known, "the external broker lacks the rabbitmq_consistent_hash_exchange plugin");
  }

  @Test
  void messagesSpreadRoughlyByBindingWeight() throws Exception {
    String x = exchange(Map.of());
    String light = bound(x, "1");
    String heavy = bound(x, "3");
    Channel p = session.publisher();
    for (int i = 0; i < 4000; i++) {
      p.basicPublish(x, "key-" + i, null, new byte[0]);
    }
    p.waitForConfirmsOrDie(10_000);
    int l = Messages.readyCount(session.channel(), light);
    int h = Messages.readyCount(session.channel(), heavy);
    assertEquals(4000, l + h, "each message goes to exactly one queue");
    assertTrue(l > 700 && l < 1300, () -> "about a quarter to weight 1: " + l + " / " + h);
  }

  @Test
  void theSameRoutingKeyAlwaysGoesToTheSameQueue() throws Exception {
    String x = exchange(Map.of());
    List<String> queues = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      queues.add(bound(x, "1"));
    }
    Channel p = session.publisher();
    for (int round = 0; round < 5; round++) {
      for (int k = 0; k < 20; k++) {
        p.basicPublish(x, "stable-" + k, null, Messages.bytes("stable-" + k));
      }
    }
    p.waitForConfirmsOrDie(10_000);
    int total = 0;
    for (String q : queues) {
      List<String> bodies = Messages.drain(session.channel(), q);
      total += bodies.size();
      for (String body : bodies) {
        assertEquals(5, bodies.stream().filter(body::equals).count(), () -> body + " in " + q);
      }
    }
    assertEquals(100, total);
  }

  @Test
  void hashHeaderHashesOnThatHeaderInsteadOfTheRoutingKey() throws Exception {
    String x = exchange(Map.of("hash-header", "shard"));
    String a = bound(x, "1");
    String b = bound(x, "1");
    Channel p = session.publisher();
    for (int i = 0; i < 50; i++) {
      p.basicPublish(x, "varies-" + i, Messages.withHeaders(Map.of("shard", "fixed")), new byte[0]);
    }
    p.waitForConfirmsOrDie(10_000);
    assertEquals(
        List.of(0, 50),
        sorted(
            Messages.readyCount(session.channel(), a), Messages.readyCount(session.channel(), b)),
        "one header value, one queue, whatever the routing key");
    session.channel().queuePurge(a);
    session.channel().queuePurge(b);
    for (int i = 0; i < 2000; i++) {
      p.basicPublish(x, "constant", Messages.withHeaders(Map.of("shard", "v" + i)), new byte[0]);
    }
    p.waitForConfirmsOrDie(10_000);
    int n = Messages.readyCount(session.channel(), a);
    assertTrue(n > 700 && n < 1300, () -> "varying header values spread: " + n + " of 2000");
  }

  @Test
  void hashPropertyMessageIdHashesOnTheMessageId() throws Exception {
    String x = exchange(Map.of("hash-property", "message_id"));
    String a = bound(x, "1");
    String b = bound(x, "1");
    Channel p = session.publisher();
    AMQP.BasicProperties fixed = new AMQP.BasicProperties.Builder().messageId("same").build();
    for (int i = 0; i < 50; i++) {
      p.basicPublish(x, "varies-" + i, fixed, new byte[0]);
    }
    p.waitForConfirmsOrDie(10_000);
    assertEquals(
        List.of(0, 50),
        sorted(
            Messages.readyCount(session.channel(), a), Messages.readyCount(session.channel(), b)));
    session.channel().queuePurge(a);
    session.channel().queuePurge(b);
    for (int i = 0; i < 2000; i++) {
      AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().messageId("id-" + i).build();
      p.basicPublish(x, "constant", props, new byte[0]);
    }
    p.waitForConfirmsOrDie(10_000);
    int n = Messages.readyCount(session.channel(), a);
    assertTrue(n > 700 && n < 1300, () -> "varying message ids spread: " + n + " of 2000");
  }

  @Test
  void bindingKeyThatIsNotAPositiveIntegerIsPreconditionFailed() throws Exception {
    String x = exchange(Map.of());
    String q = session.declareQueue();
    for (String bad : List.of("abc", "", "0", "-1", "1.5")) {
      Channel ch = session.connection().createChannel();
      assertEquals(
          AMQP.PRECONDITION_FAILED,
          AmqpErrors.channelErrorCode(ch, () -> ch.queueBind(q, x, bad)),
          () -> "binding key '" + bad + "'");
    }
  }

  @Test
  void hashHeaderAndHashPropertyTogetherArePreconditionFailed() throws Exception {
    Channel ch = session.connection().createChannel();
    String x = session.exchangeName();
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(
            ch,
            () ->
                ch.exchangeDeclare(
                    x,
                    TYPE,
                    false,
                    false,
                    Map.of("hash-header", "h", "hash-property", "message_id"))));
  }

  @Test
  void unsupportedHashPropertyIsPreconditionFailed() throws Exception {
    Channel ch = session.connection().createChannel();
    String x = session.exchangeName();
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(
            ch, () -> ch.exchangeDeclare(x, TYPE, false, false, Map.of("hash-property", "bogus"))));
  }

  @Test
  void mandatoryMessageToAnExchangeWithoutBindingsIsReturned() throws Exception {
    String x = exchange(Map.of());
    PublishOutcomes outcomes = PublishOutcomes.attach(session.connection().createChannel());
    outcomes.channel().basicPublish(x, "k", true, null, new byte[0]);
    outcomes.awaitConfirms();
    assertEquals(List.of("312 k"), outcomes.returns());
  }

  private String exchange(Map<String, Object> arguments) throws IOException {
    String x = session.exchangeName();
    session.channel().exchangeDeclare(x, TYPE, false, false, arguments);
    return x;
  }

  private String bound(String exchange, String weight) throws IOException {
    String q = session.declareQueue();
    session.channel().queueBind(q, exchange, weight);
    return q;
  }

  private static List<Integer> sorted(int a, int b) {
    return List.of(Math.min(a, b), Math.max(a, b));
  }
}
