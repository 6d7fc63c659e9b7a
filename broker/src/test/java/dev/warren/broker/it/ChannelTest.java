package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Command;
import com.rabbitmq.client.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** channel.open / close / flow, and how a channel error leaves the rest of the connection. */
class ChannelTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void openedChannelIsUsableAndClosesCleanly() throws Exception {
    Channel ch = session.connection().createChannel();
    assertTrue(ch.isOpen());
    ch.exchangeDeclarePassive("amq.direct");
    ch.close();
    assertFalse(ch.isOpen());
    assertTrue(ch.getCloseReason().isInitiatedByApplication());
    assertTrue(session.connection().isOpen());
  }

  @Test
  void channelNumberCanBeReusedAfterClose() throws Exception {
    Connection c = session.connection();
    Channel first = c.createChannel(7);
    first.close();
    Channel again = c.createChannel(7);
    assertEquals(7, again.getChannelNumber());
    again.exchangeDeclarePassive("amq.direct");
  }

  @Test
  void softErrorClosesOnlyThatChannelAndOthersKeepWorking() throws Exception {
    Connection c = session.connection();
    Channel failing = c.createChannel();
    Channel other = session.channel();
    String q = session.declareQueue();
    Messages.publish(other, q, "before");
    int code =
        AmqpErrors.channelErrorCode(
            failing, () -> failing.queueDeclarePassive(AmqpSession.uniqueName("missing")));
    assertEquals(AMQP.NOT_FOUND, code);
    assertFalse(failing.isOpen());
    assertTrue(c.isOpen());
    assertTrue(other.isOpen());
    Messages.publish(other, q, "after");
    assertEquals(List.of("before", "after"), Messages.drain(other, q));
  }

  @Test
  void brokerClosedChannelReportsTheBrokerReasonOnFurtherUse() throws Exception {
    Channel ch = session.channel();
    CompletableFuture<Integer> observed = new CompletableFuture<>();
    ch.addShutdownListener(s -> observed.complete(AmqpErrors.replyCode(s)));
    AmqpErrors.channelErrorCode(
        ch, () -> ch.queueDeclarePassive(AmqpSession.uniqueName("missing")));
    assertEquals(AMQP.NOT_FOUND, observed.get(5, TimeUnit.SECONDS));
    AlreadyClosedException e =
        assertThrows(AlreadyClosedException.class, () -> ch.exchangeDeclarePassive("amq.direct"));
    assertFalse(e.isInitiatedByApplication());
  }

  @Test
  void closingAChannelCancelsItsConsumers() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.connection().createChannel();
    ch.basicConsume(q, true, new RecordingConsumer(ch));
    assertEquals(1, session.channel().queueDeclarePassive(q).getConsumerCount());
    ch.close();
    assertEquals(0, session.channel().queueDeclarePassive(q).getConsumerCount());
  }

  @Test
  void channelFlowActiveTrueIsAnsweredWithFlowOk() throws Exception {
    Command reply = session.channel().rpc(new AMQP.Channel.Flow.Builder().active(true).build());
    assertTrue(assertInstanceOf(AMQP.Channel.FlowOk.class, reply.getMethod()).getActive());
  }

  /** RabbitMQ 3.x does not let a client stop its deliveries with channel.flow: hard error 540. */
  @Test
  void channelFlowActiveFalseIsNotImplemented() throws Exception {
    Channel ch = session.channel();
    int code =
        AmqpErrors.connectionErrorCode(
            ch, () -> ch.rpc(new AMQP.Channel.Flow.Builder().active(false).build()));
    assertEquals(AMQP.NOT_IMPLEMENTED, code);
  }
}
