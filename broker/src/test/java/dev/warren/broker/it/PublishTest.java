package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Return;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** basic.publish: mandatory returns, immediate, missing exchanges, order, large bodies. */
class PublishTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void mandatoryUnroutableMessageIsReturnedWithNoRouteBodyAndProperties() throws Exception {
    Channel ch = session.channel();
    String x = session.declareExchange("direct");
    CompletableFuture<Return> returned = new CompletableFuture<>();
    ch.addReturnListener(returned::complete);
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .contentType("text/plain")
            .messageId("m-1")
            .headers(Map.of("h", "v"))
            .build();
    ch.basicPublish(x, "no-binding", true, props, Messages.bytes("come back"));
    Return r = returned.get(5, TimeUnit.SECONDS);
    assertEquals(AMQP.NO_ROUTE, r.getReplyCode());
    assertEquals("NO_ROUTE", r.getReplyText());
    assertEquals(x, r.getExchange());
    assertEquals("no-binding", r.getRoutingKey());
    assertEquals("come back", Messages.text(r.getBody()));
    assertEquals("text/plain", r.getProperties().getContentType());
    assertEquals("m-1", r.getProperties().getMessageId());
    assertEquals("v", r.getProperties().getHeaders().get("h").toString());
  }

  @Test
  void mandatoryToTheDefaultExchangeWithUnknownQueueIsReturned() throws Exception {
    Channel ch = session.channel();
    CompletableFuture<Return> returned = new CompletableFuture<>();
    ch.addReturnListener(returned::complete);
    String missing = AmqpSession.uniqueName("missing");
    ch.basicPublish("", missing, true, null, Messages.bytes("x"));
    Return r = returned.get(5, TimeUnit.SECONDS);
    assertEquals(AMQP.NO_ROUTE, r.getReplyCode());
    assertEquals("", r.getExchange());
    assertEquals(missing, r.getRoutingKey());
  }

  @Test
  void mandatoryRoutedMessageIsNotReturned() throws Exception {
    Channel ch = session.publisher();
    String q = session.declareQueue();
    AtomicInteger returns = new AtomicInteger();
    ch.addReturnListener(r -> returns.incrementAndGet());
    ch.basicPublish("", q, true, null, Messages.bytes("routed"));
    ch.waitForConfirmsOrDie(5_000);
    assertEquals(0, returns.get());
    assertEquals(List.of("routed"), Messages.drain(ch, q));
  }

  @Test
  void nonMandatoryUnroutableMessageIsDroppedSilently() throws Exception {
    Channel ch = session.publisher();
    String x = session.declareExchange("direct");
    AtomicInteger returns = new AtomicInteger();
    ch.addReturnListener(r -> returns.incrementAndGet());
    ch.basicPublish(x, "nowhere", false, null, Messages.bytes("dropped"));
    ch.waitForConfirmsOrDie(5_000);
    assertEquals(0, returns.get());
    assertTrue(ch.isOpen(), "an unroutable publish is not an error");
  }

  /** RabbitMQ 3.x does not support immediate: a connection error, 540 NOT_IMPLEMENTED. */
  @Test
  void immediatePublishIsNotImplemented() throws Exception {
    Channel ch = session.channel();
    String q = session.declareQueue();
    assertEquals(
        AMQP.NOT_IMPLEMENTED,
        AmqpErrors.connectionErrorCode(
            ch, () -> ch.basicPublish("", q, false, true, null, Messages.bytes("x"))));
  }

  @Test
  void publishToMissingExchangeIsNotFound() {
    Channel ch = session.channel();
    String missing = AmqpSession.uniqueName("missing");
    assertEquals(
        AMQP.NOT_FOUND,
        AmqpErrors.channelErrorCode(
            ch, () -> ch.basicPublish(missing, "k", null, Messages.bytes("x"))));
  }

  @Test
  void messagesOnOneQueueArriveInPublishOrder() throws Exception {
    String q = session.declareQueue();
    int n = 2_000;
    Channel publisher = session.publisher();
    for (int i = 1; i <= n; i++) {
      publisher.basicPublish("", q, null, Messages.bytes(Integer.toString(i)));
    }
    Channel ch = session.connection().createChannel();
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, true, consumer);
    List<String> expected = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      expected.add(Integer.toString(i));
    }
    assertEquals(expected, consumer.nextBodies(n));
  }

  @Test
  void deliveriesCarryExchangeRoutingKeyAndPerChannelTagsFromOne() throws Exception {
    String x = session.declareExchange("topic");
    String q = session.declareQueue();
    session.channel().queueBind(q, x, "a.#");
    Channel ch = session.connection().createChannel();
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, false, consumer);
    session.channel().basicPublish(x, "a.b", null, Messages.bytes("1"));
    session.channel().basicPublish(x, "a.c", null, Messages.bytes("2"));
    List<Delivery> got = consumer.next(2);
    assertEquals(x, got.get(0).getEnvelope().getExchange());
    assertEquals("a.b", got.get(0).getEnvelope().getRoutingKey());
    assertEquals("a.c", got.get(1).getEnvelope().getRoutingKey());
    assertEquals(1, got.get(0).getEnvelope().getDeliveryTag());
    assertEquals(2, got.get(1).getEnvelope().getDeliveryTag());
    assertFalse(got.get(0).getEnvelope().isRedeliver());
    // basic.get on the same channel continues the same sequence of delivery tags
    ch.basicCancel(consumer.getConsumerTag());
    ch.basicPublish("", q, null, Messages.bytes("3"));
    assertEquals(3, Messages.get(ch, q, false).getEnvelope().getDeliveryTag());
  }

  @Test
  void emptyBodyRoundTrips() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.channel();
    ch.basicPublish("", q, null, new byte[0]);
    assertEquals(0, Messages.get(ch, q, true).getBody().length);
  }

  @Test
  void oneMebibyteMessageArrivesByteIdentical() throws Exception {
    assertLargeMessageRoundTrips(1 << 20);
  }

  @Test
  void fiveMebibyteMessageArrivesByteIdentical() throws Exception {
    assertLargeMessageRoundTrips(5 << 20);
  }

  private void assertLargeMessageRoundTrips(int size) throws Exception {
    byte[] body = new byte[size];
    new Random(size).nextBytes(body);
    String q = session.declareQueue();
    Channel ch = session.channel();
    ch.basicPublish("", q, null, body);
    GetResponse viaGet = Messages.get(ch, q, true);
    assertArrayEquals(body, viaGet.getBody());
    ch.basicPublish("", q, null, body);
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, true, consumer);
    assertArrayEquals(body, consumer.next().getBody());
  }
}
