package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.Warrenctl;
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
    Limits.putEach(ctl, "user-limits", username, limits);
    ctl.out().ok();
    return 0;
  }
}
