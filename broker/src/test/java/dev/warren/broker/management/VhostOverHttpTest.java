package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.it.AmqpErrors;
import dev.warren.broker.it.AmqpSession;
import dev.warren.broker.it.Poll;
import dev.warren.broker.it.TestBroker;
import dev.warren.broker.management.ManagementHttp.Reply;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Virtual hosts, users and permissions made through the management API are what AMQP clients meet:
 * they may open the vhost, do what the permissions allow and are refused the rest; deleting the
 * vhost closes their connections. Runs against RabbitMQ too.
 */
class VhostOverHttpTest {
  private final ManagementHttp api = ManagementHttp.guest(TestBroker.managementAddress());
  private final String vhost = AmqpSession.uniqueName("mgmt-vhost");
  private final String user = AmqpSession.uniqueName("mgmt-user");

  @AfterEach
  void removeVhostAndUser() {
    api.delete("/api/vhosts/" + ManagementHttp.segment(vhost));
    api.delete("/api/users/" + ManagementHttp.segment(user));
  }

  private ConnectionFactory factory(String username, String password) {
    ConnectionFactory f = TestBroker.connectionFactory();
    f.setVirtualHost(vhost);
    f.setUsername(username);
    f.setPassword(password);
    return f;
  }

  @Test
  void vhostUserAndPermissionsMadeOverHttpAdmitAnAmqpClientAndBoundIt() throws Exception {
    String v = ManagementHttp.segment(vhost);
    String u = ManagementHttp.segment(user);
    Reply created =
        api.put("/api/vhosts/" + v, "{\"description\":\"made over http\",\"tags\":\"a,b\"}");
    assertEquals(201, created.status());
    JsonNode shown = api.get("/api/vhosts/" + v).json();
    assertEquals("made over http", shown.get("description").asText());
    assertEquals(2, shown.get("tags").size());
    assertEquals(
        201, api.put("/api/users/" + u, "{\"password\":\"s3cret\",\"tags\":\"\"}").status());
    assertEquals(
        201,
        api.put(
                "/api/permissions/" + v + "/" + u,
                "{\"configure\":\"^mine\\\\.\",\"write\":\".*\",\"read\":\".*\"}")
            .status());

    try (Connection c = factory(user, "s3cret").newConnection()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("mine.q", false, false, true, null);
      AMQP.Channel.Close refused =
          AmqpErrors.channelClose(ch, () -> ch.queueDeclare("theirs.q", false, false, true, null));
      assertEquals(403, refused.getReplyCode());
      assertEquals(
          "ACCESS_REFUSED - access to queue 'theirs.q' in vhost '"
              + vhost
              + "' refused for user '"
              + user
              + "'",
          refused.getReplyText());
    }
    assertThrows(
        Exception.class,
        () -> factory(user, "wrong").newConnection().close(),
        "a wrong password is refused");
    assertThrows(
        IOException.class,
        () -> {
          ConnectionFactory f = factory(user, "s3cret");
          f.setVirtualHost("/");
          f.newConnection().close();
        },
        "no permissions on /");
  }

  @Test
  void deletingAVhostClosesItsConnectionsAndDropsItsQueues() throws Exception {
    String v = ManagementHttp.segment(vhost);
    api.put("/api/vhosts/" + v, "{}");
    Connection c = factory("guest", "guest").newConnection();
    try {
      Channel ch = c.createChannel();
      ch.queueDeclare("doomed", true, false, false, null);
      ch.basicPublish("", "doomed", null, new byte[] {1, 2, 3});

      assertEquals(204, api.delete("/api/vhosts/" + v).status());

      Poll.until(Duration.ofSeconds(10), () -> !c.isOpen(), "the vhost's connection closed");
      ShutdownSignalException why = c.getCloseReason();
      assertTrue(why.isHardError());
      AMQP.Connection.Close close = assertInstanceOf(AMQP.Connection.Close.class, why.getReason());
      assertEquals(320, close.getReplyCode());
      assertEquals("CONNECTION_FORCED - vhost '" + vhost + "' is deleted", close.getReplyText());
    } finally {
      c.abort();
    }
    assertEquals(404, api.get("/api/vhosts/" + v).status());
    assertEquals(201, api.put("/api/vhosts/" + v, "{}").status(), "made again, empty");
    Reply queues = api.get("/api/queues/" + v);
    assertEquals(200, queues.status());
    assertEquals(0, queues.json().size(), "the old queue is not back");
    JsonNode permissions = api.get("/api/vhosts/" + v + "/permissions").json();
    assertEquals(1, permissions.size(), "only its creator's, given anew: " + permissions);
    assertEquals("guest", permissions.get(0).get("user").asText());
  }
}
