package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.ctl.ApiResponse;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.ExitCode;

/**
 * Changes to runtime parameters in the virtual host of the run (-p), policies and operator policies
 * included: RabbitMQ keeps policies as runtime parameters, and rabbitmqctl reports the API's
 * answers to all of them alike. Each method prints the JSON format's "ok" and returns the exit
 * status.
 */
final class RuntimeParameters {
  private RuntimeParameters() {}

  /** PUT: a 404 is the virtual host missing (65), another refusal the API's reason (69). */
  static int put(Ctl ctl, String path, JsonNode body) {
    ApiResponse response = ctl.api().put(path, body);
    if (response.notFound()) {
      throw CtlException.noSuchVhost(ctl.vhost());
    }
    if (!response.ok()) {
      throw CtlException.error(ExitCode.UNAVAILABLE, response.reason());
    }
    ctl.out().ok();
    return 0;
  }

  /** DELETE: none by that name is rabbitmqctl's "Parameter does not exist" (69). */
  static int delete(Ctl ctl, String path) {
    ApiResponse response = ctl.api().delete(path);
    if (response.notFound()) {
      throw CtlException.error(ExitCode.UNAVAILABLE, "Parameter does not exist");
    }
    if (!response.ok()) {
      throw ctl.api().unexpected("DELETE", path, response);
    }
    ctl.out().ok();
    return 0;
  }
}
