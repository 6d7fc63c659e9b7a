package dev.warren.stress;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;

/**
 * A consumer that reports every message it receives to the {@link Ledger} by its message-id, and
 * acknowledges it unless it consumes with no-ack. Thread: the client's consumer dispatch thread of
 * its channel.
 */
final class LedgerConsumer extends DefaultConsumer {
  private final Ledger ledger;
  private final boolean ack;

  /**
   * @param ack whether to basic.ack each delivery (false for a no-ack subscription)
   */
  LedgerConsumer(Channel channel, Ledger ledger, boolean ack) {
    super(channel);
    this.ledger = ledger;
    this.ack = ack;
  }

  @Override
  public void handleDelivery(
      String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
      throws IOException {
    ledger.consumed(properties.getMessageId());
    if (ack) {
      getChannel().basicAck(envelope.getDeliveryTag(), false);
    }
  }
}
