package dev.warren.persistence.definitions;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Creates a user or replaces its password hash, tags and limits. {@code passwordHash} is in the
 * format RabbitMQ names by {@code hashingAlgorithm} ({@code rabbit_password_hashing_sha256} by
 * default, see {@link PasswordHash}), the salt inside it; an empty hash means the user cannot log
 * in with a password. Tags (e.g. {@code administrator}) may not contain commas, as in RabbitMQ
 * where they are given as a comma-separated list. {@code limits} holds RabbitMQ's user limits that
 * are set ({@code max-connections}, {@code max-channels}); a limit not in the map is no limit.
 */
public record PutUser(
    String name,
    String passwordHash,
    String hashingAlgorithm,
    List<String> tags,
    Map<String, Long> limits)
    implements DefinitionCommand {

  /** The user limits RabbitMQ knows. */
  public static final Set<String> LIMIT_NAMES = Set.of("max-connections", "max-channels");

  public PutUser {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(passwordHash, "passwordHash");
    Objects.requireNonNull(hashingAlgorithm, "hashingAlgorithm");
    tags = List.copyOf(tags);
    for (String tag : tags) {
      if (tag.isEmpty() || tag.indexOf(',') >= 0) {
        throw new IllegalArgumentException("user tag must be non-empty, without commas: " + tag);
      }
    }
    for (String limit : limits.keySet()) {
      if (!LIMIT_NAMES.contains(limit)) {
        throw new IllegalArgumentException("unknown user limit: " + limit);
      }
    }
    limits = Map.copyOf(new TreeMap<>(limits));
  }

  /** A user with a SHA-256 hash and no limits. */
  public PutUser(String name, String passwordHash, List<String> tags) {
    this(name, passwordHash, PasswordHash.DEFAULT_ALGORITHM, tags, Map.of());
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.putUser(this);
  }
}
