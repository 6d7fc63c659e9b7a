package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.ctl.ApiPath;
import dev.warren.ctl.ApiResponse;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.ExitCode;

/**
 * What the permission commands share: rabbitmqctl checks the user, then the virtual host, and
 * reports each with its own status (67, 69); the API answers both with one 400, so they are asked
 * about first.
 */
final class Permissions {
  private Permissions() {}

  static void requireUserAndVhost(Ctl ctl, String username, String vhost) {
    if (!ctl.userExists(username)) {
      throw CtlException.error(ExitCode.NO_USER, "User " + username + " does not exist");
    }
    if (!ctl.vhostExists(vhost)) {
      throw CtlException.error(ExitCode.UNAVAILABLE, "Virtual host " + vhost + " does not exist");
    }
  }

  /**
   * PUT /api/{collection}/{vhost}/{user} in the virtual host of the run (-p), once the user and the
   * virtual host are known to exist; prints the JSON format's "ok" and returns the exit status.
   */
  static int put(Ctl ctl, String collection, String username, JsonNode body) {
    requireUserAndVhost(ctl, username, ctl.vhost());
    check(ctl.api().put(ApiPath.of(collection, ctl.vhost(), username), body));
    ctl.out().ok();
    return 0;
  }

  /** DELETE /api/{collection}/{vhost}/{user}, as {@link #put}; none to clear is not an error. */
  static int delete(Ctl ctl, String collection, String username) {
    requireUserAndVhost(ctl, username, ctl.vhost());
    check(ctl.api().delete(ApiPath.of(collection, ctl.vhost(), username)));
    ctl.out().ok();
    return 0;
  }

  /** A change the API refused (an invalid regular expression): its reason, status 69. */
  static void check(ApiResponse response) {
    if (!response.ok() && !response.notFound()) {
      throw CtlException.error(ExitCode.UNAVAILABLE, response.reason());
    }
  }
}
