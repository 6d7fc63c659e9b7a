package dev.warren.management.http;

import java.util.List;

/**
 * The authenticated user of a request and RabbitMQ's tag rules: {@code administrator} may do
 * everything; {@code monitoring} sees every vhost, connection and channel; {@code policymaker}
 * manages policies and parameters; {@code management} uses the API within its vhosts. A user with
 * none of these may not use the API at all.
 */
public record Caller(String name, List<String> tags) {

  public Caller {
    tags = List.copyOf(tags);
  }

  public boolean isAdmin() {
    return tags.contains("administrator");
  }

  public boolean isMonitor() {
    return isAdmin() || tags.contains("monitoring");
  }

  public boolean isPolicymaker() {
    return isAdmin() || tags.contains("policymaker");
  }

  public boolean isManagementUser() {
    return isMonitor() || isPolicymaker() || tags.contains("management");
  }
}
