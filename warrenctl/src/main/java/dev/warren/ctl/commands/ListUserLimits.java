package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.ctl.ApiPath;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.ManagementApi;
import dev.warren.ctl.ValueKind;
import dev.warren.ctl.Warrenctl;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * list_user_limits --user U: GET /api/user-limits/{user}, printed as compact JSON ("{}" when none).
 * Without --user, the user warrenctl signs in as (rabbitmqctl: the default user). A user that does
 * not exist is rabbitmqctl's 69, "{:no_such_user, ...}" (the API lists nothing for it).
 */
@Command(
    name = "list_user_limits",
    description = "Displays configured user limits",
    customSynopsis = "list_user_limits [--user <username>]")
public final class ListUserLimits implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Option(names = "--user", paramLabel = "<username>", description = "the user")
  String username;

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    String user = username != null ? username : ctl.api().endpoint().user();
    ctl.out().banner("Listing limits for user \"" + user + "\" ...");
    if (!ctl.userExists(user)) {
      throw Users.noSuchUserError(user);
    }
    List<JsonNode> rows = Lists.fetch(ctl, ApiPath.of("user-limits", user));
    JsonNode limits =
        rows.isEmpty() ? ManagementApi.JSON.createObjectNode() : rows.get(0).path("value");
    String text = ValueKind.JSON_TEXT.cellText(limits);
    if (ctl.out().json()) {
      ctl.out().jsonLine(Map.of("message", text));
    } else {
      ctl.out().line(text);
    }
    return 0;
  }
}
