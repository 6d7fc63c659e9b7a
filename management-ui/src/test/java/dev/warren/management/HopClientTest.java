package dev.warren.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.http.client.Client;
import com.rabbitmq.http.client.ClientParameters;
import com.rabbitmq.http.client.domain.ExchangeInfo;
import com.rabbitmq.http.client.domain.QueueInfo;
import com.rabbitmq.http.client.domain.UserPermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RabbitMQ's own Java client for this API (Hop) drives it as its users do. */
class HopClientTest extends ApiTestSupport {

  private Client client(String user, String password) throws Exception {
    return new Client(
        new ClientParameters().url(base() + "/api/").username(user).password(password));
  }

  @Test
  void hopDeclaresListsAndDeletesQueuesExchangesAndBindings() throws Exception {
    Client c = client("guest", "guest");
    assertEquals("3.10.8", c.getOverview().getServerVersion());
    c.declareQueue("/", "hq", new QueueInfo(true, false, false));
    c.declareExchange("/", "hx", new ExchangeInfo("fanout", true, false));
    c.bindQueue("/", "hq", "hx", "k");
    QueueInfo q = c.getQueue("/", "hq");
    assertEquals("hq", q.getName());
    assertTrue(q.isDurable());
    assertEquals(1, c.getQueueBindingsBetween("/", "hx", "hq").size());
    assertTrue(c.getQueues().stream().anyMatch(x -> x.getName().equals("hq")));
    assertEquals("fanout", c.getExchange("/", "hx").getType());
    c.deleteQueue("/", "hq");
    assertNull(c.getQueue("/", "hq"));
  }

  @Test
  void hopManagesVhostsUsersAndPermissions() throws Exception {
    Client c = client("guest", "guest");
    c.createVhost("hv");
    c.createUser("hu", "pw".toCharArray(), List.of("management"));
    c.updatePermissions("hv", "hu", new UserPermissions(".*", ".*", ".*"));
    assertNotNull(c.getVhost("hv"));
    assertEquals(List.of("management"), c.getUser("hu").getTags());
    assertEquals(".*", c.getPermissions("hv", "hu").getRead());
    assertEquals("hu", client("hu", "pw").whoAmI().getName());
    c.declarePolicy(
        "hv",
        "p",
        new com.rabbitmq.http.client.domain.PolicyInfo(
            "^a", 1, "queues", Map.of("max-length", 10)));
    assertEquals(1, c.getPolicies("hv").size());
    c.deleteUser("hu");
    assertNull(c.getUser("hu"));
  }
}
