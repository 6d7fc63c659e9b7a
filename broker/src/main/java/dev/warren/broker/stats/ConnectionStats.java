package dev.warren.broker.stats;

import java.util.Locale;

/**
 * One connection's figures as its owner (its event loop) last published them, at the end of a batch
 * of work (a read, a batch of deliveries, a timer tick) in which any of them changed. Immutable;
 * any thread may read them without disturbing the connection. Named after the fields of RabbitMQ's
 * management API ({@code /api/connections}).
 *
 * @param info what the connection is (changes only during the handshake)
 * @param state where the connection is, as RabbitMQ names it
 * @param channels channels open (those closing included)
 * @param recvOct octets received from the socket ({@code recv_oct})
 * @param recvCnt frames received, heartbeats included ({@code recv_cnt}; RabbitMQ counts the
 *     socket's packets there)
 * @param sendOct octets sent, counted as they are encoded ({@code send_oct})
 * @param sendCnt frames sent, heartbeats included ({@code send_cnt}; RabbitMQ: packets)
 * @param sendPend octets written and not yet taken by the socket ({@code send_pend})
 */
public record ConnectionStats(
    ConnectionInfo info,
    State state,
    int channels,
    long recvOct,
    long recvCnt,
    long sendOct,
    long sendCnt,
    long sendPend) {

  /** The connection's {@link ConnectionInfo#name}. */
  public String name() {
    return info.name();
  }

  /** A connection's state as RabbitMQ names it ({@link #label()}). */
  public enum State {
    /** Before connection.start-ok. */
    STARTING,
    /** Before connection.tune-ok. */
    TUNING,
    /** Before connection.open. */
    OPENING,
    RUNNING,
    /** A resource alarm is set; the connection has not published since, so it is not held yet. */
    BLOCKING,
    /** A resource alarm holds the connection's publishes (its socket is not read). */
    BLOCKED,
    /** The connection has routed more than its queues have taken: its socket is not read. */
    FLOW,
    /** connection.close went either way; the socket closes next. */
    CLOSING;

    /** The name in RabbitMQ's management API: {@code running}, {@code blocked}, ... */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
