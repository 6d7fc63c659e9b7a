package dev.warren.broker.stats;

import java.util.Locale;
import javax.net.ssl.SSLSession;

/**
 * What a TLS connection agreed on, named as RabbitMQ's management API shows it ({@code
 * ssl_protocol}, {@code ssl_key_exchange}, {@code ssl_cipher}, {@code ssl_hash}): {@code tlsv1.3},
 * {@code ecdhe_rsa} ({@code any} under TLS 1.3, where the suite does not name it), {@code
 * aes_256_gcm}, {@code sha384}.
 */
public record TlsParameters(String protocol, String keyExchange, String cipher, String hash) {

  /** From a finished handshake's session, whose suite is named as IANA names it. */
  public static TlsParameters of(SSLSession session) {
    String protocol = session.getProtocol().toLowerCase(Locale.ROOT);
    String suite = session.getCipherSuite().toLowerCase(Locale.ROOT);
    if (suite.startsWith("tls_")) {
      suite = suite.substring("tls_".length());
    }
    String keyExchange = "any";
    int with = suite.indexOf("_with_");
    if (with >= 0) {
      keyExchange = suite.substring(0, with);
      suite = suite.substring(with + "_with_".length());
    }
    int lastPart = suite.lastIndexOf('_');
    String cipher = lastPart < 0 ? suite : suite.substring(0, lastPart);
    String hash = lastPart < 0 ? "" : suite.substring(lastPart + 1);
    return new TlsParameters(protocol, keyExchange, cipher, hash);
  }
}
