package dev.warren.ctl;

import java.util.Optional;

/**
 * The node's name as output shows it (JSON results, status, close_all_connections --global): the -n
 * argument when given, otherwise the name the broker reports in /api/overview, asked at most once
 * and only when something prints it. Used from the one thread that runs the command.
 */
public final class NodeName {
  private final Optional<String> flag;
  private final ManagementApi api;
  private String name;

  /**
   * @param flag the -n argument, already expanded to name@host
   */
  NodeName(Optional<String> flag, ManagementApi api) {
    this.flag = flag;
    this.api = api;
  }

  public String get() {
    if (name == null) {
      name = flag.orElseGet(() -> api.require(ApiPath.of("overview")).path("node").asText());
    }
    return name;
  }
}
