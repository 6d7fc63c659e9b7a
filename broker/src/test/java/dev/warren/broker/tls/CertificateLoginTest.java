package dev.warren.broker.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warren.broker.it.TestPki;
import dev.warren.broker.tls.TlsConfig.CertLogin;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user name SASL EXTERNAL reads in a client certificate (tls-cert-login-from). */
class CertificateLoginTest {
  @TempDir static Path dir;
  private static TestPki pki;

  @BeforeAll
  static void makeCa() {
    pki = TestPki.in(dir.resolve("ca"), "Warren test CA");
  }

  private static X509Certificate cert(String commonName, String... dnsNames) {
    return pki.client(commonName, dnsNames).chain()[0];
  }

  @Test
  void commonNameIsTheCnAloneNotTheWholeSubject() {
    // The subject is CN=app-1,O=Warren tests.
    assertEquals(
        Optional.of("app-1"), CertificateLogin.userName(cert("app-1"), CertLogin.COMMON_NAME));
  }

  @Test
  void subjectAlternativeNameIsTheFirstDnsName() {
    assertEquals(
        Optional.of("one.example"),
        CertificateLogin.userName(
            cert("app-1", "one.example", "two.example"), CertLogin.SUBJECT_ALTERNATIVE_NAME));
  }

  @Test
  void aCertificateWithoutAlternativeNamesNamesNoUserBySubjectAlternativeName() {
    assertEquals(
        Optional.empty(),
        CertificateLogin.userName(cert("app-1"), CertLogin.SUBJECT_ALTERNATIVE_NAME));
  }
}
