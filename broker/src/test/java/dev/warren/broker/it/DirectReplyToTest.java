package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RabbitMQ's direct reply-to pseudo-queue, amq.rabbitmq.reply-to. */
class DirectReplyToTest {
  private static final String REPLY_TO = "amq.rabbitmq.reply-to";

  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void requestReplyThroughTheDirectReplyToPseudoQueue() throws Exception {
    String requests = session.declareQueue();
    Channel server = session.newConnection().createChannel();
    RecordingConsumer serverInbox = new RecordingConsumer(server);
    server.basicConsume(requests, true, serverInbox);

    Channel client = session.channel();
    RecordingConsumer replies = new RecordingConsumer(client);
    client.basicConsume(REPLY_TO, true, replies);
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder().replyTo(REPLY_TO).correlationId("c-1").build();
    client.basicPublish("", requests, props, Messages.bytes("ping"));

    Delivery request = serverInbox.next();
    String replyTo = request.getProperties().getReplyTo();
    assertTrue(replyTo.startsWith(REPLY_TO + "."), "the broker rewrites reply-to: " + replyTo);
    server.basicPublish(
        "",
        replyTo,
        new AMQP.BasicProperties.Builder().correlationId("c-1").build(),
        Messages.bytes("pong"));

    Delivery reply = replies.next();
    assertEquals("pong", Messages.text(reply.getBody()));
    assertEquals("c-1", reply.getProperties().getCorrelationId());
  }

  /**
   * RPC servers often check the reply address with a passive declare before answering: it declares
   * as a queue with one consumer while the requester consumes replies, and is 404 once it stopped.
   */
  @Test
  void aReplyAddressDeclaresPassivelyWhileItsRequesterConsumesReplies() throws Exception {
    String requests = session.declareQueue();
    Channel client = session.newConnection().createChannel();
    RecordingConsumer replies = new RecordingConsumer(client);
    String tag = client.basicConsume(REPLY_TO, true, replies);
    client.basicPublish(
        "",
        requests,
        new AMQP.BasicProperties.Builder().replyTo(REPLY_TO).build(),
        Messages.bytes("ping"));
    String replyTo = Messages.await(session.channel(), requests, true).getProps().getReplyTo();

    Channel server = session.connection().createChannel();
    AMQP.Queue.DeclareOk ok = server.queueDeclarePassive(replyTo);
    assertEquals(
        List.of(replyTo, 0, 1),
        List.of(ok.getQueue(), ok.getMessageCount(), ok.getConsumerCount()));
    server.confirmSelect();
    server.basicPublish("", replyTo, null, Messages.bytes("pong"));
    server.waitForConfirmsOrDie(5_000);
    assertEquals("pong", Messages.text(replies.next().getBody()));

    client.basicCancel(tag);
    Poll.until(
        Duration.ofSeconds(5),
        () -> {
          Channel probe = session.connection().createChannel();
          try {
            probe.queueDeclarePassive(replyTo);
            probe.close();
            return false;
          } catch (IOException e) {
            return AmqpErrors.replyCode((ShutdownSignalException) e.getCause()) == AMQP.NOT_FOUND;
          }
        },
        "the reply address to go with its consumer");
  }

  @Test
  void anUnknownReplyAddressIsNotFoundAndThePseudoQueueDeclares() throws Exception {
    Channel ch = session.channel();
    AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive(REPLY_TO);
    assertEquals(REPLY_TO, ok.getQueue());
    assertEquals(
        AMQP.NOT_FOUND,
        AmqpErrors.channelErrorCode(ch, () -> ch.queueDeclarePassive(REPLY_TO + ".nobody")));
  }

  @Test
  void publishingWithDirectReplyToWithoutConsumingFromItIsPreconditionFailed() throws Exception {
    String q = session.declareQueue();
    Channel ch = session.channel();
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().replyTo(REPLY_TO).build();
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(ch, () -> ch.basicPublish("", q, props, Messages.bytes("x"))));
  }

  @Test
  void consumingFromDirectReplyToWithAcksIsPreconditionFailed() {
    Channel ch = session.channel();
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(
            ch, () -> ch.basicConsume(REPLY_TO, false, new RecordingConsumer(ch))));
  }

  @Test
  void mandatoryReplyToARequesterThatHasGoneIsReturnedNoRoute() throws Exception {
    String requests = session.declareQueue();
    Connection requester = session.newConnection();
    Channel client = requester.createChannel();
    client.basicConsume(REPLY_TO, true, new RecordingConsumer(client));
    client.basicPublish(
        "",
        requests,
        new AMQP.BasicProperties.Builder().replyTo(REPLY_TO).build(),
        Messages.bytes("ping"));
    String replyTo = Messages.await(session.channel(), requests, true).getProps().getReplyTo();
    requester.close();

    PublishOutcomes outcomes = PublishOutcomes.attach(session.connection().createChannel());
    long seq = outcomes.nextSeqNo();
    outcomes.channel().basicPublish("", replyTo, true, null, Messages.bytes("too late"));
    assertEquals(List.of("ack " + seq), outcomes.awaitConfirms());
    assertEquals(List.of("312 " + replyTo), outcomes.returns());
    assertTrue(outcomes.channel().isOpen());
  }

  @Test
  void mandatoryReplyToAnUnknownReplyAddressIsReturnedNoRoute() throws Exception {
    PublishOutcomes outcomes = PublishOutcomes.attach(session.connection().createChannel());
    String bogus = REPLY_TO + ".no-such-requester";
    outcomes.channel().basicPublish("", bogus, true, null, Messages.bytes("lost"));
    outcomes.awaitConfirms();
    assertEquals(List.of("312 " + bogus), outcomes.returns());
    assertTrue(outcomes.channel().isOpen());
  }
}
