package dev.warren.management.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A path template ({@code /api/queues/{vhost}/{name}}) and its endpoint per HTTP method. Built once
 * at start-up, read by every worker thread afterwards.
 */
public final class Route {
  private final List<String> segments;
  private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

  Route(String template) {
    this.segments = List.of(template.substring(1).split("/", -1));
  }

  public Route get(Endpoint e) {
    return on("GET", e);
  }

  public Route put(Endpoint e) {
    return on("PUT", e);
  }

  public Route post(Endpoint e) {
    return on("POST", e);
  }

  public Route delete(Endpoint e) {
    return on("DELETE", e);
  }

  private Route on(String method, Endpoint e) {
    endpoints.put(method, e);
    return this;
  }

  Endpoint endpoint(String method) {
    return endpoints.get("HEAD".equals(method) ? "GET" : method);
  }

  /** The methods the route answers, for a 405's {@code allow} header. */
  String allow() {
    StringBuilder sb = new StringBuilder();
    Set<String> ms = endpoints.keySet();
    if (ms.contains("GET")) {
      sb.append("HEAD, GET, ");
    }
    for (String m : ms) {
      if (!m.equals("GET")) {
        sb.append(m).append(", ");
      }
    }
    return sb.append("OPTIONS").toString();
  }

  /** The decoded path variables when the raw segments fit the template, else null. */
  Map<String, String> match(String[] raw) {
    if (raw.length != segments.size()) {
      return null;
    }
    Map<String, String> vars = null;
    for (int i = 0; i < raw.length; i++) {
      String s = segments.get(i);
      if (s.startsWith("{")) {
        if (vars == null) {
          vars = new LinkedHashMap<>();
        }
        vars.put(s.substring(1, s.length() - 1), PathCodec.decode(raw[i]));
      } else if (!s.equals(raw[i])) {
        return null;
      }
    }
    return vars == null ? Map.of() : vars;
  }
}
