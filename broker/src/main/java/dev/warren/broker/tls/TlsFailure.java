package dev.warren.broker.tls;

import io.netty.handler.ssl.NotSslRecordException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/**
 * Why a connection to the AMQPS listener failed in TLS, in one line for the broker log: the TLS
 * handler's exception says little by itself (OpenSSL's "General OpenSslEngine problem", a hex dump
 * of a plain-text first record), the reason is often its cause.
 */
public final class TlsFailure {
  private TlsFailure() {}

  /** A one-line reason for {@code e}, without a stack trace. */
  public static String reason(SSLException e) {
    if (e instanceof NotSslRecordException) {
      return "the client did not speak TLS (plain AMQP on the AMQPS port?)";
    }
    Throwable certificate = e;
    while (certificate != null && !(certificate instanceof CertificateException)) {
      certificate = certificate.getCause();
    }
    if (certificate != null) {
      return "client certificate refused: " + certificate.getMessage();
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? e.getMessage() : e.getMessage() + ": " + root.getMessage();
  }
}
