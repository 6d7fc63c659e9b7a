package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RabbitMQ drops line feeds and carriage returns from queue and exchange names where they are
 * declared, deleted, bound and unbound, but not where they are used (publish, consume, get, purge),
 * nor from routing keys.
 */
class LineBreaksInNamesTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  /** {@code name} with line breaks inside and at the end. */
  private static String withBreaks(String name) {
    return name.substring(0, 3) + "\n" + name.substring(3) + "\r\n";
  }

  @Test
  void queueDeclareDropsLineBreaksAndNamesTheQueueItDeclared() throws Exception {
    String q = session.queueName();
    Channel ch = session.channel();
    assertEquals(q, ch.queueDeclare(withBreaks(q), false, false, false, null).getQueue());
    assertEquals(q, ch.queueDeclarePassive(withBreaks(q)).getQueue());
    assertEquals(q, ch.queueDeclarePassive(q).getQueue());
  }

  @Test
  void queueNameOfLineBreaksOnlyIsServerNamed() throws Exception {
    String name = session.channel().queueDeclare("\r\n", false, true, true, null).getQueue();
    assertTrue(name.startsWith("amq.gen-"), name);
  }

  @Test
  void reservedPrefixIsCheckedOnTheNameWithoutLineBreaks() {
    Channel ch = session.channel();
    int code =
        AmqpErrors.channelErrorCode(
            ch,
            () -> ch.queueDeclare("am\nq." + AmqpSession.uniqueName("q"), false, true, true, null));
    assertEquals(AMQP.ACCESS_REFUSED, code);
  }

  @Test
  void exchangeDeclareAndDeleteDropLineBreaks() throws Exception {
    String x = session.exchangeName();
    Channel ch = session.channel();
    ch.exchangeDeclare(withBreaks(x), "direct");
    ch.exchangeDeclarePassive(x);
    ch.exchangeDeclarePassive(withBreaks(x));
    ch.exchangeDelete(withBreaks(x));
    assertEquals(
        AMQP.NOT_FOUND, AmqpErrors.channelErrorCode(ch, () -> ch.exchangeDeclarePassive(x)));
  }

  @Test
  void queueDeleteDropsLineBreaks() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.channel();
    ch.queueDelete(withBreaks(q));
    assertEquals(AMQP.NOT_FOUND, AmqpErrors.channelErrorCode(ch, () -> ch.queueDeclarePassive(q)));
  }

  @Test
  void queueBindAndUnbindDropLineBreaksFromQueueAndExchange() throws Exception {
    String q = session.declareQueue();
    String x = session.declareExchange("direct");
    Channel ch = session.channel();
    ch.queueBind(withBreaks(q), withBreaks(x), "k");
    publish(x, "k");
    assertEquals(1, Messages.readyCount(ch, q));
    ch.queueUnbind(withBreaks(q), withBreaks(x), "k");
    publish(x, "k");
    assertEquals(1, Messages.readyCount(ch, q), "unbound");
  }

  @Test
  void exchangeBindAndUnbindDropLineBreaksFromBothEnds() throws Exception {
    String q = session.declareQueue();
    String source = session.declareExchange("direct");
    String destination = session.declareExchange("direct");
    Channel ch = session.channel();
    ch.queueBind(q, destination, "k");
    ch.exchangeBind(withBreaks(destination), withBreaks(source), "k");
    publish(source, "k");
    assertEquals(1, Messages.readyCount(ch, q));
    ch.exchangeUnbind(withBreaks(destination), withBreaks(source), "k");
    publish(source, "k");
    assertEquals(1, Messages.readyCount(ch, q), "unbound");
  }

  @Test
  void routingKeysKeepTheirLineBreaks() throws Exception {
    String q = session.declareQueue();
    String x = session.declareExchange("direct");
    Channel ch = session.channel();
    ch.queueBind(q, x, "k\n");
    publish(x, "k");
    assertEquals(0, Messages.readyCount(ch, q));
    publish(x, "k\n");
    assertEquals(1, Messages.readyCount(ch, q));
  }

  /** Where a name is used rather than declared, "q\n" names no queue. */
  @Test
  void publishConsumeGetAndPurgeKeepLineBreaks() throws Exception {
    String q = session.declareQueue();
    String x = session.declareExchange("direct");
    List<Use> uses =
        List.of(
            ch -> ch.basicGet(q + "\n", true),
            ch -> ch.queuePurge(q + "\r"),
            ch -> ch.basicConsume(q + "\n", true, new DefaultConsumer(ch)),
            ch -> ch.basicPublish(x + "\n", "k", null, new byte[0]));
    for (Use use : uses) {
      Channel ch = session.connection().createChannel();
      assertEquals(AMQP.NOT_FOUND, AmqpErrors.channelErrorCode(ch, () -> use.on(ch)));
    }
    session.channel().basicPublish("", q + "\n", null, new byte[0]);
    assertEquals(0, Messages.readyCount(session.channel(), q), "the default exchange");
  }

  private interface Use {
    void on(Channel ch) throws Exception;
  }

  /** Publishes through a confirm channel and waits, so that counts see the message. */
  private void publish(String exchange, String routingKey) throws Exception {
    session.publisher().basicPublish(exchange, routingKey, null, new byte[0]);
    session.publisher().waitForConfirmsOrDie(5_000);
  }
}
