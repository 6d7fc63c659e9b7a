package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.LongStringHelper;
import java.math.BigDecimal;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Content properties and header tables pass through the broker unchanged. */
class MessagePropertiesTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void allFourteenBasicPropertiesRoundTrip() throws Exception {
    Date timestamp = new Date(1_700_000_000_000L);
    AMQP.BasicProperties sent =
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .contentEncoding("gzip")
            .headers(Map.of("k", "v"))
            .deliveryMode(2)
            .priority(7)
            .correlationId("corr-1")
            .replyTo("reply-queue")
            .expiration("600000")
            .messageId("msg-1")
            .timestamp(timestamp)
            .type("order.created")
            .userId("guest")
            .appId("warren-it")
            .clusterId("cluster-a")
            .build();
    AMQP.BasicProperties got = roundTrip(sent, Messages.bytes("{}")).getProps();
    assertEquals("application/json", got.getContentType());
    assertEquals("gzip", got.getContentEncoding());
    assertEquals("v", got.getHeaders().get("k").toString());
    assertEquals(2, got.getDeliveryMode());
    assertEquals(7, got.getPriority());
    assertEquals("corr-1", got.getCorrelationId());
    assertEquals("reply-queue", got.getReplyTo());
    assertEquals("600000", got.getExpiration());
    assertEquals("msg-1", got.getMessageId());
    assertEquals(timestamp, got.getTimestamp());
    assertEquals("order.created", got.getType());
    assertEquals("guest", got.getUserId());
    assertEquals("warren-it", got.getAppId());
    assertEquals("cluster-a", got.getClusterId());
  }

  @Test
  void absentPropertiesStayAbsent() throws Exception {
    AMQP.BasicProperties got = roundTrip(null, Messages.bytes("bare")).getProps();
    assertNull(got.getContentType());
    assertNull(got.getHeaders());
    assertNull(got.getDeliveryMode());
    assertNull(got.getPriority());
    assertNull(got.getTimestamp());
    assertNull(got.getMessageId());
  }

  @Test
  void headerTableWithEveryFieldTypeRoundTrips() throws Exception {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("inner", "value");
    nested.put("n", 1);
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("longstr", "text é ✓");
    headers.put("longstr-bytes", LongStringHelper.asLongString(new byte[] {0, 1, 2, (byte) 255}));
    headers.put("int", Integer.MIN_VALUE);
    headers.put("long", Long.MAX_VALUE);
    headers.put("short", (short) -12345);
    headers.put("byte", (byte) -7);
    headers.put("bool-true", true);
    headers.put("bool-false", false);
    headers.put("float", 1.5f);
    headers.put("double", -2.25d);
    headers.put("decimal", new BigDecimal("123.45"));
    headers.put("timestamp", new Date(1_600_000_000_000L));
    headers.put("table", nested);
    headers.put("array", List.of("a", 1, true));
    headers.put("bytes", new byte[] {9, 8, 7});
    headers.put("void", null);
    Map<String, Object> got =
        roundTrip(Messages.withHeaders(headers), new byte[0]).getProps().getHeaders();
    assertEquals(headers.keySet(), got.keySet());
    assertEquals("text é ✓", assertInstanceOf(LongString.class, got.get("longstr")).toString());
    assertArrayEquals(
        new byte[] {0, 1, 2, (byte) 255},
        assertInstanceOf(LongString.class, got.get("longstr-bytes")).getBytes());
    assertEquals(Integer.MIN_VALUE, got.get("int"));
    assertEquals(Long.MAX_VALUE, got.get("long"));
    assertEquals((short) -12345, got.get("short"));
    assertEquals((byte) -7, got.get("byte"));
    assertEquals(true, got.get("bool-true"));
    assertEquals(false, got.get("bool-false"));
    assertEquals(1.5f, got.get("float"));
    assertEquals(-2.25d, got.get("double"));
    assertEquals(new BigDecimal("123.45"), got.get("decimal"));
    assertEquals(new Date(1_600_000_000_000L), got.get("timestamp"));
    Map<?, ?> gotNested = assertInstanceOf(Map.class, got.get("table"));
    assertEquals("value", gotNested.get("inner").toString());
    assertEquals(1, gotNested.get("n"));
    List<?> array = assertInstanceOf(List.class, got.get("array"));
    assertEquals(3, array.size());
    assertEquals("a", array.get(0).toString());
    assertEquals(1, array.get(1));
    assertEquals(true, array.get(2));
    assertArrayEquals(new byte[] {9, 8, 7}, assertInstanceOf(byte[].class, got.get("bytes")));
    assertNull(got.get("void"));
  }

  /** RabbitMQ validates user-id against the authenticated user: 406 if they differ. */
  @Test
  void userIdOtherThanTheAuthenticatedUserIsPreconditionFailed() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.channel();
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().userId("mallory").build();
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(ch, () -> ch.basicPublish("", q, props, Messages.bytes("x"))));
  }

  @Test
  void propertiesReachConsumersAsWellAsGet() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.channel();
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicConsume(q, true, consumer);
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .correlationId("c")
            .headers(Map.of("x", 1L))
            .priority(3)
            .build();
    ch.basicPublish("", q, props, Messages.bytes("m"));
    AMQP.BasicProperties got = consumer.next().getProperties();
    assertEquals("c", got.getCorrelationId());
    assertEquals(1L, got.getHeaders().get("x"));
    assertEquals(3, got.getPriority());
  }

  private GetResponse roundTrip(AMQP.BasicProperties props, byte[] body) throws Exception {
    String q = session.declareQueue();
    Channel ch = session.channel();
    ch.basicPublish("", q, props, body);
    GetResponse r = Messages.get(ch, q, true);
    assertArrayEquals(body, r.getBody());
    return r;
  }
}
