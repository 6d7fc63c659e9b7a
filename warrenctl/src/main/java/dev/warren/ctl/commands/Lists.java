package dev.warren.ctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.ctl.ApiResponse;
import dev.warren.ctl.Column;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.CtlException;
import dev.warren.ctl.ErlangTerms;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Fetching the lists the list commands print. */
final class Lists {
  private Lists() {}

  /**
   * A list rabbitmqctl streams (see {@link dev.warren.ctl.Output}): the banner, then the API's rows
   * at {@code path} (none when it answers 404). Returns the exit status.
   */
  static int stream(Ctl ctl, String banner, String path, List<Column> columns, boolean headers) {
    ctl.out().banner(banner);
    ctl.out().table(columns, fetch(ctl, path), headers, true);
    return 0;
  }

  /**
   * A list rabbitmqctl prints whole (an empty one as an empty line) from the virtual host of the
   * run (-p): the banner, then the API's rows at {@code path}; a 404 means the virtual host does
   * not exist (65). Returns the exit status.
   */
  static int printForVhost(
      Ctl ctl, String banner, String path, List<Column> columns, boolean headers) {
    ctl.out().banner(banner);
    ctl.out().table(columns, inVhost(ctl, path, ctl.vhost()), headers, false);
    return 0;
  }

  /** The API's list at {@code path}; empty when it answers 404 (an unknown virtual host). */
  static List<JsonNode> fetch(Ctl ctl, String path) {
    return find(ctl, path).orElse(List.of());
  }

  /** The API's list at {@code path}, or nothing when it answers 404. */
  static Optional<List<JsonNode>> find(Ctl ctl, String path) {
    ApiResponse response = ctl.api().get(path);
    if (response.notFound()) {
      return Optional.empty();
    }
    if (!response.ok() || !response.body().isArray()) {
      throw ctl.api().unexpected("GET", path, response);
    }
    List<JsonNode> rows = new ArrayList<>();
    response.body().forEach(rows::add);
    return Optional.of(rows);
  }

  /** The API's list for a virtual host that must exist (rabbitmqctl: 65 otherwise). */
  static List<JsonNode> inVhost(Ctl ctl, String path, String vhost) {
    return find(ctl, path).orElseThrow(() -> CtlException.noSuchVhost(vhost));
  }

  /** rabbitmqctl's "Timeout: 60.0 seconds ..." line, for the commands that print it. */
  static String timeoutBanner(Ctl ctl, double defaultSeconds) {
    return "Timeout: "
        + ErlangTerms.floatText(ctl.timeoutSeconds().orElse(defaultSeconds))
        + " seconds ...";
  }
}
