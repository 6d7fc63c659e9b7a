package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.ManagementApi;
import dev.warren.ctl.Warrenctl;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** set_user_tags: the user read, then PUT back with its password hash and the new tags. */
@Command(
    name = "set_user_tags",
    description = "Sets user tags",
    customSynopsis = "set_user_tags <username> <tag> [...]")
public final class SetUserTags implements Callable<Integer> {
  @ParentCommand Warrenctl root;

  @Parameters(index = "0", paramLabel = "<username>")
  String username;

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "<tag>")
  List<String> tags = List.of();

  @Override
  public Integer call() {
    Ctl ctl = root.ctl();
    ctl.out()
        .banner(
            "Setting tags for user \"" + username + "\" to [" + String.join(", ", tags) + "] ...");
    JsonNode user = Users.get(ctl, username);
    ObjectNode body = ManagementApi.JSON.createObjectNode();
    body.put("password_hash", user.path("password_hash").asText(""));
    if (user.hasNonNull("hashing_algorithm")) {
      body.put("hashing_algorithm", user.path("hashing_algorithm").asText());
    }
    body.put("tags", String.join(",", tags));
    Users.put(ctl, username, body);
    ctl.out().ok();
    return 0;
  }
}
