package dev.warren.management.spi;

import java.util.Map;

/**
 * An open client connection; a snapshot its owner publishes.
 *
 * @param name unique on the node, RabbitMQ's form {@code "127.0.0.1:45332 -> 127.0.0.1:5672"}
 * @param protocol {@code "AMQP 0-9-1"}
 * @param state {@code starting}, {@code running}, {@code blocking}, {@code blocked}, {@code
 *     closing}
 * @param heartbeat negotiated heartbeat seconds, 0 when off
 * @param tls what TLS agreed on; null over plain TCP
 * @param clientProperties the client's connection.start-ok properties, JSON-like
 * @param userProvidedName the {@code connection_name} client property, or null
 * @param connectedAtMillis epoch milliseconds
 * @param recvOct bytes received
 * @param recvCnt frames received
 * @param sendOct bytes sent
 * @param sendCnt frames sent
 * @param sendPend bytes queued for sending
 */
public record ConnectionInfo(
    String name,
    String vhost,
    String user,
    String protocol,
    String host,
    int port,
    String peerHost,
    int peerPort,
    String state,
    int channels,
    int channelMax,
    long frameMax,
    int heartbeat,
    String authMechanism,
    Tls tls,
    Map<String, Object> clientProperties,
    String userProvidedName,
    long connectedAtMillis,
    long recvOct,
    long recvCnt,
    long sendOct,
    long sendCnt,
    long sendPend) {

  public ConnectionInfo {
    clientProperties = Copies.map(clientProperties);
  }

  /** Whether the connection came over TLS ({@code ssl}). */
  public boolean ssl() {
    return tls != null;
  }

  /**
   * A TLS connection's parameters in RabbitMQ's names: {@code ssl_protocol} ({@code tlsv1.3}),
   * {@code ssl_key_exchange} ({@code ecdhe_rsa}, {@code any}), {@code ssl_cipher} ({@code
   * aes_256_gcm}), {@code ssl_hash} ({@code sha384}).
   */
  public record Tls(String protocol, String keyExchange, String cipher, String hash) {}
}
