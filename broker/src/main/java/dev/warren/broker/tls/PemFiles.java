package dev.warren.broker.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the AMQPS listener's PEM files, so that a bad one stops the broker at start-up with its
 * setting and path named, instead of failing every handshake.
 *
 * <pre>
 * certificates: -----BEGIN CERTIFICATE-----  base64 DER (X.509)  -----END CERTIFICATE-----  ...
 * key:          -----BEGIN PRIVATE KEY-----  base64 DER (PKCS#8, unencrypted)  -----END PRIVATE KEY-----
 * </pre>
 */
final class PemFiles {
  private static final Pattern PKCS8 =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  /** A key algorithm a PKCS#8 key is tried as, and a signature that proves it is a pair. */
  private record KeyKind(String algorithm, String signature) {}

  private static final List<KeyKind> KEY_KINDS =
      List.of(
          new KeyKind("RSA", "SHA256withRSA"),
          new KeyKind("EC", "SHA256withECDSA"),
          new KeyKind("Ed25519", "Ed25519"),
          new KeyKind("Ed448", "Ed448"));

  private PemFiles() {}

  /** The certificates in {@code file}, in file order; at least one. */
  static X509Certificate[] certificates(String setting, Path file) {
    readable(setting, file);
    try (InputStream in = Files.newInputStream(file)) {
      X509Certificate[] certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
              .map(X509Certificate.class::cast)
              .toArray(X509Certificate[]::new);
      if (certs.length == 0) {
        throw new TlsSetupException(setting + " " + file + ": no PEM certificate in it");
      }
      return certs;
    } catch (CertificateException e) {
      throw new TlsSetupException(
          setting + " " + file + ": not PEM certificates (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new TlsSetupException(setting + " " + file + ": " + e, e);
    }
  }

  /** The unencrypted PKCS#8 key in {@code file}, checked to belong to {@code cert}. */
  static PrivateKey privateKey(String setting, Path file, X509Certificate cert) {
    readable(setting, file);
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new TlsSetupException(setting + " " + file + ": " + e, e);
    }
    Matcher m = PKCS8.matcher(pem);
    if (!m.find()) {
      throw new TlsSetupException(
          setting
              + " "
              + file
              + ": no unencrypted PKCS#8 key (BEGIN PRIVATE KEY) in it; convert one with"
              + " openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(m.group(1));
    } catch (IllegalArgumentException e) {
      throw new TlsSetupException(
          setting + " " + file + ": broken base64 (" + e.getMessage() + ")");
    }
    for (KeyKind kind : KEY_KINDS) {
      PrivateKey key;
      try {
        key =
            KeyFactory.getInstance(kind.algorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisKind) {
        continue;
      }
      if (!signs(key, kind.signature(), cert)) {
        throw new TlsSetupException(
            setting
                + " "
                + file
                + ": not the key of the certificate "
                + cert.getSubjectX500Principal().getName());
      }
      return key;
    }
    throw new TlsSetupException(setting + " " + file + ": not an RSA, EC or EdDSA key");
  }

  /** Whether what {@code key} signs, the certificate's public key verifies. */
  private static boolean signs(PrivateKey key, String algorithm, X509Certificate cert) {
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      // The certificate's key is of another kind (an EC certificate, an RSA key).
      return false;
    }
  }

  private static void readable(String setting, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new TlsSetupException(setting + " " + file + ": no such file");
    }
    if (!Files.isReadable(file)) {
      throw new TlsSetupException(setting + " " + file + ": not readable by this user");
    }
  }
}
