package dev.warren.broker.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at run time for the TLS tests, with the certificates it issues: the
 * broker's (for localhost and 127.0.0.1) as PEM files the broker reads, and clients' as {@link
 * SSLContext}s the RabbitMQ Java client uses. EC P-256 keys (fast to make), SHA-256 signatures,
 * valid from an hour ago for a day. BouncyCastle builds the certificates; the JDK's own provider
 * makes the keys and signs.
 *
 * <p>Files in the directory: {@code ca.pem}, {@code ca.key}, {@code server.pem} (the broker's
 * certificate then the CA's), {@code server.key} (PKCS#8 PEM). A directory that already holds a CA
 * is reused: that is how a RabbitMQ started with those files trusts the clients a test issues.
 *
 * <p>Thread-safe after construction.
 */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate caCert;

  /** A key and its certificate chain (leaf first). */
  public record Identity(PrivateKey key, X509Certificate... chain) {}

  private TestPki(Path dir, KeyPair caKeys, X509Certificate caCert) {
    this.dir = dir;
    this.caKeys = caKeys;
    this.caCert = caCert;
  }

  /**
   * The CA in {@code dir}, made there with a server certificate on first use.
   *
   * @param caName the CA's common name (two CAs in one test must differ)
   */
  public static TestPki in(Path dir, String caName) {
    try {
      Files.createDirectories(dir);
      if (Files.exists(dir.resolve("ca.key"))) {
        return load(dir);
      }
      KeyPair caKeys = newKeyPair();
      X500Principal subject = new X500Principal("CN=" + caName + ",O=Warren tests");
      TestPki pki = new TestPki(dir, caKeys, null);
      X509Certificate caCert = pki.sign(subject, caKeys.getPublic(), true, null, List.of());
      pki = new TestPki(dir, caKeys, caCert);
      writePem(dir.resolve("ca.pem"), "CERTIFICATE", caCert.getEncoded());
      writePem(dir.resolve("ca.key"), "PRIVATE KEY", caKeys.getPrivate().getEncoded());
      Identity server = pki.issue("localhost", KeyPurposeId.id_kp_serverAuth, "localhost");
      writePem(
          dir.resolve("server.pem"),
          "CERTIFICATE",
          server.chain()[0].getEncoded(),
          caCert.getEncoded());
      writePem(dir.resolve("server.key"), "PRIVATE KEY", server.key().getEncoded());
      return pki;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path caFile() {
    return dir.resolve("ca.pem");
  }

  public Path serverCertFile() {
    return dir.resolve("server.pem");
  }

  public Path serverKeyFile() {
    return dir.resolve("server.key");
  }

  /** A client certificate for {@code commonName}, with {@code dnsNames} as alternative names. */
  public Identity client(String commonName, String... dnsNames) {
    try {
      return issue(commonName, KeyPurposeId.id_kp_clientAuth, dnsNames);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A client context that trusts this CA and presents {@code identity} (none when null), limited to
   * {@code protocol} ({@code TLSv1.3}, {@code TLSv1.2}) or, for {@code TLS}, the JDK's default.
   */
  public SSLContext clientContext(Identity identity, String protocol) {
    try {
      char[] password = "test".toCharArray();
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      if (identity != null) {
        keys.setKeyEntry("client", identity.key(), password, identity.chain());
      }
      KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      km.init(keys, password);
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("ca", caCert);
      TrustManagerFactory tm =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tm.init(trusted);
      SSLContext context = SSLContext.getInstance(protocol);
      KeyManager[] presenting =
          identity == null
              ? km.getKeyManagers()
              : new KeyManager[] {new Presenting((X509ExtendedKeyManager) km.getKeyManagers()[0])};
      context.init(presenting, tm.getTrustManagers(), new SecureRandom());
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Presents the client's certificate whichever CAs the server says it accepts (the JDK's own key
   * manager would send none to a server whose CAs did not issue it), so that the server decides.
   */
  private static final class Presenting extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager keys;

    Presenting(X509ExtendedKeyManager keys) {
      this.keys = keys;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return "client";
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return "client";
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return keys.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return keys.getPrivateKey(alias);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {"client"};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }

  private static TestPki load(Path dir) throws IOException, GeneralSecurityException {
    X509Certificate caCert;
    try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
      caCert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    PrivateKey caKey =
        KeyFactory.getInstance("EC")
            .generatePrivate(new PKCS8EncodedKeySpec(readPem(dir.resolve("ca.key"))));
    return new TestPki(dir, new KeyPair(caCert.getPublicKey(), caKey), caCert);
  }

  private Identity issue(String commonName, KeyPurposeId purpose, String... dnsNames)
      throws GeneralSecurityException {
    KeyPair keys = newKeyPair();
    X509Certificate cert =
        sign(
            new X500Principal("CN=" + commonName + ",O=Warren tests"),
            keys.getPublic(),
            false,
            purpose,
            List.of(dnsNames));
    return new Identity(keys.getPrivate(), cert, caCert);
  }

  /** A certificate for {@code subject}, signed by this CA (by itself when there is none yet). */
  private X509Certificate sign(
      X500Principal subject, PublicKey key, boolean ca, KeyPurposeId purpose, List<String> dnsNames)
      throws GeneralSecurityException {
    Instant now = Instant.now();
    X500Principal issuer = caCert == null ? subject : caCert.getSubjectX500Principal();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer,
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))),
            subject,
            key);
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          ext.createAuthorityKeyIdentifier(caCert == null ? key : caCert.getPublicKey()));
      if (ca) {
        builder.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        List<GeneralName> names = new ArrayList<>();
        for (String n : dnsNames) {
          names.add(new GeneralName(GeneralName.dNSName, n));
        }
        if (purpose == KeyPurposeId.id_kp_serverAuth) {
          names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        }
        if (!names.isEmpty()) {
          builder.addExtension(
              Extension.subjectAlternativeName,
              false,
              new GeneralNames(names.toArray(GeneralName[]::new)));
        }
      }
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    } catch (IOException | OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static void writePem(Path file, String type, byte[]... ders) throws IOException {
    StringBuilder pem = new StringBuilder();
    Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
    for (byte[] der : ders) {
      pem.append("-----BEGIN ").append(type).append("-----\n");
      pem.append(base64.encodeToString(der)).append('\n');
      pem.append("-----END ").append(type).append("-----\n");
    }
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
  }

  private static byte[] readPem(Path file) throws IOException {
    StringBuilder body = new StringBuilder();
    for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
      if (!line.startsWith("-----")) {
        body.append(line.trim());
      }
    }
    return Base64.getDecoder().decode(body.toString());
  }
}
