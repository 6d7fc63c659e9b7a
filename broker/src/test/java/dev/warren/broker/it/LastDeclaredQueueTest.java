package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The empty queue name (spec 1.7.2 and 1.8.3, "the server uses the last queue declared on the
 * channel"): queue.bind, unbind, purge, delete, basic.consume and basic.get with no queue name act
 * on the queue this channel declared last; a bind or unbind with no routing key either uses that
 * queue's name as the key. Before any declare on the channel it is 404 NOT_FOUND.
 */
class LastDeclaredQueueTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  /** Something done on a fresh channel. */
  @FunctionalInterface
  private interface ChannelOp {
    void apply(Channel ch) throws Exception;
  }

  @Test
  void emptyQueueNameBeforeAnyDeclareOnTheChannelIsNotFound() throws Exception {
    session.declareQueue(); // on another channel: it does not count
    List<ChannelOp> ops =
        List.of(
            ch -> ch.queueBind("", "amq.direct", "k"),
            ch -> ch.queueUnbind("", "amq.direct", "k"),
            ch -> ch.queuePurge(""),
            ch -> ch.queueDelete(""),
            ch -> ch.basicConsume("", true, new RecordingConsumer(ch)),
            ch -> ch.basicGet("", true));
    for (ChannelOp op : ops) {
      Channel ch = session.connection().createChannel();
      AMQP.Channel.Close close = AmqpErrors.channelClose(ch, () -> op.apply(ch));
      assertEquals(AMQP.NOT_FOUND, close.getReplyCode());
      assertEquals("NOT_FOUND - no previously declared queue", close.getReplyText());
    }
  }

  @Test
  void bindWithNoQueueAndNoRoutingKeyBindsTheLastDeclaredQueueByItsName() throws Exception {
    Channel ch = session.channel();
    String x = session.declareExchange("direct");
    String q = session.declareQueue();
    ch.queueBind("", x, "");
    ch.queueBind("", x, "other");
    session.publisher().basicPublish(x, q, null, Messages.bytes("by name"));
    session.publisher().basicPublish(x, "other", null, Messages.bytes("by key"));
    session.publisher().basicPublish(x, "", null, Messages.bytes("by empty key"));
    session.publisher().waitForConfirmsOrDie(5_000);
    assertEquals(List.of("by name", "by key"), Messages.drain(ch, q));
  }

  @Test
  void unbindWithNoQueueAndNoRoutingKeyRemovesTheBindingByTheQueuesName() throws Exception {
    Channel ch = session.channel();
    String x = session.declareExchange("direct");
    String q = session.declareQueue();
    ch.queueBind(q, x, q);
    ch.queueBind(q, x, "other");
    ch.queueUnbind("", x, "");
    session.publisher().basicPublish(x, q, null, Messages.bytes("unbound"));
    session.publisher().basicPublish(x, "other", null, Messages.bytes("still bound"));
    session.publisher().waitForConfirmsOrDie(5_000);
    assertEquals(List.of("still bound"), Messages.drain(ch, q));
  }

  @Test
  void getConsumePurgeAndDeleteWithNoQueueNameUseTheLastDeclaredQueue() throws Exception {
    Channel ch = session.channel();
    session.declareQueue(); // an earlier declare: not the one used
    String q = session.declareQueue();
    session.publish(q, "1", "2", "3", "4");
    assertEquals("1", Messages.text(Messages.get(ch, "", true).getBody()));
    RecordingConsumer consumer = new RecordingConsumer(ch);
    ch.basicQos(1);
    String tag = ch.basicConsume("", false, consumer);
    assertEquals("2", Messages.text(consumer.next().getBody()));
    ch.basicCancel(tag);
    assertEquals(2, ch.queuePurge("").getMessageCount());
    session.publish(q, "5");
    assertEquals(1, ch.queueDelete("").getMessageCount());
    Channel probe = session.connection().createChannel();
    assertEquals(
        AMQP.NOT_FOUND, AmqpErrors.channelErrorCode(probe, () -> probe.queueDeclarePassive(q)));
  }

  @Test
  void aPassiveDeclareAndAServerNamedQueueCountAsDeclared() throws Exception {
    Channel ch = session.channel();
    String named = session.declareQueue();
    String serverNamed = ch.queueDeclare("", false, true, true, null).getQueue();
    session.publish(serverNamed, "s");
    assertEquals("s", Messages.text(Messages.get(ch, "", true).getBody()));
    ch.queueDeclarePassive(named);
    session.publish(named, "n");
    assertEquals("n", Messages.text(Messages.get(ch, "", true).getBody()));
  }

  @Test
  void theLastDeclaredQueueIsPerChannel() throws Exception {
    String mine = session.declareQueue();
    Channel other = session.connection().createChannel();
    String theirs = session.queueName();
    other.queueDeclare(theirs, false, false, false, null);
    session.publish(mine, "mine");
    assertEquals("mine", Messages.text(Messages.get(session.channel(), "", true).getBody()));
    assertNull(other.basicGet("", true), "the other channel's last queue is its own, empty");
  }

  @Test
  void aDeletedLastDeclaredQueueIsNotFoundByName() throws Exception {
    Channel ch = session.channel();
    String q = session.declareQueue();
    ch.queueDelete(q);
    AMQP.Channel.Close close = AmqpErrors.channelClose(ch, () -> ch.queuePurge(""));
    assertEquals(AMQP.NOT_FOUND, close.getReplyCode());
    assertEquals("NOT_FOUND - no queue '" + q + "' in vhost '/'", close.getReplyText());
  }

  @Test
  void passiveDeclareOfTheEmptyNameIsNotFound() throws Exception {
    Channel ch = session.channel();
    session.declareQueue();
    AMQP.Channel.Close close = AmqpErrors.channelClose(ch, () -> ch.queueDeclarePassive(""));
    assertEquals(AMQP.NOT_FOUND, close.getReplyCode());
    assertEquals("NOT_FOUND - no queue '' in vhost '/'", close.getReplyText());
  }
}
