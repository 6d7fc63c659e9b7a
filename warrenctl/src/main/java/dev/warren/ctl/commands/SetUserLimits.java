package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.ctl.ApiPath;
import dev.warren.ctl.ApiResponse;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.ExitCode;
import dev.warren.ctl.ManagementApi;
import dev.warren.ctl.Warrenctl;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * set_user_limits: one PUT /api/user-limits/{user}/{limit} per limit in the document. Limits not
 * named keep their values, as with rabbitmqctl. The API takes one limit per request, so a document
 * with a bad limit after good ones leaves the good ones set (rabbitmqctl sets none).
 */
@Command(
    name = "set_user_limits",
    description = "Sets user limits",
    customSynopsis = "set_user_limits <username> <definition>")
public final class SetUserLimits implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<username>")
  String username;

  @Parameters(index = "1", paramLabel = "<definition>")
  String definition;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    ctl.out()
        .banner("Setting user limits to \"" + definition + "\" for user \"" + username + "\" ...");
    JsonNode limits = Arguments.jsonObject(definition);
    if (!ctl.userExists(username)) {
      throw Users.noSuchUserError(username);
    }
    Iterator<Map.Entry<String, JsonNode>> fields = limits.properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> limit = fields.next();
      ApiResponse response =
          ctl.api()
              .put(
                  ApiPath.of("user-limits", username, limit.getKey()),
                  ManagementApi.JSON.createObjectNode().set("value", limit.getValue()));
      if (!response.ok()) {
        throw CtlException.error(ExitCode.UNAVAILABLE, response.reason());
      }
    }
    ctl.out().ok();
    return 0;
  }
}
