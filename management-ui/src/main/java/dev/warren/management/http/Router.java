package dev.warren.management.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Routes in the order they were added: the first template that fits wins, so literal routes ({@code
 * /api/users/without-permissions}) go before the variable ones ({@code /api/users/{user}}), as in
 * RabbitMQ's dispatcher. Filled at start-up, then only read.
 */
public final class Router {
  private final List<Route> routes = new ArrayList<>();

  public Route route(String template) {
    Route r = new Route(template);
    routes.add(r);
    return r;
  }

  /** The route and variables for a raw (still percent-encoded) path, or null. */
  Match match(String rawPath) {
    String path =
        rawPath.length() > 1 && rawPath.endsWith("/")
            ? rawPath.substring(0, rawPath.length() - 1)
            : rawPath;
    String[] raw = path.substring(1).split("/", -1);
    for (Route r : routes) {
      Map<String, String> vars = r.match(raw);
      if (vars != null) {
        return new Match(r, vars);
      }
    }
    return null;
  }

  record Match(Route route, Map<String, String> vars) {}
}
