package dev.warren.broker.tls;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.it.TestPki;
import dev.warren.broker.tls.TlsConfig.Provider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The AMQPS listener's set-up: every file or setting that would fail each handshake is refused at
 * start-up instead, with a message that names the setting and the file.
 */
class ServerTlsTest {
  @TempDir static Path dir;
  private static TestPki pki;
  private static TestPki otherCa;

  @BeforeAll
  static void makeCertificates() {
    pki = TestPki.in(dir.resolve("ca"), "Warren test CA");
    otherCa = TestPki.in(dir.resolve("other-ca"), "Another CA");
  }

  private static TlsConfig.Builder config(Provider provider) {
    return TlsConfig.disabled().toBuilder()
        .port(0)
        .certChain(pki.serverCertFile())
        .key(pki.serverKeyFile())
        .ca(pki.caFile())
        .verify(TlsConfig.Verify.PEER)
        .provider(provider);
  }

  private static String refusal(TlsConfig config) {
    return assertThrows(TlsSetupException.class, () -> ServerTls.open(config)).getMessage();
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void goodFilesMakeAListener(Provider provider) {
    assertNotNull(ServerTls.open(config(provider).build()).description());
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void aMissingFileIsNamedWithItsSetting(Provider provider) {
    Path missing = dir.resolve("missing.pem");
    String m = refusal(config(provider).certChain(missing).build());
    assertTrue(m.equals("tls-cert " + missing + ": no such file"), m);
    m = refusal(config(provider).ca(missing).build());
    assertTrue(m.equals("tls-ca " + missing + ": no such file"), m);
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void aFileThatIsNotPemIsRefused(Provider provider) throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage-" + provider + ".pem"), "not PEM\n");
    String m = refusal(config(provider).certChain(garbage).build());
    assertTrue(m.startsWith("tls-cert " + garbage + ": not PEM certificates"), m);
    m = refusal(config(provider).key(garbage).build());
    assertTrue(m.startsWith("tls-key " + garbage + ": no unencrypted PKCS#8 key"), m);
    m = refusal(config(provider).ca(garbage).build());
    assertTrue(m.startsWith("tls-ca " + garbage + ": not PEM certificates"), m);
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void aKeyThatIsNotTheCertificatesIsRefused(Provider provider) {
    String m = refusal(config(provider).key(otherCa.serverKeyFile()).build());
    assertTrue(
        m.equals(
            "tls-key "
                + otherCa.serverKeyFile()
                + ": not the key of the certificate"
                + " CN=localhost,O=Warren tests"),
        m);
  }

  @ParameterizedTest
  @EnumSource(names = {"OPENSSL", "JDK"})
  void unknownCipherSuitesAreRefused(Provider provider) {
    String m = refusal(config(provider).ciphers(List.of("TLS_NO_SUCH_CIPHER")).build());
    assertTrue(m.contains("tls-ciphers [TLS_NO_SUCH_CIPHER]"), m);
  }
}
