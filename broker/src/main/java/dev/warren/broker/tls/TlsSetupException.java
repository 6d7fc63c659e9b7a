package dev.warren.broker.tls;

/**
 * The AMQPS listener cannot be set up from its settings: a certificate, key or CA file that is
 * missing or unreadable, cipher suites the provider does not know, a provider that does not load.
 * The message names the setting and the file; the broker does not start.
 */
public final class TlsSetupException extends RuntimeException {
  TlsSetupException(String message, Throwable cause) {
    super(message, cause);
  }

  TlsSetupException(String message) {
    super(message);
  }
}
