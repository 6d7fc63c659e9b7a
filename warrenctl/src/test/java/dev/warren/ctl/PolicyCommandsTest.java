package dev.warren.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warren.management.spi.Parameter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** set_policy, clear_policy, list_policies, their operator policy twins, and runtime parameters. */
class PolicyCommandsTest extends CtlTestSupport {
  static final String OK_JSON = lines("{\"node\":\"warren@localhost\",\"result\":\"ok\"}");

  @Test
  void setPolicyThenListItWithTheDefinitionAsCompactJsonKeysSorted() {
    Run set =
        ctl(
            "set_policy",
            "--priority",
            "1",
            "--apply-to",
            "queues",
            "ttl",
            "^orders$",
            "{\"message-ttl\":60000,\"max-length\":100}");

    assertEquals(0, set.exitCode());
    assertEquals(
        lines(
            "Setting policy \"ttl\" for pattern \"^orders$\" to"
                + " \"{\"message-ttl\":60000,\"max-length\":100}\" with priority \"1\" for vhost"
                + " \"/\" ..."),
        set.out());
    assertEquals(
        lines(
            "Listing policies for vhost \"/\" ...",
            "vhost\tname\tpattern\tapply-to\tdefinition\tpriority",
            "/\tttl\t^orders$\tqueues\t{\"max-length\":100,\"message-ttl\":60000}\t1"),
        ctl("list_policies").out());
    assertEquals(
        lines(
            "[",
            "{\"vhost\":\"/\",\"name\":\"ttl\",\"pattern\":\"^orders$\",\"apply-to\":\"queues\","
                + "\"definition\":\"{\\\"max-length\\\":100,\\\"message-ttl\\\":60000}\","
                + "\"priority\":1}",
            "]"),
        ctl("list_policies", "--formatter", "json").out());
  }

  @Test
  void noPoliciesPrintOneEmptyLineAndInJsonAnEmptyArray() {
    assertEquals(lines("Listing policies for vhost \"/\" ...", ""), ctl("list_policies").out());
    assertEquals(lines("[]"), ctl("list_policies", "--formatter", "json").out());
  }

  @Test
  void aPolicyTheBrokerRejectsIsStatus69WithItsValidationMessage() {
    Run bad = ctl("set_policy", "lim", ".*", "{\"max-length\":\"x\"}");
    Run notJson = ctl("set_policy", "lim", ".*", "{bad");

    assertEquals(69, bad.exitCode());
    assertEquals(
        lines(
            "Setting policy \"lim\" for pattern \".*\" to \"{\"max-length\":\"x\"}\" with priority"
                + " \"0\" for vhost \"/\" ..."),
        bad.out());
    assertEquals(
        lines("Error:", "Validation failed", "", "<<\"x\">> is not a valid maximum length", ""),
        bad.err());
    assertEquals(69, notJson.exitCode());
    assertEquals(lines("Error:", "JSON decoding error. Reason: badarg"), notJson.err());
  }

  @Test
  void policiesInAnUnknownVirtualHostAreStatus65() {
    Run set = ctl("set_policy", "-p", "novhost", "lim", ".*", "{\"max-length\":1}");
    Run list = ctl("list_policies", "-p", "novhost");

    assertEquals(65, set.exitCode());
    assertEquals(lines("Virtual host 'novhost' does not exist"), set.err());
    assertEquals(65, list.exitCode());
    assertEquals(lines("Listing policies for vhost \"novhost\" ..."), list.out());
    assertEquals(lines("Virtual host 'novhost' does not exist"), list.err());
  }

  @Test
  void clearPolicyRemovesItAndClearingOneThatDoesNotExistIsStatus69() {
    ctl("set_policy", "ttl", ".*", "{\"message-ttl\":1}");

    Run clear = ctl("clear_policy", "ttl");
    Run again = ctl("clear_policy", "ttl");

    assertEquals(0, clear.exitCode());
    assertEquals(lines("Clearing policy \"ttl\" on vhost \"/\" ..."), clear.out());
    assertEquals(69, again.exitCode());
    assertEquals(lines("Error:", "Parameter does not exist"), again.err());
    assertEquals(OK_JSON, setPolicyInJson());
  }

  private String setPolicyInJson() {
    return ctl("set_policy", "all", ".*", "{\"max-length\":5}", "--formatter", "json").out();
  }

  @Test
  void operatorPoliciesHaveTheirOwnWording() {
    Run set =
        ctl("set_operator_policy", "--apply-to", "queues", "cap", ".*", "{\"max-length\":1000}");

    assertEquals(0, set.exitCode());
    assertEquals(
        lines(
            "Setting operator policy override \"cap\" for pattern \".*\" to"
                + " \"{\"max-length\":1000}\" with priority \"0\" for vhost \"/\" ..."),
        set.out());
    assertEquals(
        lines(
            "Listing operator policy overrides for vhost \"/\" ...",
            "vhost\tname\tpattern\tapply-to\tdefinition\tpriority",
            "/\tcap\t.*\tqueues\t{\"max-length\":1000}\t0"),
        ctl("list_operator_policies").out());
    assertEquals(lines("Listing policies for vhost \"/\" ...", ""), ctl("list_policies").out());

    Run clear = ctl("clear_operator_policy", "cap");
    Run again = ctl("clear_operator_policy", "cap");

    assertEquals(lines("Clearing operator policy \"cap\" on vhost \"/\" ..."), clear.out());
    assertEquals(69, again.exitCode());
    assertEquals(lines("Error:", "Parameter does not exist"), again.err());
    assertEquals(
        lines("Listing operator policy overrides for vhost \"/\" ...", ""),
        ctl("list_operator_policies").out());
  }

  @Test
  void setParameterStoresTheValueAndClearParameterRemovesIt() {
    Run set = ctl("set_parameter", "federation-upstream", "up1", "{\"uri\":\"amqp://remote\"}");

    assertEquals(0, set.exitCode());
    assertEquals(
        lines(
            "Setting runtime parameter \"up1\" for component \"federation-upstream\" to"
                + " \"{\"uri\":\"amqp://remote\"}\" in vhost \"/\" ..."),
        set.out());
    assertEquals(
        List.of(new Parameter("/", "federation-upstream", "up1", Map.of("uri", "amqp://remote"))),
        List.copyOf(backend.parameters()));

    Run clear = ctl("clear_parameter", "federation-upstream", "up1");

    assertEquals(0, clear.exitCode());
    assertEquals(
        lines(
            "Clearing runtime parameter \"up1\" for component \"federation-upstream\" on vhost"
                + " \"/\" ..."),
        clear.out());
    assertEquals(List.of(), List.copyOf(backend.parameters()));
  }

  @Test
  void parameterFailuresAsRabbitmqctl() {
    Run notJson = ctl("set_parameter", "federation-upstream", "up1", "{x");
    Run noVhost =
        ctl("set_parameter", "-p", "novhost", "federation-upstream", "up1", "{\"uri\":\"x\"}");
    Run clearNone = ctl("clear_parameter", "federation-upstream", "up1");

    assertEquals(69, notJson.exitCode());
    assertEquals(lines("Error:", "JSON decoding error. Reason: badarg"), notJson.err());
    assertEquals(65, noVhost.exitCode());
    assertEquals(lines("Virtual host 'novhost' does not exist"), noVhost.err());
    assertEquals(69, clearNone.exitCode());
    assertEquals(lines("Error:", "Parameter does not exist"), clearNone.err());
    assertEquals(
        OK_JSON,
        ctl("set_parameter", "federation-upstream", "up2", "{\"uri\":\"x\"}", "--formatter", "json")
            .out());
    assertEquals(
        OK_JSON, ctl("clear_parameter", "federation-upstream", "up2", "--formatter", "json").out());
  }
}
