package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.ctl.ApiPath;
import dev.warren.ctl.ApiResponse;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.ExitCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Users over the API. Its PUT /api/users/{user} replaces the whole user (a PUT without a password
 * removes it, one without tags clears them), so commands that change one thing read the user first
 * and send the rest back.
 */
final class Users {
  private Users() {}

  /** rabbitmqctl's answer where a user command names a user that does not exist: 67. */
  static CtlException noSuchUser(String username) {
    return CtlException.error(ExitCode.NO_USER, "User \"" + username + "\" does not exist");
  }

  /**
   * rabbitmqctl's answer where list_user_permissions and the user limit commands name a user that
   * does not exist: the Erlang error term, 69.
   */
  static CtlException noSuchUserError(String username) {
    return CtlException.error(ExitCode.UNAVAILABLE, "{:no_such_user, \"" + username + "\"}");
  }

  /** The user's object from GET /api/users/{user}; 67 when there is no such user. */
  static JsonNode get(Ctl ctl, String username) {
    String path = ApiPath.of("users", username);
    ApiResponse response = ctl.api().get(path);
    if (response.notFound()) {
      throw noSuchUser(username);
    }
    if (!response.ok()) {
      throw ctl.api().unexpected("GET", path, response);
    }
    return response.body();
  }

  /** PUT /api/users/{user} of the whole user (see the class comment); any refusal is 69. */
  static void put(Ctl ctl, String username, ObjectNode user) {
    String path = ApiPath.of("users", username);
    ApiResponse response = ctl.api().put(path, user);
    if (!response.ok()) {
      throw ctl.api().unexpected("PUT", path, response);
    }
  }

  /** The user's tags as a list (the API sends a list; older versions a comma-separated string). */
  static List<String> tags(JsonNode user) {
    List<String> tags = new ArrayList<>();
    JsonNode field = user.path("tags");
    if (field.isArray()) {
      field.forEach(t -> tags.add(t.asText()));
    } else if (!field.asText().isEmpty()) {
      for (String t : field.asText().split(",")) {
        tags.add(t.trim());
      }
    }
    return tags;
  }
}
