package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;

/**
 * Turns a broker error into the reply code the client saw.
 *
 * <p>Asynchronous methods (publish, ack, ...) get no answer, so after the action we make one
 * synchronous round-trip on the same channel; a channel or connection close sent by the broker in
 * response to the action arrives before that round-trip's reply and fails it.
 */
public final class AmqpErrors {
  private AmqpErrors() {}

  /** Something that talks to the broker. */
  @FunctionalInterface
  public interface BrokerAction {
    void run() throws Exception;
  }

  /**
   * Runs the action, expects the broker to close {@code channel} (a soft error, the connection
   * stays open) and returns the channel.close reply code.
   */
  public static int channelErrorCode(Channel channel, BrokerAction action) {
    return channelClose(channel, action).getReplyCode();
  }

  /**
   * As {@link #channelErrorCode}, returning the whole channel.close, for tests that check the reply
   * text a client shows (which RabbitMQ prefixes with the code's name, e.g. {@code NOT_FOUND - }).
   */
  public static AMQP.Channel.Close channelClose(Channel channel, BrokerAction action) {
    ShutdownSignalException signal = expectShutdown(channel, action);
    assertFalse(signal.isHardError(), () -> "expected a channel error, got " + signal.getReason());
    assertTrue(channel.getConnection().isOpen(), "a channel error must leave the connection open");
    return assertInstanceOf(AMQP.Channel.Close.class, signal.getReason());
  }

  /**
   * Runs the action, expects the broker to close the connection of {@code channel} (a hard error)
   * and returns the connection.close reply code.
   */
  public static int connectionErrorCode(Channel channel, BrokerAction action) {
    ShutdownSignalException signal = expectShutdown(channel, action);
    assertTrue(
        signal.isHardError(), () -> "expected a connection error, got " + signal.getReason());
    awaitClosed(channel.getConnection());
    return assertInstanceOf(AMQP.Connection.Close.class, signal.getReason()).getReplyCode();
  }

  /** The reply code of a {@link ShutdownSignalException} from a channel or connection close. */
  public static int replyCode(ShutdownSignalException signal) {
    if (signal.getReason() instanceof AMQP.Channel.Close close) {
      return close.getReplyCode();
    }
    return assertInstanceOf(AMQP.Connection.Close.class, signal.getReason()).getReplyCode();
  }

  private static ShutdownSignalException expectShutdown(Channel channel, BrokerAction action) {
    try {
      action.run();
      channel.exchangeDeclarePassive("amq.direct");
    } catch (ShutdownSignalException e) {
      return e;
    } catch (IOException e) {
      if (e.getCause() instanceof ShutdownSignalException signal) {
        return signal;
      }
      return fail("expected the broker to close the channel or connection", e);
    } catch (Exception e) {
      return fail("expected the broker to close the channel or connection", e);
    }
    return fail("expected the broker to close the channel or connection, but it answered");
  }

  /** Waits until the client has seen the connection close. */
  public static void awaitClosed(Connection connection) {
    Poll.until(Duration.ofSeconds(10), () -> !connection.isOpen(), "connection to close");
  }
}
