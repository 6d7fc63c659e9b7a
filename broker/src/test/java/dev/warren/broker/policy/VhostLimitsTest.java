package dev.warren.broker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.it.AmqpErrors;
import dev.warren.broker.it.Poll;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A virtual host's max-connections and max-queues (runtime parameter {@code vhost-limits}),
 * enforced as RabbitMQ enforces them, with its reply codes and texts: connection.open past the
 * connection limit is 530, before the user's own limit is looked at; a new queue past the queue
 * limit is 406, while redeclaring one that exists is fine. Against RabbitMQ with {@code
 * -Dbroker.rabbitmqctl} too (in a vhost made for the test).
 */
class VhostLimitsTest {
  @RegisterExtension static final PolicyFixture fixture = new PolicyFixture();

  private final List<Connection> opened = new ArrayList<>();

  @AfterEach
  void closeConnections() {
    for (Connection c : opened) {
      if (c.isOpen()) {
        c.abort();
      }
    }
  }

  private String vhost() {
    return fixture.admin().limitsVhost();
  }

  private void limits(Map<String, Object> limits) {
    fixture.admin().setVhostLimits(vhost(), limits);
    fixture.undo(() -> fixture.admin().clearVhostLimits(vhost()));
  }

  private Connection open() throws Exception {
    Connection c = fixture.admin().factory(vhost()).newConnection();
    opened.add(c);
    return c;
  }

  private AMQP.Connection.Close refusedOpen() {
    IOException refused = assertThrows(IOException.class, this::open);
    return (AMQP.Connection.Close) ((ShutdownSignalException) refused.getCause()).getReason();
  }

  @Test
  void connectionOpenPastTheVhostsConnectionLimitIsRefusedWith530() throws Exception {
    limits(Map.of("max-connections", 1));
    Connection first = open();
    AMQP.Connection.Close close = refusedOpen();
    assertEquals(530, close.getReplyCode());
    assertEquals(
        "NOT_ALLOWED - access to vhost '"
            + vhost()
            + "' refused for user 'guest': connection limit (1) is reached",
        close.getReplyText());
    first.close();
    Poll.until(
        PolicyFixture.WAIT,
        () -> {
          try {
            open();
            return true;
          } catch (IOException stillCounted) {
            return false;
          }
        },
        "a connection once the first one closed");
  }

  @Test
  void theVhostsConnectionLimitIsCheckedBeforeTheUsersOwn() throws Exception {
    fixture.admin().setGuestConnectionLimit(1);
    fixture.undo(() -> fixture.admin().setGuestConnectionLimit(-1));
    limits(Map.of("max-connections", 1));
    open();
    assertEquals(
        "NOT_ALLOWED - access to vhost '"
            + vhost()
            + "' refused for user 'guest': connection limit (1) is reached",
        refusedOpen().getReplyText());
  }

  @Test
  void aConnectionLimitOfZeroAdmitsNoneAndClearingItAdmitsAgain() throws Exception {
    limits(Map.of("max-connections", 0));
    assertEquals(530, refusedOpen().getReplyCode());
    fixture.admin().clearVhostLimits(vhost());
    open();
  }

  @Test
  void aNewQueuePastTheVhostsQueueLimitIsRefusedWith406() throws Exception {
    limits(Map.of("max-queues", 2));
    Channel ch = open().createChannel();
    ch.queueDeclare("policy-it.limit.q1", false, false, false, null);
    ch.queueDeclare("policy-it.limit.q2", false, false, true, null);
    AMQP.Channel.Close close =
        AmqpErrors.channelClose(
            ch, () -> ch.queueDeclare("policy-it.limit.q3", false, false, false, null));
    assertEquals(406, close.getReplyCode());
    assertEquals(
        "PRECONDITION_FAILED - cannot declare queue 'policy-it.limit.q3': queue limit in vhost '"
            + vhost()
            + "' (2) is reached",
        close.getReplyText());
    Channel again = ch.getConnection().createChannel();
    again.queueDeclare("policy-it.limit.q1", false, false, false, null);
    again.queueDelete("policy-it.limit.q1");
    again.queueDeclare("policy-it.limit.q3", false, false, false, null);
    again.queueDelete("policy-it.limit.q3");
    again.queueDelete("policy-it.limit.q2");
  }
}
