package dev.warren.management.spi;

import java.util.List;
import java.util.Map;

/**
 * A user as stored: the password only as a salted hash in one of RabbitMQ's formats.
 *
 * @param passwordHash base64 of salt and digest, as RabbitMQ exports it; empty when the user has no
 *     password (it cannot log in with one)
 * @param hashingAlgorithm {@code rabbit_password_hashing_sha256} (the default), {@code
 *     rabbit_password_hashing_sha512} or {@code rabbit_password_hashing_md5}
 * @param tags in the order given: {@code administrator}, {@code monitoring}, {@code policymaker},
 *     {@code management}, {@code impersonator} or any other word
 * @param limits user limits by name ({@code max-connections}, {@code max-channels})
 */
public record UserInfo(
    String name,
    String passwordHash,
    String hashingAlgorithm,
    List<String> tags,
    Map<String, Long> limits) {

  public UserInfo {
    tags = List.copyOf(tags);
    limits = Map.copyOf(limits);
  }
}
