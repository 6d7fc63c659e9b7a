package dev.warren.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.management.spi.VhostInfo;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** add_vhost, delete_vhost, vhost limits, trace_on and trace_off. */
class VhostCommandsTest extends CtlTestSupport {
  static final String OK_JSON = lines("{\"node\":\"warren@localhost\",\"result\":\"ok\"}");

  @Test
  void addVhostCreatesItWithItsDescriptionAndLeavesAnExistingOneAlone() {
    Run add = ctl("add_vhost", "dev", "--description", "Development");
    Run again = ctl("add_vhost", "dev", "--description", "Other");

    assertEquals(0, add.exitCode());
    assertEquals(lines("Adding vhost \"dev\" ..."), add.out());
    assertEquals(0, again.exitCode());
    assertEquals(lines("Adding vhost \"dev\" ..."), again.out());
    assertEquals(
        lines("name\tdescription", "/\tDefault virtual host", "dev\tDevelopment"),
        ctl("-q", "list_vhosts", "name", "description").out());
    assertEquals(OK_JSON, ctl("add_vhost", "tmp", "--formatter", "json").out());
  }

  @Test
  void addVhostGrantsNobodyPermissionsAsRabbitmqctl() {
    ctl("add_vhost", "dev");

    // The API grants its caller (guest) full permissions on a virtual host it creates.
    assertEquals(lines(""), ctl("-q", "list_permissions", "-p", "dev").out());
  }

  @Test
  void deleteVhostRemovesItAndOneThatDoesNotExistIsStatus65() {
    ctl("add_vhost", "tmp");

    Run delete = ctl("delete_vhost", "tmp");
    Run again = ctl("delete_vhost", "tmp");

    assertEquals(0, delete.exitCode());
    assertEquals(lines("Deleting vhost \"tmp\" ..."), delete.out());
    assertEquals(65, again.exitCode());
    assertEquals(lines("Deleting vhost \"tmp\" ..."), again.out());
    assertEquals(lines("Virtual host 'tmp' does not exist"), again.err());
    assertEquals(lines("name", "/"), ctl("-q", "list_vhosts").out());
  }

  @Test
  void setVhostLimitsReplacesEveryLimitOfTheVirtualHost() {
    ctl("add_vhost", "dev");

    Run set = ctl("set_vhost_limits", "-p", "dev", "{\"max-connections\":10,\"max-queues\":20}");

    assertEquals(0, set.exitCode());
    assertEquals(
        lines(
            "Setting vhost limits to \"{\"max-connections\":10,\"max-queues\":20}\" for vhost"
                + " \"dev\" ..."),
        set.out());
    assertEquals(
        lines("Listing limits for vhost \"dev\" ...", "{\"max-connections\":10,\"max-queues\":20}"),
        ctl("list_vhost_limits", "-p", "dev").out());
    assertEquals(
        lines(
            "{\"node\":\"warren@localhost\",\"result\":\"ok\","
                + "\"value\":\"{\\\"max-connections\\\":10,\\\"max-queues\\\":20}\"}"),
        ctl("list_vhost_limits", "-p", "dev", "--formatter", "json").out());

    ctl("set_vhost_limits", "-p", "dev", "{\"max-queues\":5}");

    assertEquals(Map.of("max-queues", 5L), vhost("dev").limits());
    assertEquals(
        lines("Listing limits for all vhosts ...", "vhost\tlimits", "dev\t{\"max-queues\":5}"),
        ctl("list_vhost_limits", "--global").out());
  }

  @Test
  void listVhostLimitsWithoutLimitsPrintsAnEmptyLine() {
    assertEquals(lines("Listing limits for vhost \"/\" ...", ""), ctl("list_vhost_limits").out());
  }

  @Test
  void vhostLimitsOfAVirtualHostThatDoesNotExistAreStatus65() {
    Run set = ctl("set_vhost_limits", "-p", "novhost", "{\"max-queues\":5}");
    Run list = ctl("list_vhost_limits", "-p", "novhost");

    assertEquals(65, set.exitCode());
    assertEquals(lines("Virtual host 'novhost' does not exist"), set.err());
    assertEquals(65, list.exitCode());
    assertEquals(lines("Listing limits for vhost \"novhost\" ..."), list.out());
    assertEquals(lines("Virtual host 'novhost' does not exist"), list.err());
  }

  @Test
  void limitsThatAreNotJsonAreStatus69() {
    Run set = ctl("set_vhost_limits", "{x");

    assertEquals(69, set.exitCode());
    assertEquals(lines("Setting vhost limits to \"{x\" for vhost \"/\" ..."), set.out());
    assertEquals(lines("Error:", "JSON decoding error. Reason: badarg"), set.err());
  }

  @Test
  void traceOnAndOffSwitchTheVirtualHostsFirehose() {
    Run on = ctl("trace_on");

    assertEquals(0, on.exitCode());
    assertEquals(
        lines("Starting tracing for vhost \"/\" ...", "Trace enabled for vhost /"), on.out());
    assertTrue(vhost("/").tracing());
    assertEquals("Default virtual host", vhost("/").description());

    Run off = ctl("trace_off");

    assertEquals(
        lines("Stopping tracing for vhost \"/\" ...", "Trace disabled for vhost /"), off.out());
    assertFalse(vhost("/").tracing());
  }

  @Test
  void traceResultsPrintEvenWhenQuietAndAsAValueInJson() {
    assertEquals(lines("Trace enabled for vhost /"), ctl("-q", "trace_on").out());
    assertEquals(
        lines(
            "{\"node\":\"warren@localhost\",\"result\":\"ok\",\"value\":\"Trace disabled for vhost"
                + " /\"}"),
        ctl("trace_off", "--formatter", "json").out());
  }

  @Test
  void tracingAVirtualHostThatDoesNotExistReportsSuccessAsRabbitmqctlDoes() {
    Run on = ctl("trace_on", "-p", "novhost");

    assertEquals(0, on.exitCode());
    assertEquals(
        lines("Starting tracing for vhost \"novhost\" ...", "Trace enabled for vhost novhost"),
        on.out());
  }

  private VhostInfo vhost(String name) {
    return backend.vhosts().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
  }
}
