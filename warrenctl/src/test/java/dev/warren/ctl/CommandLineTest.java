package dev.warren.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What does not get as far as a command's work: unknown commands, command lines that do not fit, a
 * broker that cannot be reached or refuses our credentials, and where the API and credentials come
 * from.
 */
class CommandLineTest extends CtlTestSupport {
  static final String ROOT_USAGE =
      lines(
          "Usage",
          "",
          "warrenctl [--node <node>] [--timeout <timeout>] [--longnames] [--quiet] <command>"
              + " [<command options>]",
          "",
          "Available commands:",
          "");

  @Test
  void anUnknownCommandSaysSoThenListsTheCommandsWithStatus64() {
    Run run = ctl("frobnicate");

    assertEquals(64, run.exitCode());
    assertEquals("", run.out());
    assertTrue(
        run.err().startsWith(lines("", "Command 'frobnicate' not found. ", "") + ROOT_USAGE),
        run.err());
    assertContains(
        "\n   list_queues                   Lists queues and their properties\n", run.err());
    assertTrue(
        run.err()
            .endsWith(
                lines(
                    "", "Use 'warrenctl <command> --help' to learn more about a specific command")),
        run.err());
  }

  @Test
  void noCommandAtAllPrintsTheUsageWithStatus64() {
    Run run = ctl();

    assertEquals(64, run.exitCode());
    assertTrue(run.err().startsWith(lines("") + ROOT_USAGE), run.err());
  }

  @Test
  void tooFewArgumentsAreStatus64WithTheCommandsUsage() {
    Run run = ctl("add_user");

    assertEquals(64, run.exitCode());
    assertEquals(
        lines(
            "Error (argument validation): not enough arguments.",
            "Arguments given:",
            "\tadd_user",
            "",
            "Usage",
            "",
            "warrenctl [--node <node>] [--longnames] [--quiet] add_user <username> <password>"),
        run.err());
  }

  @Test
  void tooManyArgumentsAreStatus64() {
    Run run = ctl("-n", "rabbit@here", "set_permissions", "alice", "a", "b", "c", "d");

    assertEquals(64, run.exitCode());
    assertTrue(
        run.err()
            .startsWith(
                lines(
                    "Error (argument validation): too many arguments.",
                    "Arguments given:",
                    "\t-n rabbit@here set_permissions alice a b c d")),
        run.err());
  }

  @Test
  void anOptionTheCommandDoesNotTakeIsStatus64() {
    Run run = ctl("list_queues", "--frobnicate");

    assertEquals(64, run.exitCode());
    assertTrue(
        run.err()
            .startsWith(
                lines(
                    "Error (argument validation): Invalid options for this command:",
                    "--frobnicate : ",
                    "Arguments given:")),
        run.err());
  }

  @Test
  void anUnreachableBrokerIsStatus69WithDiagnostics() {
    String url = stopApiNow();

    Run run = run(Map.of("WARRENCTL_URL", url), "", "list_queues");

    assertEquals(69, run.exitCode());
    String authority = url.substring("http://".length());
    assertTrue(
        run.err()
            .startsWith(
                lines(
                    "Error: unable to perform an operation on node '"
                        + authority
                        + "'. Please see diagnostics information and suggestions below.",
                    "",
                    "Most common reasons for this are:",
                    "",
                    " * Target node is unreachable (e.g. due to hostname resolution, TCP connection"
                        + " or firewall issues)",
                    " * Target node is not running, or does not serve the management HTTP API",
                    " * WARRENCTL_URL (or --url) names the wrong address",
                    "",
                    "DIAGNOSTICS",
                    "===========",
                    "",
                    "attempted to contact: " + url + "/",
                    "error: java.net.ConnectException: the connection was refused or the host is"
                        + " unreachable")),
        run.err());
    // The banners come first, as rabbitmqctl prints them before it fails.
    assertEquals(lines("Timeout: 60.0 seconds ...", "Listing queues for vhost / ..."), run.out());
  }

  @Test
  void theNodeFlagNamesTheNodeInTheUnreachableMessage() {
    String url = stopApiNow();

    Run run = run(Map.of("WARRENCTL_URL", url), "", "-n", "rabbit@elsewhere", "status");

    assertEquals(69, run.exitCode());
    assertTrue(
        run.err().startsWith("Error: unable to perform an operation on node 'rabbit@elsewhere'."),
        run.err());
  }

  @Test
  void credentialsTheApiRefusesAreStatus69SayingWhereTheyCameFrom() {
    Run run =
        run(
            Map.of("WARRENCTL_URL", url(), "WARRENCTL_USER", "guest", "WARRENCTL_PASSWORD", "bad"),
            "",
            "list_users");

    assertEquals(69, run.exitCode());
    assertEquals(
        lines(
            "Error: the management API at "
                + url()
                + "/ refused the credentials of user 'guest' (Login failed).",
            "Set WARRENCTL_USER and WARRENCTL_PASSWORD, or --api-user and --api-password."),
        run.err());
  }

  @Test
  void credentialsComeFromTheEnvironmentOrFlagsAndFlagsWin() {
    ctl("add_user", "admin", "s3cret");
    ctl("set_user_tags", "admin", "administrator");

    Map<String, String> env =
        Map.of("WARRENCTL_URL", url(), "WARRENCTL_USER", "admin", "WARRENCTL_PASSWORD", "s3cret");
    assertEquals(0, run(env, "", "list_users").exitCode());
    assertEquals(
        0,
        run(
                Map.of(),
                "",
                "--url",
                url(),
                "--api-user",
                "admin",
                "--api-password",
                "s3cret",
                "list_users")
            .exitCode());
    assertEquals(
        69, run(env, "", "--api-user", "guest", "--api-password", "nope", "list_users").exitCode());
  }

  @Test
  void aFormatterWarrenctlDoesNotHaveIsAnArgumentError() {
    Run run = ctl("list_queues", "--formatter", "csv");

    assertEquals(64, run.exitCode());
    assertTrue(
        run.err()
            .startsWith(
                lines(
                    "Error (argument validation): formatter 'csv' is not supported by warrenctl"
                        + " (table, json)")),
        run.err());
  }
}
