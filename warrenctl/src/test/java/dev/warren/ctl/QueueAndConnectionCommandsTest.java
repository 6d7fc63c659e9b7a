package dev.warren.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warren.management.spi.ClusterNode;
import dev.warren.management.spi.QueueReplicas;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** purge_queue, delete_queue, close_connection and close_all_connections. */
class QueueAndConnectionCommandsTest extends CtlTestSupport {
  static final String OK_JSON = lines("{\"node\":\"warren@localhost\",\"result\":\"ok\"}");

  @BeforeEach
  void objects() {
    declareTopology();
    openConnection();
  }

  @Test
  void purgeQueueDropsItsMessages() {
    Run purge = ctl("purge_queue", "orders");

    assertEquals(0, purge.exitCode());
    assertEquals(lines("Purging queue 'orders' in vhost '/' ..."), purge.out());
    assertEquals(lines("orders\t0", "q.args\t0"), ctl("-s", "list_queues").out());
    assertEquals(OK_JSON, ctl("purge_queue", "orders", "--formatter", "json").out());
  }

  @Test
  void listQueuesShowsAQuorumQueuesLeaderMembersAndOnlineMembersAsRabbitmqctlPrintsLists() {
    backend.cluster(
        List.of(new ClusterNode("n2", true), new ClusterNode("n3", false)),
        new QueueReplicas("n2", List.of("n2", "n3", "warren@localhost"), List.of("n2")));
    declareQueue("/", "qq", Map.of("x-queue-type", "quorum"));

    assertEquals(
        lines("orders\t\t\t", "q.args\t\t\t", "qq\tn2\t[n2, n3, warren@localhost]\t[n2]"),
        ctl("-s", "list_queues", "name", "leader", "members", "online").out());
  }

  @Test
  void purgingAQueueThatDoesNotExistIsStatus69() {
    Run purge = ctl("purge_queue", "nosuch");
    Run inUnknownVhost = ctl("purge_queue", "-p", "novhost", "orders");

    assertEquals(69, purge.exitCode());
    assertEquals(lines("Purging queue 'nosuch' in vhost '/' ..."), purge.out());
    assertEquals(lines("Error:", "not_found"), purge.err());
    assertEquals(69, inUnknownVhost.exitCode());
    assertEquals(lines("Error:", "not_found"), inUnknownVhost.err());
  }

  @Test
  void deleteQueueReportsHowManyReadyMessagesWentWithIt() {
    Run delete = ctl("delete_queue", "orders");

    assertEquals(0, delete.exitCode());
    assertEquals(
        lines(
            "Deleting queue 'orders' on vhost '/' ...",
            "Queue was successfully deleted with 4 ready messages"),
        delete.out());
    assertEquals(lines("q.args\t0"), ctl("-s", "list_queues").out());
  }

  @Test
  void deleteQueuePrintsItsResultEvenWhenQuietAndAsAMessageInJson() {
    declareQueue("/", "tmpq", Map.of());
    publish("tmpq", "hello");

    assertEquals(
        lines("{\"message\":\"Queue was successfully deleted with 1 ready messages\"}"),
        ctl("delete_queue", "tmpq", "--formatter", "json").out());
    assertEquals(
        lines("Queue was successfully deleted with 0 ready messages"),
        ctl("-q", "delete_queue", "q.args").out());
  }

  @Test
  void deleteQueueIfEmptyRefusesAQueueWithMessagesWithStatus64() {
    Run delete = ctl("delete_queue", "orders", "--if-empty");

    assertEquals(64, delete.exitCode());
    assertEquals(lines("Deleting queue 'orders' on vhost '/' if queue is empty ..."), delete.out());
    assertEquals(lines("Error:", "Queue is not empty"), delete.err());
    assertEquals(lines("orders\t4", "q.args\t0"), ctl("-s", "list_queues").out());
  }

  @Test
  void deleteQueueNamesEveryConditionInItsBanner() {
    Run delete = ctl("delete_queue", "q.args", "-e", "-u");

    assertEquals(
        lines(
            "Deleting queue 'q.args' on vhost '/' if queue is empty and if queue is unused ...",
            "Queue was successfully deleted with 0 ready messages"),
        delete.out());
  }

  @Test
  void deletingAQueueThatDoesNotExistIsStatus64() {
    Run delete = ctl("delete_queue", "nosuch");

    assertEquals(64, delete.exitCode());
    assertEquals(lines("Deleting queue 'nosuch' on vhost '/' ..."), delete.out());
    assertEquals(lines("Error:", "Queue not found"), delete.err());
  }

  @Test
  void closeConnectionClosesItWithTheReasonGiven() {
    Run close = ctl("close_connection", CONNECTION, "bye now");

    assertEquals(0, close.exitCode());
    assertEquals(lines("Closing connection " + CONNECTION + ", reason: bye now..."), close.out());
    assertEquals(Map.of(CONNECTION, "bye now"), backend.closed);
    assertEquals("", ctl("-q", "list_connections").out());
  }

  @Test
  void closingAConnectionThatIsGoneIsNotAnError() {
    Run close = ctl("close_connection", "127.0.0.1:1 -> 127.0.0.1:5672", "bye");

    assertEquals(0, close.exitCode());
    assertEquals(OK_JSON, ctl("close_connection", CONNECTION, "bye", "--formatter", "json").out());
  }

  @Test
  void aProcessIdIsRefusedWithStatus69BecauseTheApiNamesConnections() {
    Run close = ctl("close_connection", "<rabbit@host.1.799.0>", "bye");

    assertEquals(69, close.exitCode());
    assertEquals(
        lines(
            "Error:",
            "connection process ids are not known to the management API; name the connection as"
                + " list_connections name shows it"),
        close.err());
  }

  @Test
  void closeAllConnectionsClosesEveryConnectionOfTheVirtualHost() {
    Run close = ctl("close_all_connections", "maintenance");

    assertEquals(0, close.exitCode());
    assertEquals(
        lines("Closing all connections in vhost /, reason: maintenance...", "Closed 1 connections"),
        close.out());
    assertEquals(Map.of(CONNECTION, "maintenance"), backend.closed);
  }

  @Test
  void closeAllConnectionsGloballyOrUpToALimitHasItsOwnBannerAndTheLimitIsPerVhostOnly() {
    assertEquals(
        lines("Closing 2 connections in vhost dev, reason: maintenance...", "Closed 0 connections"),
        ctl("close_all_connections", "-p", "dev", "--limit", "2", "maintenance").out());
    assertEquals(
        lines(
            "Closing all connections to node warren@localhost (across all vhosts), reason:"
                + " maintenance...",
            "Closed 1 connections"),
        ctl("close_all_connections", "--global", "--limit", "0", "maintenance").out());
  }

  @Test
  void closeAllConnectionsPrintsItsCountWhenQuietAndAsAValueInJson() {
    assertEquals(
        lines(
            "{\"node\":\"warren@localhost\",\"result\":\"ok\",\"value\":\"Closed 0 connections\"}"),
        ctl("close_all_connections", "-p", "dev", "maintenance", "--formatter", "json").out());
    assertEquals(lines("Closed 1 connections"), ctl("-q", "close_all_connections", "bye").out());
  }
}
