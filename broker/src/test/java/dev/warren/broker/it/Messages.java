package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small helpers to publish and fetch text messages. */
public final class Messages {
  private Messages() {}

  public static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  public static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Publishes each text to the default exchange, routed to {@code queue}. */
  public static void publish(Channel ch, String queue, String... texts) throws IOException {
    for (String t : texts) {
      ch.basicPublish("", queue, null, bytes(t));
    }
  }

  /** Publishes "1".."n" to the default exchange, routed to {@code queue}. */
  public static void publishNumbered(Channel ch, String queue, int n) throws IOException {
    for (int i = 1; i <= n; i++) {
      ch.basicPublish("", queue, null, bytes(Integer.toString(i)));
    }
  }

  /** basic.get that must find a message. */
  public static GetResponse get(Channel ch, String queue, boolean autoAck) throws IOException {
    GetResponse r = ch.basicGet(queue, autoAck);
    assertNotNull(r, () -> "expected a message on " + queue + " but got get-empty");
    return r;
  }

  /** basic.get polled until a message arrives; fails the test after 10 seconds. */
  public static GetResponse await(Channel ch, String queue, boolean autoAck) {
    GetResponse[] got = new GetResponse[1];
    Poll.until(
        Duration.ofSeconds(10),
        () -> (got[0] = ch.basicGet(queue, autoAck)) != null,
        "a message on " + queue);
    return got[0];
  }

  /** Properties with only an expiration (per-message TTL, milliseconds as a string) set. */
  public static AMQP.BasicProperties withExpiration(String millis) {
    return new AMQP.BasicProperties.Builder().expiration(millis).build();
  }

  /** Drains {@code queue} with auto-ack basic.get and returns the bodies in order. */
  public static List<String> drain(Channel ch, String queue) throws IOException {
    List<String> bodies = new ArrayList<>();
    for (GetResponse r = ch.basicGet(queue, true); r != null; r = ch.basicGet(queue, true)) {
      bodies.add(text(r.getBody()));
    }
    return bodies;
  }

  /** The number of ready messages, via a passive declare. */
  public static int readyCount(Channel ch, String queue) throws IOException {
    return ch.queueDeclarePassive(queue).getMessageCount();
  }

  /** Properties with only a header table set. */
  public static AMQP.BasicProperties withHeaders(Map<String, Object> headers) {
    return new AMQP.BasicProperties.Builder().headers(headers).build();
  }
}
