package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.ctl.ApiPath;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.UsageException;
import dev.warren.ctl.Warrenctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * status: GET /api/overview, /api/nodes/{node}?memory=true and /api/vhosts, shown in rabbitmqctl's
 * sections ({@link StatusText}) or as its JSON object ({@link StatusJson}).
 */
@Command(
    name = "status",
    description = "Displays status of a node",
    customSynopsis = "status [--unit <unit>] [--timeout <timeout>]")
public final class Status implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Option(names = "--unit", paramLabel = "<bytes | mb | gb>", description = "byte multiple")
  String unit = "gb";

  @Override
  public Integer call() {
    double divisor =
        switch (unit) {
          case "bytes" -> 1;
          case "mb" -> 1e6;
          case "gb" -> 1e9;
          default -> throw new UsageException("unit '" + unit + "' is not one of bytes, mb, gb");
        };
    Ctl ctl = root.ctl();
    JsonNode overview = ctl.api().require(ApiPath.of("overview"));
    JsonNode node =
        ctl.api().require(ApiPath.of("nodes", overview.path("node").asText()) + "?memory=true");
    int vhosts = ctl.api().require(ApiPath.of("vhosts")).size();
    if (ctl.out().json()) {
      ctl.out().raw(StatusJson.of(overview, node, vhosts) + "\n");
      return 0;
    }
    ctl.out().banner("Status of node " + ctl.node() + " ...");
    ctl.out().raw(new StatusText(overview, node, vhosts, unit, divisor).render());
    return 0;
  }

  /** A field the API reported: not missing, not null, not a negative count (-1: unknown). */
  static boolean reported(JsonNode value) {
    return !value.isMissingNode()
        && !value.isNull()
        && !(value.isNumber() && value.doubleValue() < 0);
  }

  /** What rabbitmqctl shows for a listener's protocol. */
  static String purpose(String protocol) {
    return switch (protocol) {
      case "amqp" -> "AMQP 0-9-1 and AMQP 1.0";
      case "amqp/ssl" -> "AMQP 0-9-1 and AMQP 1.0 over TLS";
      case "clustering" -> "inter-node and CLI tool communication";
      case "http" -> "HTTP API";
      case "https" -> "HTTP API over TLS (HTTPS)";
      case "http/prometheus" -> "Prometheus exporter API over HTTP";
      case "mqtt" -> "MQTT";
      case "stomp" -> "STOMP";
      default -> protocol;
    };
  }
}
