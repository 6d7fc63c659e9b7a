package dev.warren.management.http;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;

/**
 * A request as an endpoint sees it: path variables already percent-decoded ({@code %2F} is {@code
 * /}), the first value of each query parameter, the body, the request headers (by lower-case name)
 * and the authenticated caller.
 */
public record ApiRequest(
    String method,
    Map<String, String> pathVars,
    Map<String, String> query,
    byte[] body,
    InetAddress remote,
    Map<String, String> headers,
    Caller caller) {

  /** A path variable the route declares. */
  public String var(String name) {
    String v = pathVars.get(name);
    if (v == null) {
      throw new IllegalArgumentException("route has no variable " + name);
    }
    return v;
  }

  /** A path variable the route may not have (list routes with and without {@code {vhost}}). */
  public Optional<String> optionalVar(String name) {
    return Optional.ofNullable(pathVars.get(name));
  }

  public Optional<String> param(String name) {
    return Optional.ofNullable(query.get(name));
  }

  public Optional<String> header(String lowerCaseName) {
    return Optional.ofNullable(headers.get(lowerCaseName));
  }

  public boolean flag(String name) {
    return "true".equals(query.get(name));
  }
}
