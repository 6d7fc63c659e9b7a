package dev.warren.management.spi;

import java.util.Map;

/**
 * A policy or an operator policy.
 *
 * @param applyTo {@code queues}, {@code exchanges} or {@code all}
 * @param definition policy keys to JSON-like values ({@code max-length}: 100, ...)
 */
public record Policy(
    String vhost,
    String name,
    String pattern,
    String applyTo,
    Map<String, Object> definition,
    int priority) {

  public Policy {
    definition = Copies.map(definition);
  }
}
