package dev.warren.broker.access;

import java.util.List;
import java.util.Objects;

/**
 * A user as RabbitMQ's internal database keeps it: a salted password hash in a named algorithm,
 * tags, and limits.
 *
 * @param maxConnections most connections open at once, or -1 for no limit
 * @param maxChannels most channels open at once over all its connections, or -1 for no limit
 */
public record User(
    String name,
    String passwordHash,
    String hashingAlgorithm,
    List<String> tags,
    long maxConnections,
    long maxChannels) {

  /** RabbitMQ's tag that lets a user publish with another user's {@code user_id}. */
  public static final String IMPERSONATOR = "impersonator";

  public User {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(passwordHash, "passwordHash");
    Objects.requireNonNull(hashingAlgorithm, "hashingAlgorithm");
    tags = List.copyOf(tags);
  }

  public boolean hasTag(String tag) {
    return tags.contains(tag);
  }
}
