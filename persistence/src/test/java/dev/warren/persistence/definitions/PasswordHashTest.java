package dev.warren.persistence.definitions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class PasswordHashTest {

  /** The worked example of RabbitMQ's passwords guide: salt 908D C60A, password "test12". */
  private static final String GUIDE_EXAMPLE = "kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR";

  /** A hash of the password "1" exported from a RabbitMQ node (SHA-256, the default). */
  private static final String EXPORTED_FROM_RABBITMQ =
      "y4xPTRVfzXg68sz9ALqeQzARam3CwnGo53xS752cDV5+Utzh";

  @Test
  void hashWithTheGuideSaltMatchesTheGuide() {
    byte[] salt = {(byte) 0x90, (byte) 0x8D, (byte) 0xC6, 0x0A};
    assertEquals(GUIDE_EXAMPLE, PasswordHash.hash("test12", salt));
  }

  @Test
  void checkAcceptsHashesMadeByRabbitMq() {
    assertTrue(PasswordHash.check("test12", GUIDE_EXAMPLE));
    assertTrue(PasswordHash.check("1", EXPORTED_FROM_RABBITMQ));
    assertFalse(PasswordHash.check("2", EXPORTED_FROM_RABBITMQ));
    assertFalse(PasswordHash.check("test13", GUIDE_EXAMPLE));
  }

  @Test
  void freshHashesAreSaltedAndCheck() {
    String first = PasswordHash.hash("guest");
    String second = PasswordHash.hash("guest");
    assertNotEquals(first, second);
    assertEquals(36, Base64.getDecoder().decode(first).length);
    assertTrue(PasswordHash.check("guest", first));
    assertTrue(PasswordHash.check("guest", second));
    assertFalse(PasswordHash.check("Guest", first));
  }

  @Test
  void sha512AndMd5HashesOfRabbitMqsFormatCheckWithTheirAlgorithmOnly() {
    String sha512 = PasswordHash.hash("guest", "rabbit_password_hashing_sha512");
    String md5 = PasswordHash.hash("guest", "rabbit_password_hashing_md5");
    assertEquals(4 + 64, Base64.getDecoder().decode(sha512).length);
    assertEquals(4 + 16, Base64.getDecoder().decode(md5).length);
    assertTrue(PasswordHash.check("guest", sha512, "rabbit_password_hashing_sha512"));
    assertTrue(PasswordHash.check("guest", md5, "rabbit_password_hashing_md5"));
    assertFalse(PasswordHash.check("guest", sha512, "rabbit_password_hashing_sha256"));
    assertFalse(PasswordHash.check("Guest", md5, "rabbit_password_hashing_md5"));
    assertFalse(PasswordHash.check("guest", md5, "rabbit_password_hashing_sha1"));
  }

  @Test
  void nonAsciiPasswordsAreHashedAsUtf8() {
    String stored = PasswordHash.hash("pässwörd✓");
    assertTrue(PasswordHash.check("pässwörd✓", stored));
    assertFalse(PasswordHash.check("passwords", stored));
  }

  @Test
  void emptyOrMalformedStoredHashNeverMatches() {
    assertFalse(PasswordHash.check("", ""));
    assertFalse(PasswordHash.check("x", "not base64 !"));
    assertFalse(PasswordHash.check("x", Base64.getEncoder().encodeToString(new byte[20])));
  }
}
