package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** tx.select / commit / rollback for publishes and acknowledgements. */
class TransactionTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void publishesAreInvisibleUntilCommit() throws Exception {
    String q = session.declareQueue();
    Channel tx = session.connection().createChannel();
    assertInstanceOf(AMQP.Tx.SelectOk.class, tx.txSelect());
    Messages.publish(tx, q, "1", "2");
    assertEquals(List.of(), Messages.drain(session.channel(), q));
    assertInstanceOf(AMQP.Tx.CommitOk.class, tx.txCommit());
    assertEquals(List.of("1", "2"), Messages.drain(session.channel(), q));
  }

  @Test
  void rolledBackPublishesAreDiscarded() throws Exception {
    String q = session.declareQueue();
    Channel tx = session.connection().createChannel();
    tx.txSelect();
    Messages.publish(tx, q, "gone");
    assertInstanceOf(AMQP.Tx.RollbackOk.class, tx.txRollback());
    Messages.publish(tx, q, "kept");
    tx.txCommit();
    assertEquals(List.of("kept"), Messages.drain(session.channel(), q));
  }

  @Test
  void acksTakeEffectAtCommit() throws Exception {
    String q = session.declareQueue();
    session.publishNumbered(q, 2);
    Channel tx = session.connection().createChannel();
    tx.txSelect();
    long tag = Messages.get(tx, q, false).getEnvelope().getDeliveryTag();
    tx.basicAck(tag, false);
    tx.txCommit();
    tx.close();
    assertEquals(List.of("2"), Messages.drain(session.channel(), q));
  }

  /**
   * RabbitMQ: a rolled-back ack is forgotten and the message stays unacked on the channel (it is
   * not requeued by the rollback); it can be acked again later, or is requeued on recover.
   */
  @Test
  void rolledBackAckLeavesTheMessageUnacked() throws Exception {
    String q = session.declareQueue();
    session.publish(q, "m");
    Channel tx = session.connection().createChannel();
    tx.txSelect();
    long tag = Messages.get(tx, q, false).getEnvelope().getDeliveryTag();
    tx.basicAck(tag, false);
    tx.txRollback();
    assertEquals(0, Messages.readyCount(session.channel(), q), "not requeued by the rollback");
    tx.basicRecover(true);
    GetResponse again = Messages.get(tx, q, false);
    assertEquals("m", Messages.text(again.getBody()));
    assertTrue(again.getEnvelope().isRedeliver());
    tx.basicAck(again.getEnvelope().getDeliveryTag(), false);
    tx.txCommit();
    tx.close();
    assertEquals(List.of(), Messages.drain(session.channel(), q));
  }

  @Test
  void rolledBackAckCanBeAckedAgainAndCommitted() throws Exception {
    String q = session.declareQueue();
    session.publish(q, "m");
    Channel tx = session.connection().createChannel();
    tx.txSelect();
    long tag = Messages.get(tx, q, false).getEnvelope().getDeliveryTag();
    tx.basicAck(tag, false);
    tx.txRollback();
    tx.basicAck(tag, false);
    tx.txCommit();
    tx.close();
    assertEquals(List.of(), Messages.drain(session.channel(), q));
  }

  /** RabbitMQ settles a tag at the ack itself, in a transaction too: the second ack is refused. */
  @Test
  void ackingATagTwiceInATransactionIsPreconditionFailedAtTheSecondAck() throws Exception {
    String q = session.declareQueue();
    session.publish(q, "m");
    Channel tx = session.connection().createChannel();
    tx.txSelect();
    long tag = Messages.get(tx, q, false).getEnvelope().getDeliveryTag();
    tx.basicAck(tag, false);
    AMQP.Channel.Close close = AmqpErrors.channelClose(tx, () -> tx.basicAck(tag, false));
    assertEquals(AMQP.PRECONDITION_FAILED, close.getReplyCode());
    assertEquals("PRECONDITION_FAILED - unknown delivery tag " + tag, close.getReplyText());
    assertEquals(List.of("m"), Messages.drain(session.channel(), q), "the ack was not committed");
  }

  @Test
  void rejectingATagAckedInTheTransactionIsPreconditionFailed() throws Exception {
    String q = session.declareQueue();
    session.publish(q, "m");
    Channel tx = session.connection().createChannel();
    tx.txSelect();
    long tag = Messages.get(tx, q, false).getEnvelope().getDeliveryTag();
    tx.basicAck(tag, false);
    assertEquals(
        AMQP.PRECONDITION_FAILED,
        AmqpErrors.channelErrorCode(tx, () -> tx.basicNack(tag, false, true)));
  }

  /** basic.recover gives back what is unacked; an ack waiting for commit is not unacked. */
  @Test
  void recoverAfterAnUncommittedAckDoesNotRedeliverTheAckedMessage() throws Exception {
    String q = session.declareQueue();
    session.publish(q, "acked", "unacked");
    Channel tx = session.connection().createChannel();
    tx.txSelect();
    long acked = Messages.get(tx, q, false).getEnvelope().getDeliveryTag();
    Messages.get(tx, q, false);
    tx.basicAck(acked, false);
    tx.basicRecover(true);
    GetResponse again = Messages.get(tx, q, false);
    assertEquals("unacked", Messages.text(again.getBody()));
    assertTrue(again.getEnvelope().isRedeliver());
    assertNull(tx.basicGet(q, false), "the acked message stays with the transaction");
    tx.txCommit();
    tx.close();
    assertEquals(List.of("unacked"), Messages.drain(session.channel(), q));
  }

  @Test
  void aRolledBackAckIsUnackedAgainAndRecoverRedeliversIt() throws Exception {
    String q = session.declareQueue();
    session.publish(q, "m");
    Channel tx = session.connection().createChannel();
    tx.txSelect();
    long tag = Messages.get(tx, q, false).getEnvelope().getDeliveryTag();
    tx.basicAck(tag, true);
    tx.txRollback();
    tx.basicRecover(true);
    assertEquals("m", Messages.text(Messages.get(tx, q, true).getBody()));
  }

  @Test
  void uncommittedWorkIsDiscardedWhenTheChannelCloses() throws Exception {
    String q = session.declareQueue();
    session.publish(q, "unacked");
    Channel tx = session.connection().createChannel();
    tx.txSelect();
    long tag = Messages.get(tx, q, false).getEnvelope().getDeliveryTag();
    tx.basicAck(tag, false);
    Messages.publish(tx, q, "uncommitted");
    tx.close();
    assertEquals(List.of("unacked"), Messages.drain(session.channel(), q));
  }

  @Test
  void commitWithoutSelectIsPreconditionFailed() {
    Channel ch = session.channel();
    assertEquals(AMQP.PRECONDITION_FAILED, AmqpErrors.channelErrorCode(ch, ch::txCommit));
  }

  @Test
  void rollbackWithoutSelectIsPreconditionFailed() {
    Channel ch = session.channel();
    assertEquals(AMQP.PRECONDITION_FAILED, AmqpErrors.channelErrorCode(ch, ch::txRollback));
  }

  @Test
  void channelStaysTransactionalAfterCommit() throws Exception {
    String q = session.declareQueue();
    Channel tx = session.connection().createChannel();
    tx.txSelect();
    Messages.publish(tx, q, "1");
    tx.txCommit();
    Messages.publish(tx, q, "2");
    assertEquals(List.of("1"), Messages.drain(session.channel(), q));
    tx.txCommit();
    assertEquals(List.of("2"), Messages.drain(session.channel(), q));
  }
}
