package dev.warren.persistence.definitions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Salted password hashes in RabbitMQ's formats, so that users move between RabbitMQ's definitions
 * JSON and ours both ways:
 *
 * <pre>
 * stored = base64( salt | digest( salt | utf8(password) ) )
 *                  4 B
 * </pre>
 *
 * with the digest named by the algorithm: {@code rabbit_password_hashing_sha256} (RabbitMQ's
 * default since 3.6, and ours), {@code rabbit_password_hashing_sha512} and {@code
 * rabbit_password_hashing_md5} (accepted on import). The salt is 4 random bytes. An empty stored
 * hash (RabbitMQ's "no password") never matches. Stateless and thread-safe.
 */
public final class PasswordHash {

  /** The algorithm new hashes use. */
  public static final String DEFAULT_ALGORITHM = "rabbit_password_hashing_sha256";

  static final int SALT_LENGTH = 4;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** RabbitMQ's algorithm names and the JDK's digest names. */
  private static final Map<String, String> DIGESTS =
      Map.of(
          "rabbit_password_hashing_sha256", "SHA-256",
          "rabbit_password_hashing_sha512", "SHA-512",
          "rabbit_password_hashing_md5", "MD5");

  private PasswordHash() {}

  /** Whether RabbitMQ's {@code algorithm} name is one this class computes. */
  public static boolean isKnown(String algorithm) {
    return DIGESTS.containsKey(algorithm);
  }

  /** A hash of {@code password} with a fresh random salt, in the default algorithm. */
  public static String hash(String password) {
    return hash(password, DEFAULT_ALGORITHM);
  }

  /** A hash of {@code password} with a fresh random salt, in {@code algorithm}. */
  public static String hash(String password, String algorithm) {
    byte[] salt = new byte[SALT_LENGTH];
    RANDOM.nextBytes(salt);
    return hash(password, salt, algorithm);
  }

  /** Whether {@code password} is the one {@code stored} was computed from, with the default. */
  public static boolean check(String password, String stored) {
    return check(password, stored, DEFAULT_ALGORITHM);
  }

  /**
   * Whether {@code password} is the one {@code stored} was computed from with {@code algorithm}.
   */
  public static boolean check(String password, String stored, String algorithm) {
    if (!isKnown(algorithm)) {
      return false;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(stored);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (decoded.length != SALT_LENGTH + digest(algorithm).getDigestLength()) {
      return false;
    }
    byte[] salt = new byte[SALT_LENGTH];
    System.arraycopy(decoded, 0, salt, 0, SALT_LENGTH);
    byte[] expected = Base64.getDecoder().decode(hash(password, salt, algorithm));
    return MessageDigest.isEqual(expected, decoded);
  }

  /** The hash of {@code password} with the given 4-byte salt, in the default algorithm. */
  static String hash(String password, byte[] salt) {
    return hash(password, salt, DEFAULT_ALGORITHM);
  }

  private static String hash(String password, byte[] salt, String algorithm) {
    if (salt.length != SALT_LENGTH) {
      throw new IllegalArgumentException("salt must be " + SALT_LENGTH + " bytes");
    }
    MessageDigest md = digest(algorithm);
    md.update(salt);
    byte[] digest = md.digest(password.getBytes(StandardCharsets.UTF_8));
    byte[] salted = new byte[SALT_LENGTH + digest.length];
    System.arraycopy(salt, 0, salted, 0, SALT_LENGTH);
    System.arraycopy(digest, 0, salted, SALT_LENGTH, digest.length);
    return Base64.getEncoder().encodeToString(salted);
  }

  private static MessageDigest digest(String algorithm) {
    String name = DIGESTS.get(algorithm);
    if (name == null) {
      throw new IllegalArgumentException("unknown password hashing algorithm: " + algorithm);
    }
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has " + name, e);
    }
  }
}
