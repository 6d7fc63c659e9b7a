package dev.warren.broker.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The user name SASL EXTERNAL takes from a client's verified certificate (RabbitMQ's
 * rabbitmq_auth_mechanism_ssl): the subject's common name, or the first DNS name among its subject
 * alternative names. Several common names are joined with commas, in certificate order.
 */
public final class CertificateLogin {
  /** GeneralName tag of a dNSName (RFC 5280, 4.2.1.6). */
  private static final int DNS_NAME = 2;

  private CertificateLogin() {}

  /** The user name, or empty when the certificate has none where {@code from} looks. */
  public static Optional<String> userName(X509Certificate cert, TlsConfig.CertLogin from) {
    return switch (from) {
      case COMMON_NAME -> commonName(cert.getSubjectX500Principal());
      case SUBJECT_ALTERNATIVE_NAME -> firstDnsName(cert);
    };
  }

  private static Optional<String> commonName(X500Principal subject) {
    LdapName name;
    try {
      name = new LdapName(subject.getName(X500Principal.RFC2253));
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
    // LdapName lists the RDNs in certificate order (the reverse of the RFC 2253 string).
    List<String> names = new ArrayList<>();
    for (Rdn rdn : name.getRdns()) {
      if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String cn) {
        names.add(cn);
      }
    }
    return names.isEmpty() ? Optional.empty() : Optional.of(String.join(",", names));
  }

  private static Optional<String> firstDnsName(X509Certificate cert) {
    Collection<List<?>> alternatives;
    try {
      alternatives = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return Optional.empty();
    }
    if (alternatives == null) {
      return Optional.empty();
    }
    for (List<?> entry : alternatives) {
      if (entry.get(0) instanceof Integer tag
          && tag == DNS_NAME
          && entry.get(1) instanceof String n) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }
}
