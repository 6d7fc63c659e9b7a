package dev.warren.broker.stats;

import java.util.Map;

/**
 * What a connection is: the part of its figures that changes only during the handshake. Immutable;
 * a new one is made at each handshake step. Named after the fields of RabbitMQ's management API
 * ({@code /api/connections}).
 *
 * @param name RabbitMQ's connection name, {@code "127.0.0.1:54321 -> 127.0.0.1:5672"} (peer, then
 *     the broker's end; an IPv6 address in brackets)
 * @param host the broker's address of the socket ({@code host})
 * @param port the broker's port ({@code port})
 * @param peerHost the client's address ({@code peer_host})
 * @param peerPort the client's port ({@code peer_port})
 * @param connectedAt when the socket was accepted, ms since the epoch ({@code connected_at})
 * @param user the authenticated user; empty before connection.start-ok
 * @param vhost the virtual host opened; empty before connection.open
 * @param authMechanism {@code PLAIN} or {@code AMQPLAIN}; empty before connection.start-ok
 * @param clientProperties the client's connection.start-ok properties, unmodifiable, nested tables
 *     unmodifiable too, long strings as {@link String}s ({@code client_properties}); empty before
 * @param frameMax the agreed frame-max; 0 before connection.tune-ok
 * @param channelMax the agreed channel-max; 0 before connection.tune-ok
 * @param heartbeat the agreed heartbeat in seconds, 0 for none ({@code timeout})
 * @param tls what TLS agreed on, known from connection.start-ok; null over plain TCP
 */
public record ConnectionInfo(
    String name,
    String host,
    int port,
    String peerHost,
    int peerPort,
    long connectedAt,
    String user,
    String vhost,
    String authMechanism,
    Map<String, Object> clientProperties,
    int frameMax,
    int channelMax,
    int heartbeat,
    TlsParameters tls) {

  /** The only protocol spoken ({@code protocol}). */
  public static final String PROTOCOL = "AMQP 0-9-1";

  /** A connection just accepted: nothing of the handshake yet. */
  public static ConnectionInfo accepted(
      String name, String host, int port, String peerHost, int peerPort, long connectedAt) {
    return new ConnectionInfo(
        name, host, port, peerHost, peerPort, connectedAt, "", "", "", Map.of(), 0, 0, 0, null);
  }

  public String protocol() {
    return PROTOCOL;
  }

  /** The name the client gave the connection ({@code connection_name}), or null. */
  public String userProvidedName() {
    return clientProperties.get("connection_name") instanceof String s ? s : null;
  }

  /** Whether the connection came over TLS. */
  public boolean ssl() {
    return tls != null;
  }

  /**
   * After connection.start-ok: who logged in, how, the client's properties, and what TLS agreed on
   * (null over plain TCP).
   */
  public ConnectionInfo withLogin(
      String user, String authMechanism, Map<String, Object> clientProperties, TlsParameters tls) {
    return new ConnectionInfo(
        name,
        host,
        port,
        peerHost,
        peerPort,
        connectedAt,
        user,
        vhost,
        authMechanism,
        clientProperties,
        frameMax,
        channelMax,
        heartbeat,
        tls);
  }

  /** After connection.tune-ok: the limits agreed. */
  public ConnectionInfo withTuning(int frameMax, int channelMax, int heartbeat) {
    return new ConnectionInfo(
        name,
        host,
        port,
        peerHost,
        peerPort,
        connectedAt,
        user,
        vhost,
        authMechanism,
        clientProperties,
        frameMax,
        channelMax,
        heartbeat,
        tls);
  }

  /** After connection.open: the virtual host. */
  public ConnectionInfo withVhost(String vhost) {
    return new ConnectionInfo(
        name,
        host,
        port,
        peerHost,
        peerPort,
        connectedAt,
        user,
        vhost,
        authMechanism,
        clientProperties,
        frameMax,
        channelMax,
        heartbeat,
        tls);
  }
}
