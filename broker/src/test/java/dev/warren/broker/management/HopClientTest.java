package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.http.client.Client;
import com.rabbitmq.http.client.ClientParameters;
import com.rabbitmq.http.client.domain.ExchangeInfo;
import com.rabbitmq.http.client.domain.QueueInfo;
import com.rabbitmq.http.client.domain.UserPermissions;
import dev.warren.broker.it.AmqpSession;
import dev.warren.broker.it.Messages;
import dev.warren.broker.it.Poll;
import dev.warren.broker.it.TestBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RabbitMQ's Java client for the management API (Hop) manages the broker as its users do, and the
 * AMQP side sees the result. Runs against RabbitMQ too.
 */
class HopClientTest {
  @RegisterExtension final AmqpSession amqp = new AmqpSession();

  private static Client client(String user, String password) throws Exception {
    return new Client(
        new ClientParameters()
            .url(ManagementHttp.guest(TestBroker.managementAddress()).base() + "/api/")
            .username(user)
            .password(password));
  }

  @Test
  void hopDeclaresQueuesExchangesAndBindingsThatAmqpPublishesFollow() throws Exception {
    Client hop = client("guest", "guest");
    assertFalse(hop.getOverview().getNode().isEmpty());
    String q = amqp.trackQueue(AmqpSession.uniqueName("hop-q"));
    String x = amqp.trackExchange(AmqpSession.uniqueName("hop-x"));
    hop.declareQueue("/", q, new QueueInfo(true, false, false, Map.of("x-max-length", 10)));
    hop.declareExchange("/", x, new ExchangeInfo("fanout", true, false));
    hop.bindQueue("/", q, x, "");

    amqp.publisher().basicPublish(x, "any", null, Messages.bytes("via hop"));
    amqp.publisher().waitForConfirmsOrDie(5_000);
    Poll.until(
        Duration.ofSeconds(15), () -> hop.getQueue("/", q).getTotalMessages() == 1, "1 message");

    QueueInfo shown = hop.getQueue("/", q);
    assertTrue(shown.isDurable());
    assertEquals(10, ((Number) shown.getArguments().get("x-max-length")).intValue());
    assertEquals("fanout", hop.getExchange("/", x).getType());
    assertEquals(1, hop.getQueueBindingsBetween("/", x, q).size());
    assertEquals("via hop", Messages.text(Messages.get(amqp.channel(), q, true).getBody()));
    hop.deleteQueue("/", q);
    assertNull(hop.getQueue("/", q));
  }

  @Test
  void hopManagesVhostsUsersAndPermissions() throws Exception {
    Client hop = client("guest", "guest");
    String vhost = AmqpSession.uniqueName("hop-vhost");
    String user = AmqpSession.uniqueName("hop-user");
    try {
      hop.createVhost(vhost);
      hop.createUser(user, "pw".toCharArray(), List.of("management"));
      // Hop's order: read, write, configure.
      hop.updatePermissions(vhost, user, new UserPermissions(".*", ".*", ""));
      assertEquals(vhost, hop.getVhost(vhost).getName());
      assertEquals(List.of("management"), hop.getUser(user).getTags());
      assertEquals("", hop.getPermissions(vhost, user).getConfigure());
      assertEquals(user, client(user, "pw").whoAmI().getName());
    } finally {
      hop.deleteVhost(vhost);
      hop.deleteUser(user);
    }
    assertNull(hop.getUser(user));
    assertNull(hop.getVhost(vhost));
  }
}
