package dev.warren.broker.access;

import java.util.Map;

/**
 * What one connection's user may do in the virtual host it opened: its permissions and topic
 * permissions as they are now (a change made while the connection is open applies to its next
 * operation). Read by the connection's event loop; the slots it reads are updated by the metadata
 * writer.
 */
public final class Grants {
  private final User user;
  private final AccessControl.Slot slot;
  private final TopicPermission.Variables variables;

  Grants(User user, AccessControl.Slot slot, TopicPermission.Variables variables) {
    this.user = user;
    this.slot = slot;
    this.variables = variables;
  }

  public User user() {
    return user;
  }

  public String vhost() {
    return variables.vhost();
  }

  public boolean mayConfigure(String name) {
    Permission p = slot.permission;
    return p != null && p.mayConfigure(name);
  }

  public boolean mayWrite(String name) {
    Permission p = slot.permission;
    return p != null && p.mayWrite(name);
  }

  public boolean mayRead(String name) {
    Permission p = slot.permission;
    return p != null && p.mayRead(name);
  }

  /**
   * Whether publishing to the topic exchange with this routing key is allowed: true when the user
   * has no topic permission on that exchange (RabbitMQ's default).
   */
  public boolean mayWriteTopic(String exchange, String routingKey) {
    TopicPermission p = topic(exchange);
    return p == null || p.mayWrite(routingKey, variables);
  }

  /** Whether binding from the topic exchange with this routing key is allowed. */
  public boolean mayReadTopic(String exchange, String routingKey) {
    TopicPermission p = topic(exchange);
    return p == null || p.mayRead(routingKey, variables);
  }

  private TopicPermission topic(String exchange) {
    Map<String, TopicPermission> topics = slot.topics;
    return topics.isEmpty() ? null : topics.get(exchange);
  }
}
