package dev.warren.persistence.definitions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Salted password hashes in RabbitMQ's {@code rabbit_password_hashing_sha256} format (its default
 * since 3.6), so that users exported from RabbitMQ's definitions JSON can be imported as they are:
 *
 * <pre>
 * stored = base64( salt | sha256( salt | utf8(password) ) )
 *                  4 B           32 B
 * </pre>
 *
 * The salt is 4 random bytes. An empty stored hash (RabbitMQ's "no password") never matches. Other
 * RabbitMQ algorithms (MD5, SHA-512) are not read. Stateless and thread-safe.
 */
public final class PasswordHash {

  static final int SALT_LENGTH = 4;
  private static final int DIGEST_LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHash() {}

  /** A hash of {@code password} with a fresh random salt, in RabbitMQ's SHA-256 format. */
  public static String hash(String password) {
    byte[] salt = new byte[SALT_LENGTH];
    RANDOM.nextBytes(salt);
    return hash(password, salt);
  }

  /** Whether {@code password} is the one {@code stored} was computed from. */
  public static boolean check(String password, String stored) {
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(stored);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (decoded.length != SALT_LENGTH + DIGEST_LENGTH) {
      return false;
    }
    byte[] expected = Base64.getDecoder().decode(hash(password, salt(decoded)));
    return MessageDigest.isEqual(expected, decoded);
  }

  /** The hash of {@code password} with the given 4-byte salt. */
  static String hash(String password, byte[] salt) {
    if (salt.length != SALT_LENGTH) {
      throw new IllegalArgumentException("salt must be " + SALT_LENGTH + " bytes");
    }
    MessageDigest sha256 = sha256();
    sha256.update(salt);
    byte[] digest = sha256.digest(password.getBytes(StandardCharsets.UTF_8));
    byte[] salted = new byte[SALT_LENGTH + DIGEST_LENGTH];
    System.arraycopy(salt, 0, salted, 0, SALT_LENGTH);
    System.arraycopy(digest, 0, salted, SALT_LENGTH, DIGEST_LENGTH);
    return Base64.getEncoder().encodeToString(salted);
  }

  private static byte[] salt(byte[] decoded) {
    byte[] salt = new byte[SALT_LENGTH];
    System.arraycopy(decoded, 0, salt, 0, SALT_LENGTH);
    return salt;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
