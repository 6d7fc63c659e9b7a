package dev.warren.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * set_permissions, clear_permissions, list_permissions, list_user_permissions and the topic
 * permission commands, with rabbitmqctl's statuses: an unknown user 67, an unknown virtual host 69
 * when changing and 65 when listing. Rows come in the API's order (by user or virtual host);
 * RabbitMQ lists them in its table's order.
 */
class PermissionCommandsTest extends CtlTestSupport {
  static final String OK_JSON = lines("{\"node\":\"warren@localhost\",\"result\":\"ok\"}");

  @BeforeEach
  void aliceAndDev() {
    ctl("add_user", "alice", "secret");
    ctl("add_vhost", "dev");
  }

  @Test
  void setPermissionsThenListThemByVirtualHostAndByUser() {
    Run set = ctl("set_permissions", "-p", "dev", "alice", "^alice-.*", ".*", ".*");

    assertEquals(0, set.exitCode());
    assertEquals(lines("Setting permissions for user \"alice\" in vhost \"dev\" ..."), set.out());
    assertEquals(
        OK_JSON, ctl("set_permissions", "alice", "", "", ".*", "--formatter", "json").out());
    assertEquals(
        lines(
            "Listing permissions for vhost \"dev\" ...",
            "user\tconfigure\twrite\tread",
            "alice\t^alice-.*\t.*\t.*"),
        ctl("list_permissions", "-p", "dev").out());
    assertEquals(
        lines(
            "[",
            "{\"user\":\"alice\",\"configure\":\"\",\"write\":\"\",\"read\":\".*\"}",
            ",{\"user\":\"guest\",\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}",
            "]"),
        ctl("list_permissions", "--formatter", "json").out());
    assertEquals(
        lines(
            "Listing permissions for user \"alice\" ...",
            "vhost\tconfigure\twrite\tread",
            "/\t\t\t.*",
            "dev\t^alice-.*\t.*\t.*"),
        ctl("list_user_permissions", "alice").out());
    assertEquals(
        lines(
            "[",
            "{\"vhost\":\"/\",\"configure\":\"\",\"write\":\"\",\"read\":\".*\"}",
            ",{\"vhost\":\"dev\",\"configure\":\"^alice-.*\",\"write\":\".*\",\"read\":\".*\"}",
            "]"),
        ctl("list_user_permissions", "alice", "--formatter", "json").out());
  }

  @Test
  void anEmptyPermissionListPrintsOneEmptyLineAndInJsonAnEmptyArray() {
    assertEquals(
        lines("Listing permissions for vhost \"dev\" ...", ""),
        ctl("list_permissions", "-p", "dev").out());
    assertEquals(lines("[]"), ctl("list_permissions", "-p", "dev", "--formatter", "json").out());
    assertEquals(
        lines("Listing topic permissions for vhost \"dev\" ...", ""),
        ctl("list_topic_permissions", "-p", "dev").out());
  }

  @Test
  void changingPermissionsOfAnUnknownUserIs67AndInAnUnknownVirtualHost69() {
    Run noUser = ctl("set_permissions", "-p", "dev", "nobody", ".*", ".*", ".*");
    Run noVhost = ctl("set_permissions", "-p", "novhost", "alice", ".*", ".*", ".*");
    Run clearNoUser = ctl("clear_permissions", "nobody");
    Run clearNoVhost = ctl("clear_permissions", "-p", "novhost", "alice");

    assertEquals(67, noUser.exitCode());
    assertEquals(
        lines("Setting permissions for user \"nobody\" in vhost \"dev\" ..."), noUser.out());
    assertEquals(lines("Error:", "User nobody does not exist"), noUser.err());
    assertEquals(69, noVhost.exitCode());
    assertEquals(lines("Error:", "Virtual host novhost does not exist"), noVhost.err());
    assertEquals(67, clearNoUser.exitCode());
    assertEquals(lines("Error:", "User nobody does not exist"), clearNoUser.err());
    assertEquals(69, clearNoVhost.exitCode());
    assertEquals(lines("Error:", "Virtual host novhost does not exist"), clearNoVhost.err());
  }

  @Test
  void listingPermissionsOfAnUnknownVirtualHostIs65AndOfAnUnknownUser69() {
    Run vhost = ctl("list_permissions", "-p", "novhost");
    Run topic = ctl("list_topic_permissions", "-p", "novhost");
    Run user = ctl("list_user_permissions", "nobody");

    assertEquals(65, vhost.exitCode());
    assertEquals(lines("Listing permissions for vhost \"novhost\" ..."), vhost.out());
    assertEquals(lines("Virtual host 'novhost' does not exist"), vhost.err());
    assertEquals(65, topic.exitCode());
    assertEquals(lines("Virtual host 'novhost' does not exist"), topic.err());
    assertEquals(69, user.exitCode());
    assertEquals(lines("Listing permissions for user \"nobody\" ..."), user.out());
    assertEquals(lines("Error:", "{:no_such_user, \"nobody\"}"), user.err());
  }

  @Test
  void clearPermissionsRemovesThemAndClearingNoneIsNotAnError() {
    ctl("set_permissions", "alice", ".*", ".*", ".*");

    Run clear = ctl("clear_permissions", "alice");
    Run again = ctl("clear_permissions", "alice");

    assertEquals(0, clear.exitCode());
    assertEquals(lines("Clearing permissions for user \"alice\" in vhost \"/\" ..."), clear.out());
    assertEquals(0, again.exitCode());
    assertEquals(
        lines("user\tconfigure\twrite\tread", "guest\t.*\t.*\t.*"),
        ctl("-q", "list_permissions").out());
  }

  @Test
  void topicPermissionsAreSetPerExchangeAndClearedOneExchangeOrAllAtOnce() {
    Run set = ctl("set_topic_permissions", "-p", "dev", "alice", "amq.topic", "^a", "^b");
    ctl("set_topic_permissions", "-p", "dev", "alice", "logs", ".*", ".*");

    assertEquals(0, set.exitCode());
    assertEquals(
        lines("Setting topic permissions on \"amq.topic\" for user \"alice\" in vhost \"dev\" ..."),
        set.out());
    assertEquals(
        lines(
            "Listing topic permissions for vhost \"dev\" ...",
            "user\texchange\twrite\tread",
            "alice\tamq.topic\t^a\t^b",
            "alice\tlogs\t.*\t.*"),
        ctl("list_topic_permissions", "-p", "dev").out());
    assertEquals(
        lines(
            "[",
            "{\"user\":\"alice\",\"exchange\":\"amq.topic\",\"write\":\"^a\",\"read\":\"^b\"}",
            ",{\"user\":\"alice\",\"exchange\":\"logs\",\"write\":\".*\",\"read\":\".*\"}",
            "]"),
        ctl("list_topic_permissions", "-p", "dev", "--formatter", "json").out());

    Run clearOne = ctl("clear_topic_permissions", "-p", "dev", "alice", "logs");

    assertEquals(
        lines("Clearing topic permissions on \"logs\" for user \"alice\" in vhost \"dev\" ..."),
        clearOne.out());
    assertEquals(
        lines("user\texchange\twrite\tread", "alice\tamq.topic\t^a\t^b"),
        ctl("-q", "list_topic_permissions", "-p", "dev").out());

    Run clearAll = ctl("clear_topic_permissions", "-p", "dev", "alice");

    assertEquals(
        lines("Clearing topic permissions for user \"alice\" in vhost \"dev\" ..."),
        clearAll.out());
    assertEquals(lines(""), ctl("-q", "list_topic_permissions", "-p", "dev").out());
    assertEquals(
        OK_JSON, ctl("clear_topic_permissions", "-p", "dev", "alice", "--formatter", "json").out());
  }

  @Test
  void topicPermissionsOfAnUnknownUserAre67AndInAnUnknownVirtualHost69() {
    Run noUser = ctl("set_topic_permissions", "-p", "dev", "nobody", "amq.topic", ".*", ".*");
    Run noVhost = ctl("set_topic_permissions", "-p", "novhost", "alice", "amq.topic", ".*", ".*");
    Run clearNoUser = ctl("clear_topic_permissions", "-p", "dev", "nobody");

    assertEquals(67, noUser.exitCode());
    assertEquals(lines("Error:", "User nobody does not exist"), noUser.err());
    assertEquals(69, noVhost.exitCode());
    assertEquals(lines("Error:", "Virtual host novhost does not exist"), noVhost.err());
    assertEquals(67, clearNoUser.exitCode());
    assertEquals(
        lines("Clearing topic permissions for user \"nobody\" in vhost \"dev\" ..."),
        clearNoUser.out());
  }
}
