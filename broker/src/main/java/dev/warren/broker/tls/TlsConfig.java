package dev.warren.broker.tls;

import java.nio.file.Path;
import java.util.List;

/**
 * The AMQPS listener's settings (RabbitMQ's {@code listeners.ssl} and {@code ssl_options}). The
 * listener is on only when a certificate chain and its key are given. Immutable; built by the
 * launcher (or a test) through {@link #toBuilder()}.
 *
 * @param port AMQPS listener port (RabbitMQ's 5671); 0 picks a free port
 * @param certChain PEM file: the broker's certificate first, then any intermediates; null = off
 * @param key PEM file: the certificate's private key, unencrypted PKCS#8 ({@code BEGIN PRIVATE
 *     KEY}); null = off
 * @param ca PEM file: the certificate authorities client certificates must chain to; needed for
 *     {@link Verify#PEER}
 * @param verify whether clients are asked for a certificate (RabbitMQ's {@code verify})
 * @param failIfNoPeerCert with {@link Verify#PEER}: a client without a certificate fails the
 *     handshake (RabbitMQ's {@code fail_if_no_peer_cert})
 * @param versions protocol versions accepted, a subset of {@link #SUPPORTED_VERSIONS}
 * @param ciphers cipher suites accepted, by their IANA names; empty = the provider's defaults
 * @param provider which TLS implementation serves the listener
 * @param certLogin where SASL EXTERNAL takes the user name from (RabbitMQ's {@code
 *     ssl_cert_login_from})
 */
public record TlsConfig(
    int port,
    Path certChain,
    Path key,
    Path ca,
    Verify verify,
    boolean failIfNoPeerCert,
    List<String> versions,
    List<String> ciphers,
    Provider provider,
    CertLogin certLogin) {

  /** RabbitMQ's AMQPS port. */
  public static final int DEFAULT_PORT = 5671;

  /** The only versions the listener speaks; older ones are refused in the handshake. */
  public static final List<String> SUPPORTED_VERSIONS = List.of("TLSv1.3", "TLSv1.2");

  /** Whether clients are asked for a certificate. */
  public enum Verify {
    /** No client certificate is asked for (RabbitMQ's {@code verify_none}). */
    NONE,
    /** A client certificate is asked for and must chain to the CA (RabbitMQ's verify_peer). */
    PEER
  }

  /** The TLS implementation. */
  public enum Provider {
    /** OpenSSL (BoringSSL, netty-tcnative) when it loads on this machine, else the JDK's. */
    AUTO,
    OPENSSL,
    JDK
  }

  /** Where SASL EXTERNAL reads the user name in the client's certificate. */
  public enum CertLogin {
    /** The subject's common name (CN). */
    COMMON_NAME,
    /** The first DNS name among the subject alternative names. */
    SUBJECT_ALTERNATIVE_NAME
  }

  public TlsConfig {
    versions = List.copyOf(versions);
    ciphers = List.copyOf(ciphers);
    if ((certChain == null) != (key == null)) {
      throw new IllegalArgumentException("TLS needs both tls-cert and tls-key");
    }
    if (versions.isEmpty() || !SUPPORTED_VERSIONS.containsAll(versions)) {
      throw new IllegalArgumentException(
          "tls-versions must be among " + SUPPORTED_VERSIONS + ", got " + versions);
    }
    if (verify == Verify.PEER && ca == null) {
      throw new IllegalArgumentException("tls-verify peer needs tls-ca");
    }
    if (failIfNoPeerCert && verify != Verify.PEER) {
      throw new IllegalArgumentException("tls-fail-if-no-peer-cert needs tls-verify peer");
    }
  }

  /** Off: no certificate. RabbitMQ's defaults for the rest. */
  public static TlsConfig disabled() {
    return new TlsConfig(
        DEFAULT_PORT,
        null,
        null,
        null,
        Verify.NONE,
        false,
        SUPPORTED_VERSIONS,
        List.of(),
        Provider.AUTO,
        CertLogin.COMMON_NAME);
  }

  /** Whether the AMQPS listener runs. */
  public boolean enabled() {
    return certChain != null;
  }

  /**
   * A protocol version as RabbitMQ ({@code tlsv1.2}) or the JDK ({@code TLSv1.2}) writes it, in the
   * JDK's spelling; an unknown one is refused.
   */
  public static String version(String name) {
    for (String v : SUPPORTED_VERSIONS) {
      if (v.equalsIgnoreCase(name.trim())) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "'" + name + "' is not a TLS version this broker accepts " + SUPPORTED_VERSIONS);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A changed copy, one setting at a time; checked as a whole by {@link #build()}. */
  public static final class Builder {
    private int port;
    private Path certChain;
    private Path key;
    private Path ca;
    private Verify verify;
    private boolean failIfNoPeerCert;
    private List<String> versions;
    private List<String> ciphers;
    private Provider provider;
    private CertLogin certLogin;

    private Builder(TlsConfig c) {
      port = c.port;
      certChain = c.certChain;
      key = c.key;
      ca = c.ca;
      verify = c.verify;
      failIfNoPeerCert = c.failIfNoPeerCert;
      versions = c.versions;
      ciphers = c.ciphers;
      provider = c.provider;
      certLogin = c.certLogin;
    }

    public Builder port(int v) {
      port = v;
      return this;
    }

    public Builder certChain(Path v) {
      certChain = v;
      return this;
    }

    public Builder key(Path v) {
      key = v;
      return this;
    }

    public Builder ca(Path v) {
      ca = v;
      return this;
    }

    public Builder verify(Verify v) {
      verify = v;
      return this;
    }

    public Builder failIfNoPeerCert(boolean v) {
      failIfNoPeerCert = v;
      return this;
    }

    public Builder versions(List<String> v) {
      versions = v;
      return this;
    }

    public Builder ciphers(List<String> v) {
      ciphers = v;
      return this;
    }

    public Builder provider(Provider v) {
      provider = v;
      return this;
    }

    public Builder certLogin(CertLogin v) {
      certLogin = v;
      return this;
    }

    public TlsConfig build() {
      return new TlsConfig(
          port,
          certChain,
          key,
          ca,
          verify,
          failIfNoPeerCert,
          versions,
          ciphers,
          provider,
          certLogin);
    }
  }
}
