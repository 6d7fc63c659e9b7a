package dev.warren.ctl;

import java.io.InputStream;
import java.util.Optional;

/**
 * What a command works with, built once per run from the global options and the environment: the
 * API client, the output, the virtual host (-p, default "/"), the node's name, the -t timeout and
 * standard input. Used from the one thread that runs the command.
 */
public final class Ctl {
  private final ManagementApi api;
  private final Output output;
  private final String vhost;
  private final NodeName node;
  private final Optional<Double> timeoutSeconds;
  private final InputStream stdin;

  /**
   * @param timeoutSeconds the -t argument, if given
   */
  Ctl(
      ManagementApi api,
      Output output,
      String vhost,
      NodeName node,
      Optional<Double> timeoutSeconds,
      InputStream stdin) {
    this.api = api;
    this.output = output;
    this.vhost = vhost;
    this.node = node;
    this.timeoutSeconds = timeoutSeconds;
    this.stdin = stdin;
  }

  public ManagementApi api() {
    return api;
  }

  public Output out() {
    return output;
  }

  public String vhost() {
    return vhost;
  }

  public Optional<Double> timeoutSeconds() {
    return timeoutSeconds;
  }

  public InputStream stdin() {
    return stdin;
  }

  /** The node's name as output shows it (see {@link NodeName}). */
  public String node() {
    return node.get();
  }

  /** Whether the virtual host exists. */
  public boolean vhostExists(String name) {
    return exists(ApiPath.of("vhosts", name));
  }

  /** Whether the user exists. */
  public boolean userExists(String name) {
    return exists(ApiPath.of("users", name));
  }

  private boolean exists(String path) {
    ApiResponse response = api.get(path);
    if (response.notFound()) {
      return false;
    }
    if (!response.ok()) {
      throw api.unexpected("GET", path, response);
    }
    return true;
  }
}
