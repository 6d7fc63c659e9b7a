package dev.warren.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warren.management.spi.UserInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** add_user, delete_user, change_password, authenticate_user, set_user_tags and user limits. */
class UserCommandsTest extends CtlTestSupport {
  static final String DONE =
      "Done. Don't forget to grant the user permissions to some virtual hosts! See 'rabbitmqctl"
          + " help set_permissions' to learn more.";

  @Test
  void addUserCreatesAUserThatCanAuthenticate() {
    Run add = ctl("add_user", "alice", "secret");

    assertEquals(0, add.exitCode());
    assertEquals(lines("Adding user \"alice\" ...", DONE), add.out());
    assertEquals("", add.err());
    Run auth = ctl("authenticate_user", "alice", "secret");
    assertEquals(0, auth.exitCode());
    assertEquals(lines("Authenticating user \"alice\" ...", "Success"), auth.out());
    assertEquals(
        lines("user\ttags", "alice\t[]", "guest\t[administrator]"), ctl("-q", "list_users").out());
  }

  @Test
  void addingAUserThatExistsFailsWithStatus70() {
    ctl("add_user", "alice", "secret");

    Run again = ctl("add_user", "alice", "other");

    assertEquals(70, again.exitCode());
    assertEquals(lines("Adding user \"alice\" ..."), again.out());
    assertEquals(lines("Error:", "User \"alice\" already exists"), again.err());
    assertEquals(0, ctl("authenticate_user", "alice", "secret").exitCode());
  }

  @Test
  void addUserInJsonAndQuiet() {
    assertEquals(
        lines("{\"message\":\"" + DONE + "\",\"node\":\"warren@localhost\",\"status\":\"ok\"}"),
        ctl("add_user", "bob", "pw", "--formatter", "json").out());
    assertEquals("", ctl("-q", "add_user", "carol", "pw").out());
  }

  @Test
  void aPasswordLeftOutIsReadFromStdin() {
    Run add = ctlWithInput("secret\n", "add_user", "dave");

    assertEquals(0, add.exitCode());
    assertEquals(lines("Adding user \"dave\" ...", "Password: ", DONE), add.out());
    assertEquals("", ctlWithInput("secret\n", "-q", "add_user", "frank").out());
    Run auth = ctlWithInput("secret\n", "authenticate_user", "dave");
    assertEquals(lines("Authenticating user \"dave\" ...", "Password: ", "Success"), auth.out());
  }

  @Test
  void noPasswordAnywhereIsStatus65() {
    Run add = ctl("add_user", "erin");

    assertEquals(65, add.exitCode());
    assertEquals(lines("Adding user \"erin\" ...", "Password: "), add.out());
    assertEquals(lines("Error:", "Password is not provided via argument or stdin"), add.err());
  }

  @Test
  void authenticateUserWithAWrongPasswordIsStatus65() {
    ctl("add_user", "alice", "secret");

    Run auth = ctl("authenticate_user", "alice", "wrong");

    assertEquals(65, auth.exitCode());
    assertEquals(lines("Authenticating user \"alice\" ..."), auth.out());
    assertEquals(
        lines(
            "Error:",
            "Error: failed to authenticate user \"alice\"",
            "user 'alice' - invalid credentials"),
        auth.err());
    assertEquals(
        lines("{\"message\":\"Success\"}"),
        ctl("authenticate_user", "alice", "secret", "--formatter", "json").out());
  }

  @Test
  void changePasswordReplacesThePasswordAndKeepsTheTags() {
    ctl("add_user", "alice", "secret");
    ctl("set_user_tags", "alice", "monitoring");

    Run change = ctl("change_password", "alice", "newsecret");

    assertEquals(0, change.exitCode());
    assertEquals(lines("Changing password for user \"alice\" ..."), change.out());
    assertEquals(65, ctl("authenticate_user", "alice", "secret").exitCode());
    assertEquals(0, ctl("authenticate_user", "alice", "newsecret").exitCode());
    assertEquals(List.of("monitoring"), user("alice").tags());
  }

  @Test
  void setUserTagsReplacesTheTagsAndKeepsThePassword() {
    ctl("add_user", "alice", "secret");

    Run tags = ctl("set_user_tags", "alice", "monitoring", "management");

    assertEquals(0, tags.exitCode());
    assertEquals(
        lines("Setting tags for user \"alice\" to [monitoring, management] ..."), tags.out());
    assertEquals(
        lines(
            "Listing users ...",
            "user\ttags",
            "alice\t[monitoring, management]",
            "guest\t[administrator]"),
        ctl("list_users").out());
    assertEquals(0, ctl("authenticate_user", "alice", "secret").exitCode());
    assertEquals(
        lines("{\"node\":\"warren@localhost\",\"result\":\"ok\"}"),
        ctl("set_user_tags", "alice", "--formatter", "json").out());
    assertEquals(List.of(), user("alice").tags());
  }

  @Test
  void userCommandsOnAUserThatDoesNotExistAreStatus67() {
    Run tags = ctl("set_user_tags", "nobody", "x");
    Run password = ctl("change_password", "nobody", "x");
    Run delete = ctl("delete_user", "nobody");

    assertEquals(67, tags.exitCode());
    assertEquals(lines("Setting tags for user \"nobody\" to [x] ..."), tags.out());
    assertEquals(lines("Error:", "User \"nobody\" does not exist"), tags.err());
    assertEquals(67, password.exitCode());
    assertEquals(lines("Error:", "User \"nobody\" does not exist"), password.err());
    assertEquals(67, delete.exitCode());
    assertEquals(lines("Deleting user \"nobody\" ..."), delete.out());
    assertEquals(lines("Error:", "User \"nobody\" does not exist"), delete.err());
  }

  @Test
  void deleteUserRemovesTheUser() {
    ctl("add_user", "carol", "pw");
    ctl("add_user", "bob", "pw");

    Run delete = ctl("delete_user", "carol");

    assertEquals(0, delete.exitCode());
    assertEquals(lines("Deleting user \"carol\" ..."), delete.out());
    assertEquals(
        lines("{\"node\":\"warren@localhost\",\"result\":\"ok\"}"),
        ctl("delete_user", "bob", "--formatter", "json").out());
    assertEquals(lines("user\ttags", "guest\t[administrator]"), ctl("-q", "list_users").out());
  }

  @Test
  void nodeFlagNamesTheNodeInJsonResults() {
    assertEquals(
        lines("{\"node\":\"rabbit@elsewhere\",\"result\":\"ok\"}"),
        ctl(
                "-n",
                "rabbit@elsewhere",
                "set_user_tags",
                "guest",
                "administrator",
                "--formatter",
                "json")
            .out());
  }

  @Test
  void setUserLimitsThenListUserLimits() {
    ctl("add_user", "alice", "secret");

    Run set = ctl("set_user_limits", "alice", "{\"max-connections\":3}");

    assertEquals(0, set.exitCode());
    assertEquals(
        lines("Setting user limits to \"{\"max-connections\":3}\" for user \"alice\" ..."),
        set.out());
    assertEquals(Map.of("max-connections", 3L), user("alice").limits());
    assertEquals(
        lines("Listing limits for user \"alice\" ...", "{\"max-connections\":3}"),
        ctl("list_user_limits", "--user", "alice").out());
    assertEquals(
        lines("{\"message\":\"{\\\"max-connections\\\":3}\"}"),
        ctl("list_user_limits", "--user", "alice", "--formatter", "json").out());
  }

  @Test
  void listUserLimitsWithoutLimitsPrintsAnEmptyObjectForTheSignedInUserByDefault() {
    assertEquals(
        lines("Listing limits for user \"guest\" ...", "{}"), ctl("list_user_limits").out());
  }

  @Test
  void userLimitsOfAUserThatDoesNotExistAreStatus69WithTheErlangError() {
    Run set = ctl("set_user_limits", "nobody", "{\"max-connections\":3}");
    Run list = ctl("list_user_limits", "--user", "nobody");

    assertEquals(69, set.exitCode());
    assertEquals(lines("Error:", "{:no_such_user, \"nobody\"}"), set.err());
    assertEquals(69, list.exitCode());
    assertEquals(lines("Listing limits for user \"nobody\" ..."), list.out());
    assertEquals(lines("Error:", "{:no_such_user, \"nobody\"}"), list.err());
  }

  private UserInfo user(String name) {
    return backend.users().stream().filter(u -> u.name().equals(name)).findFirst().orElseThrow();
  }
}
