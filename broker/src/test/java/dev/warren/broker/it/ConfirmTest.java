package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Return;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Publisher confirms (confirm.select, basic.ack / basic.nack from the broker). */
class ConfirmTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void confirmSelectIsAnsweredAndEveryPublishIsConfirmed() throws Exception {
    Channel ch = session.channel();
    assertInstanceOf(AMQP.Confirm.SelectOk.class, ch.confirmSelect());
    String q = session.declareQueue();
    for (int i = 0; i < 100; i++) {
      ch.basicPublish("", q, null, Messages.bytes(Integer.toString(i)));
    }
    ch.waitForConfirmsOrDie(10_000);
    assertEquals(100, Messages.readyCount(ch, q));
  }

  @Test
  void acksCoverEverySequenceNumberExactlyOnceInOrder() throws Exception {
    Channel ch = session.channel();
    ch.confirmSelect();
    String q = session.declareQueue();
    int n = 500;
    List<Long> confirmed = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch all = new CountDownLatch(1);
    ch.addConfirmListener(
        new ConfirmListener() {
          private long highest;

          @Override
          public void handleAck(long tag, boolean multiple) {
            long from = multiple ? highest + 1 : tag;
            for (long t = from; t <= tag; t++) {
              confirmed.add(t);
            }
            highest = Math.max(highest, tag);
            if (highest == n) {
              all.countDown();
            }
          }

          @Override
          public void handleNack(long tag, boolean multiple) {
            confirmed.add(-tag);
          }
        });
    assertEquals(1, ch.getNextPublishSeqNo());
    for (int i = 0; i < n; i++) {
      ch.basicPublish("", q, null, Messages.bytes("m"));
    }
    assertTrue(all.await(10, TimeUnit.SECONDS), "all publishes confirmed");
    List<Long> expected = new ArrayList<>();
    for (long t = 1; t <= n; t++) {
      expected.add(t);
    }
    assertEquals(expected, confirmed, "each sequence number acked once, in order, never nacked");
  }

  @Test
  void unroutablePublishIsStillConfirmed() throws Exception {
    Channel ch = session.channel();
    ch.confirmSelect();
    String x = session.declareExchange("direct");
    ch.basicPublish(x, "nowhere", null, Messages.bytes("dropped"));
    ch.waitForConfirmsOrDie(5_000);
  }

  @Test
  void mandatoryUnroutablePublishIsReturnedBeforeItIsAcked() throws Exception {
    Channel ch = session.channel();
    ch.confirmSelect();
    String x = session.declareExchange("direct");
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch acked = new CountDownLatch(1);
    ch.addReturnListener((Return r) -> events.add("return " + r.getReplyCode()));
    ch.addConfirmListener(
        (tag, multiple) -> {
          events.add("ack " + tag);
          acked.countDown();
        },
        (tag, multiple) -> events.add("nack " + tag));
    ch.basicPublish(x, "nowhere", true, null, Messages.bytes("m"));
    assertTrue(acked.await(5, TimeUnit.SECONDS));
    assertEquals(List.of("return " + AMQP.NO_ROUTE, "ack 1"), events);
  }

  @Test
  void confirmSelectOnATransactionalChannelIsPreconditionFailed() throws Exception {
    Channel ch = session.channel();
    ch.txSelect();
    assertEquals(AMQP.PRECONDITION_FAILED, AmqpErrors.channelErrorCode(ch, ch::confirmSelect));
  }

  @Test
  void txSelectOnAConfirmChannelIsPreconditionFailed() throws Exception {
    Channel ch = session.channel();
    ch.confirmSelect();
    assertEquals(AMQP.PRECONDITION_FAILED, AmqpErrors.channelErrorCode(ch, ch::txSelect));
  }

  @Test
  void confirmSelectTwiceIsAllowed() throws Exception {
    Channel ch = session.channel();
    ch.confirmSelect();
    assertInstanceOf(AMQP.Confirm.SelectOk.class, ch.confirmSelect());
  }

  @Test
  void publishSequenceNumbersArePerChannel() throws Exception {
    Channel a = session.connection().createChannel();
    Channel b = session.connection().createChannel();
    a.confirmSelect();
    b.confirmSelect();
    String q = session.declareQueue();
    a.basicPublish("", q, null, Messages.bytes("a1"));
    a.basicPublish("", q, null, Messages.bytes("a2"));
    b.basicPublish("", q, null, Messages.bytes("b1"));
    a.waitForConfirmsOrDie(5_000);
    b.waitForConfirmsOrDie(5_000);
    assertEquals(3, a.getNextPublishSeqNo());
    assertEquals(2, b.getNextPublishSeqNo());
  }
}
