package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.warren.broker.stats.ChannelStats;
import dev.warren.broker.stats.MessageStats;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A channel's figures, as RabbitMQ's management API names them: after a known sequence of
 * operations the published snapshot counts exactly the publishes, confirms, returns, drops,
 * deliveries, gets, acks, rejects and redeliveries that happened on that channel, and says how many
 * consumers and unacked deliveries it has and how it was set up (qos, confirm, tx). Warren-only.
 */
class ChannelFiguresTest {
  @RegisterExtension final FiguresBroker figures = new FiguresBroker();

  /** Deliveries a consumer received, in order. */
  private static final class Received extends DefaultConsumer {
    final BlockingQueue<Envelope> envelopes = new LinkedBlockingQueue<>();

    Received(Channel ch) {
      super(ch);
    }

    @Override
    public void handleDelivery(
        String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
      envelopes.add(envelope);
    }

    Envelope next() throws InterruptedException {
      Envelope e = envelopes.poll(FiguresBroker.WITHIN.toSeconds(), TimeUnit.SECONDS);
      assertTrue(e != null, "a delivery within " + FiguresBroker.WITHIN);
      return e;
    }
  }

  @Test
  void publishingChannelCountsPublishesConfirmsReturnsDropsGetsAndAcks() throws Exception {
    Connection c = figures.connect("publisher");
    Channel ch = c.createChannel();
    ch.confirmSelect();
    String q = ch.queueDeclare().getQueue();
    String empty = ch.queueDeclare().getQueue();
    for (int i = 0; i < 5; i++) {
      ch.basicPublish("", q, null, Messages.bytes("m" + i));
    }
    ch.basicPublish("amq.direct", "nowhere", true, null, Messages.bytes("returned"));
    ch.basicPublish("amq.direct", "nowhere", false, null, Messages.bytes("dropped"));
    ch.waitForConfirmsOrDie(10_000);
    long tag = Messages.get(ch, q, false).getEnvelope().getDeliveryTag();
    Messages.get(ch, q, true);
    assertEquals(null, ch.basicGet(empty, true));

    ChannelStats holding =
        figures.awaitChannel(
            "publisher", ch.getChannelNumber(), s -> s.messages().getEmpty() == 1, "the get-empty");
    assertEquals(1, holding.unacked());
    assertEquals(new MessageStats(7, 7, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 5, 7), holding.messages());

    ch.basicAck(tag, false);
    ChannelStats done =
        figures.awaitChannel("publisher", ch.getChannelNumber(), s -> s.unacked() == 0, "the ack");
    assertEquals(new MessageStats(7, 7, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 5, 7), done.messages());
    assertEquals(7, done.messages().publish());
    assertEquals(2, done.messages().deliverGet());
    assertTrue(done.confirm());
    assertFalse(done.transactional());
    assertEquals(0, done.unconfirmed());
    assertEquals(0, done.consumers());
    assertEquals(ChannelStats.State.RUNNING, done.state());
    assertEquals("running", done.state().label());
    assertEquals("guest", done.user());
    assertEquals("/", done.vhost());
    assertEquals(done.connectionName() + " (" + ch.getChannelNumber() + ")", done.name());
  }

  @Test
  void consumingChannelCountsDeliveriesRejectsRedeliveriesAndAcks() throws Exception {
    Connection c = figures.connect("consumer");
    Channel publisher = c.createChannel();
    String q = publisher.queueDeclare().getQueue();
    Messages.publishNumbered(publisher, q, 3);
    Channel ch = c.createChannel();
    ch.basicQos(10);
    Received consumer = new Received(ch);
    ch.basicConsume(q, false, consumer);
    Envelope first = consumer.next();
    consumer.next();
    consumer.next();
    ChannelStats holding =
        figures.awaitChannel(
            "consumer", ch.getChannelNumber(), s -> s.unacked() == 3, "3 unacked deliveries");
    assertEquals(1, holding.consumers());
    assertEquals(10, holding.prefetch());
    assertEquals(0, holding.globalPrefetch());
    assertEquals(new MessageStats(0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0), holding.messages());

    ch.basicNack(first.getDeliveryTag(), false, true);
    Envelope again = consumer.next();
    assertTrue(again.isRedeliver());
    ch.basicAck(again.getDeliveryTag(), true);
    ChannelStats done =
        figures.awaitChannel(
            "consumer",
            ch.getChannelNumber(),
            s -> s.messages().ack() == 3,
            "the 3 deliveries acked");
    assertEquals(new MessageStats(0, 0, 0, 0, 4, 0, 0, 0, 0, 3, 1, 1, 0, 0), done.messages());
    assertEquals(0, done.unacked());
    assertEquals(1, done.consumers());

    ch.basicCancel(ch.basicConsume(q, true, new Received(ch)));
    figures.awaitChannel(
        "consumer", ch.getChannelNumber(), s -> s.consumers() == 1, "one consumer after cancel");
  }

  @Test
  void noAckDeliveriesAndBothPrefetchCountsAreShown() throws Exception {
    Connection c = figures.connect("no-ack");
    Channel ch = c.createChannel();
    String q = ch.queueDeclare().getQueue();
    Messages.publishNumbered(ch, q, 4);
    ch.basicQos(5, true);
    ch.basicQos(3);
    Received consumer = new Received(ch);
    ch.basicConsume(q, true, consumer);
    for (int i = 0; i < 4; i++) {
      consumer.next();
    }
    ChannelStats s =
        figures.awaitChannel(
            "no-ack", ch.getChannelNumber(), f -> f.messages().deliverNoAck() == 4, "4 no-ack");
    assertEquals(new MessageStats(4, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 4, 0), s.messages());
    assertEquals(3, s.prefetch());
    assertEquals(5, s.globalPrefetch());
    assertEquals(0, s.unacked());
  }

  @Test
  void transactionalChannelCountsPublishesAndAcksAtCommit() throws Exception {
    Connection c = figures.connect("tx");
    Channel ch = c.createChannel();
    String q = ch.queueDeclare().getQueue();
    Messages.publishNumbered(ch, q, 2);
    long first = Messages.await(ch, q, false).getEnvelope().getDeliveryTag();
    Messages.get(ch, q, false);
    ch.txSelect();
    Messages.publishNumbered(ch, q, 3);
    ch.basicAck(first + 1, true);
    ChannelStats open =
        figures.awaitChannel(
            "tx", ch.getChannelNumber(), s -> s.uncommittedAcks() == 2, "2 acks in the tx");
    assertTrue(open.transactional());
    assertEquals(3, open.uncommittedMessages());
    assertEquals(0, open.unacked());
    assertEquals(new MessageStats(2, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 2, 0), open.messages());

    ch.txCommit();
    ChannelStats committed =
        figures.awaitChannel(
            "tx", ch.getChannelNumber(), s -> s.uncommittedMessages() == 0, "the commit");
    assertEquals(0, committed.uncommittedAcks());
    assertEquals(new MessageStats(5, 0, 0, 0, 0, 0, 2, 0, 0, 2, 0, 0, 5, 0), committed.messages());
  }
}
