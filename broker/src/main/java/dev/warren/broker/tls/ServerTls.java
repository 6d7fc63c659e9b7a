package dev.warren.broker.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * The server side of the AMQPS listener: one Netty {@link SslContext} built at start-up from a
 * {@link TlsConfig}, and a new {@link SslHandler} per accepted connection. The provider is OpenSSL
 * (BoringSSL from netty-tcnative, which does the handshake and the record crypto natively, at a
 * fraction of the JDK's CPU) when it loads, else the JDK's own. Everything a bad setting can break
 * is tried here, so that the broker refuses to start rather than failing each handshake.
 *
 * <p>Thread-safe: the context is shared by every event loop; each handler belongs to one channel.
 */
public final class ServerTls {
  private final SslContext context;
  private final String description;

  private ServerTls(SslContext context, String description) {
    this.context = context;
    this.description = description;
  }

  /**
   * Reads the certificate chain, key and CA and builds the context.
   *
   * @throws TlsSetupException naming the setting and file at fault
   */
  public static ServerTls open(TlsConfig config) {
    if (!config.enabled()) {
      throw new IllegalArgumentException("TLS is off: no tls-cert and tls-key");
    }
    X509Certificate[] chain = PemFiles.certificates("tls-cert", config.certChain());
    PrivateKey key = PemFiles.privateKey("tls-key", config.key(), chain[0]);
    SslProvider provider = provider(config.provider());
    SslContextBuilder builder =
        SslContextBuilder.forServer(key, chain).sslProvider(provider).protocols(config.versions());
    if (!config.ciphers().isEmpty()) {
      builder.ciphers(config.ciphers());
    }
    if (config.verify() == TlsConfig.Verify.PEER) {
      builder.trustManager(PemFiles.certificates("tls-ca", config.ca()));
      builder.clientAuth(config.failIfNoPeerCert() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
    } else {
      builder.clientAuth(ClientAuth.NONE);
    }
    SslContext context;
    try {
      context = builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new TlsSetupException(
          "cannot set up TLS with tls-versions "
              + config.versions()
              + " and tls-ciphers "
              + config.ciphers()
              + ": "
              + rootMessage(e),
          e);
    }
    List<String> ciphers = probe(context, config);
    String name =
        provider == SslProvider.OPENSSL
            ? "OpenSSL (" + OpenSsl.versionString() + ")"
            : "JDK " + Runtime.version().feature();
    return new ServerTls(
        context,
        name + ", " + String.join(" ", config.versions()) + ", " + ciphers.size() + " ciphers");
  }

  /**
   * A handler for one new connection; it is the first of the pipeline. It has no handshake timer of
   * its own: the connection's handshake-timeout, from connect to connection.open, covers TLS.
   */
  public SslHandler newHandler(ByteBufAllocator alloc) {
    SslHandler handler = context.newHandler(alloc);
    handler.setHandshakeTimeoutMillis(0);
    return handler;
  }

  /** Provider, versions and number of cipher suites, for the start-up log. */
  public String description() {
    return description;
  }

  private static SslProvider provider(TlsConfig.Provider wanted) {
    return switch (wanted) {
      case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
      case JDK -> SslProvider.JDK;
      case OPENSSL -> {
        if (!OpenSsl.isAvailable()) {
          throw new TlsSetupException(
              "tls-provider openssl: netty-tcnative does not load on this machine: "
                  + rootMessage(OpenSsl.unavailabilityCause()),
              OpenSsl.unavailabilityCause());
        }
        yield SslProvider.OPENSSL;
      }
    };
  }

  /**
   * One engine, as a connection would get it: the JDK refuses unknown cipher suites only here, and
   * a list of ciphers that suits none of the versions leaves nothing to negotiate.
   */
  private static List<String> probe(SslContext context, TlsConfig config) {
    SSLEngine engine;
    try {
      engine = context.newEngine(ByteBufAllocator.DEFAULT);
    } catch (IllegalArgumentException e) {
      throw new TlsSetupException(
          "tls-ciphers " + config.ciphers() + ": " + rootMessage(e) + " (IANA names expected)", e);
    }
    try {
      List<String> ciphers = List.of(engine.getEnabledCipherSuites());
      if (ciphers.isEmpty()) {
        throw new TlsSetupException(
            "tls-ciphers " + config.ciphers() + ": none is usable with " + config.versions());
      }
      return ciphers;
    } finally {
      ReferenceCountUtil.release(engine);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + root;
  }
}
