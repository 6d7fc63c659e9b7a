package dev.warren.broker.amqp;

import dev.warren.amqp.Command;
import dev.warren.amqp.ConnectionException;
import dev.warren.amqp.LongString;
import dev.warren.amqp.ReplyCode;
import dev.warren.amqp.method.ConnectionClose;
import dev.warren.amqp.method.ConnectionOpen;
import dev.warren.amqp.method.ConnectionOpenOk;
import dev.warren.amqp.method.ConnectionStart;
import dev.warren.amqp.method.ConnectionStartOk;
import dev.warren.amqp.method.ConnectionTune;
import dev.warren.amqp.method.ConnectionTuneOk;
import dev.warren.amqp.method.ConnectionUpdateSecret;
import dev.warren.amqp.method.ConnectionUpdateSecretOk;
import dev.warren.amqp.method.Method;
import dev.warren.broker.access.Grants;
import dev.warren.broker.access.User;
import dev.warren.broker.stats.ConnectionStats;
import dev.warren.broker.tls.CertificateLogin;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.queue.MessageQueue;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection class of AMQP 0-9-1 (spec 1.4.2): start, start-ok, tune, tune-ok, open, and the
 * client's close. Negotiates limits as RabbitMQ does: a client value of 0 takes the server's,
 * otherwise the lower one wins. SASL mechanisms: PLAIN and AMQPLAIN, and EXTERNAL on a TLS
 * connection whose client presented a certificate the CA vouches for (the user is named in it, see
 * {@link CertificateLogin}). Thread: the connection's event loop.
 */
final class Handshake {
  private static final Logger LOG = LoggerFactory.getLogger(Handshake.class);

  /** The SASL mechanism in which the TLS certificate is the credential (RFC 4422, appendix A). */
  private static final String EXTERNAL = "EXTERNAL";

  /** The smallest frame-max the spec allows (frame-min-size). */
  private static final int FRAME_MIN_SIZE = 4096;

  private enum State {
    AWAITING_HEADER,
    AWAITING_START_OK,
    AWAITING_TUNE_OK,
    AWAITING_OPEN,
    OPEN
  }

  private final AmqpConnection connection;
  private final BrokerContext broker;
  private State state = State.AWAITING_HEADER;

  /** The client's verified TLS certificate, when there is one: EXTERNAL is offered. */
  private X509Certificate peerCertificate;

  private User user;
  private VirtualHost vhost;
  private Grants grants;

  /** Whether this connection counts toward its user's max-connections (from open to gone). */
  private boolean counted;

  /** The virtual host whose max-connections it counts toward (from open to gone), or null. */
  private VirtualHost countedIn;

  private int channelMax;
  private boolean authFailureClose;
  private boolean consumerCancelNotify;
  private boolean blockedCapability;
  private String clientName = "";

  /** The client's {@code client_id} property, the {@code {client_id}} of topic permissions. */
  private String clientId = "";

  Handshake(AmqpConnection connection, BrokerContext broker) {
    this.connection = connection;
    this.broker = broker;
  }

  boolean isOpen() {
    return state == State.OPEN;
  }

  VirtualHost vhost() {
    return vhost;
  }

  User user() {
    return user;
  }

  Grants grants() {
    return grants;
  }

  int channelMax() {
    return channelMax;
  }

  /** How far the handshake is, as RabbitMQ names it: starting, tuning, opening, running. */
  ConnectionStats.State state() {
    return switch (state) {
      case AWAITING_HEADER, AWAITING_START_OK -> ConnectionStats.State.STARTING;
      case AWAITING_TUNE_OK -> ConnectionStats.State.TUNING;
      case AWAITING_OPEN -> ConnectionStats.State.OPENING;
      case OPEN -> ConnectionStats.State.RUNNING;
    };
  }

  /** Whether the client announced the consumer_cancel_notify capability. */
  boolean consumerCancelNotify() {
    return consumerCancelNotify;
  }

  /** Whether the client announced the connection.blocked capability. */
  boolean blockedCapability() {
    return blockedCapability;
  }

  /**
   * The protocol header arrived: offer connection.start (spec 4.2.2). On TLS the header came
   * through a completed handshake, so the client's certificate, if any, is known and verified.
   */
  void start() {
    state = State.AWAITING_START_OK;
    peerCertificate = connection.tlsSession().flatMap(Handshake::verifiedPeer).orElse(null);
    String mechanisms = String.join(" ", ServerProperties.MECHANISMS);
    if (peerCertificate != null) {
      mechanisms += " " + EXTERNAL;
    }
    connection.send(
        new Command(
            0,
            new ConnectionStart(
                0,
                9,
                ServerProperties.table(broker.policies().clusterName()),
                LongString.of(mechanisms),
                LongString.of("en_US")),
            null,
            null));
  }

  /**
   * The client's certificate: the TLS handler completed the handshake only if it chains to the CA
   * (tls-verify peer); without tls-verify none was asked for.
   */
  private static Optional<X509Certificate> verifiedPeer(SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x509
          ? Optional.of(x509)
          : Optional.empty();
    } catch (SSLPeerUnverifiedException none) {
      return Optional.empty();
    }
  }

  /**
   * Whether errors are answered with connection.close: from connection.tune-ok on. Before that
   * RabbitMQ does not trust the client and drops the socket without a word, and so do we.
   */
  boolean answersErrors() {
    return state == State.AWAITING_OPEN || state == State.OPEN;
  }

  /**
   * A method on channel 0. Out of turn it is a connection error: 504 once the client is trusted
   * (with RabbitMQ's text, naming the state), a dropped socket before.
   */
  void onMethod(Method method) {
    switch (state) {
      case OPEN -> {
        if (method instanceof ConnectionClose) {
          connection.clientClosed();
        } else if (method instanceof ConnectionUpdateSecret) {
          // Passwords do not expire here, so a new secret changes nothing; RabbitMQ's answer.
          connection.send(new Command(0, new ConnectionUpdateSecretOk(), null, null));
        } else {
          throw unexpectedIn("running", method);
        }
      }
      case AWAITING_OPEN -> {
        if (!(method instanceof ConnectionOpen m)) {
          throw unexpectedIn("opening", method);
        }
        open(m);
      }
      case AWAITING_START_OK -> {
        if (!(method instanceof ConnectionStartOk m)) {
          throw unexpectedIn("starting", method);
        }
        startOk(m);
      }
      case AWAITING_TUNE_OK -> {
        if (!(method instanceof ConnectionTuneOk m)) {
          throw unexpectedIn("tuning", method);
        }
        tuneOk(m);
      }
      case AWAITING_HEADER ->
          throw new IllegalStateException("a method before the protocol header");
    }
  }

  private static ConnectionException unexpectedIn(String connectionState, Method method) {
    return new ConnectionException(
        ReplyCode.CHANNEL_ERROR,
        "unexpected method in connection state " + connectionState,
        method.classId(),
        method.methodId());
  }

  /**
   * A login to check: the user the client claims to be, and the check (a password against its hash,
   * or a user named by a verified certificate).
   */
  private record Login(String userName, Supplier<Optional<User>> check) {}

  private void startOk(ConnectionStartOk m) {
    readClientProperties(m.clientProperties());
    Login login =
        EXTERNAL.equals(m.mechanism()) && peerCertificate != null
            ? certificateLogin()
            : passwordLogin(m);
    InetAddress from = peerAddress();
    long delay = from == null ? 0 : broker.logins().delayMillis(from);
    if (delay == 0) {
      authenticate(m, login, from);
      return;
    }
    // Failed logins from this address lately: this one is checked later, whatever its credentials.
    connection
        .ctx()
        .executor()
        .schedule(
            () -> {
              if (connection.ctx().channel().isActive()) {
                authenticate(m, login, from);
                connection.flushIfNeeded();
              }
            },
            delay,
            TimeUnit.MILLISECONDS);
  }

  /** PLAIN or AMQPLAIN; an unknown mechanism or a malformed response drops the socket. */
  private Login passwordLogin(ConnectionStartOk m) {
    Credentials credentials =
        Credentials.parse(m.mechanism(), m.response())
            .orElseThrow(
                () ->
                    new ConnectionException(
                        ReplyCode.ACCESS_REFUSED,
                        "no user and password in a " + m.mechanism() + " response",
                        m.classId(),
                        m.methodId()));
    return new Login(
        credentials.user(),
        () ->
            broker
                .access()
                .authenticate(
                    credentials.user(),
                    credentials.password(),
                    connection.ctx().channel().remoteAddress()));
  }

  /**
   * EXTERNAL: the user is named in the verified certificate (its response is ignored, as
   * RabbitMQ's); a certificate that names none is refused like an unknown user.
   */
  private Login certificateLogin() {
    String name =
        CertificateLogin.userName(peerCertificate, broker.config().tls().certLogin()).orElse("");
    return new Login(
        name,
        () ->
            name.isEmpty()
                ? Optional.empty()
                : broker
                    .access()
                    .authenticateByCertificate(name, connection.ctx().channel().remoteAddress()));
  }

  private void authenticate(ConnectionStartOk m, Login login, InetAddress from) {
    Optional<User> authenticated = login.check().get();
    if (authenticated.isEmpty()) {
      if (from != null) {
        broker.logins().failed(from);
      }
      refuseLogin(m.mechanism(), login.userName());
      return;
    }
    if (from != null) {
      broker.logins().succeeded(from);
    }
    user = authenticated.get();
    state = State.AWAITING_TUNE_OK;
    connection.figures().loggedIn(user.name(), m.mechanism(), m.clientProperties());
    connection.send(
        new Command(
            0,
            new ConnectionTune(
                broker.config().channelMax(),
                broker.config().frameMax(),
                broker.config().heartbeatSeconds()),
            null,
            null));
  }

  private InetAddress peerAddress() {
    return connection.ctx().channel().remoteAddress() instanceof InetSocketAddress inet
        ? inet.getAddress()
        : null;
  }

  private void readClientProperties(Map<String, Object> properties) {
    if (properties == null) {
      return;
    }
    Object name = properties.get("connection_name");
    clientName = name == null ? "" : name.toString();
    Object id = properties.get("client_id");
    clientId = id == null ? "" : id.toString();
    if (properties.get("capabilities") instanceof Map<?, ?> caps) {
      authFailureClose = Boolean.TRUE.equals(caps.get("authentication_failure_close"));
      consumerCancelNotify = Boolean.TRUE.equals(caps.get("consumer_cancel_notify"));
      blockedCapability = Boolean.TRUE.equals(caps.get("connection.blocked"));
    }
  }

  /**
   * RabbitMQ's answer to a login with a wrong user or password: connection.close ACCESS_REFUSED
   * (naming no method) for clients that asked for it (authentication_failure_close), otherwise just
   * the socket closed.
   */
  private void refuseLogin(String mechanism, String userName) {
    LOG.warn(
        "login refused for user '{}' ({}) from {}",
        userName,
        mechanism,
        connection.ctx().channel().remoteAddress());
    String text =
        "Login was refused using authentication mechanism "
            + mechanism
            + ". For details see the broker logfile.";
    if (authFailureClose) {
      connection.beginClose(ReplyCode.ACCESS_REFUSED, text, 0, 0);
    } else {
      connection.closeSocket();
    }
  }

  /**
   * The client's choice must lie within what the server proposed (0 means "no limit", which exceeds
   * any proposal); otherwise RabbitMQ closes the socket without a word, and so do we.
   */
  private void tuneOk(ConnectionTuneOk m) {
    int serverFrameMax = broker.config().frameMax();
    int serverChannelMax = broker.config().channelMax();
    boolean frameMaxOk = m.frameMax() >= FRAME_MIN_SIZE && m.frameMax() <= serverFrameMax;
    boolean channelMaxOk = m.channelMax() > 0 && m.channelMax() <= serverChannelMax;
    if (!frameMaxOk || !channelMaxOk) {
      LOG.warn(
          "connection {}: tune-ok with frame_max={} channel_max={} outside the proposal, closing",
          connection.ctx().channel().remoteAddress(),
          m.frameMax(),
          m.channelMax());
      connection.closeSocket();
      return;
    }
    channelMax = m.channelMax();
    state = State.AWAITING_OPEN;
    connection.figures().tuned(m.frameMax(), m.channelMax(), m.heartbeat());
    connection.applyTuning(m.frameMax(), m.heartbeat());
  }

  /**
   * RabbitMQ's order, 530 NOT_ALLOWED for each: an unknown vhost, the vhost's connection limit, the
   * user's connection limit, a user without permissions on the vhost.
   */
  private void open(ConnectionOpen m) {
    VirtualHost requested =
        broker
            .vhosts()
            .lookup(m.virtualHost())
            .orElseThrow(
                () ->
                    new ConnectionException(
                        ReplyCode.NOT_ALLOWED,
                        "vhost " + m.virtualHost() + " not found",
                        m.classId(),
                        m.methodId()));
    long vhostLimit = broker.policies().limits(requested.name()).maxConnections();
    if (!requested.connectionOpened(vhostLimit)) {
      throw new ConnectionException(
          ReplyCode.NOT_ALLOWED,
          "access to vhost '"
              + requested.name()
              + "' refused for user '"
              + user.name()
              + "': connection limit ("
              + vhostLimit
              + ") is reached",
          m.classId(),
          m.methodId());
    }
    countedIn = requested;
    if (!broker.access().connectionOpened(user)) {
      throw new ConnectionException(
          ReplyCode.NOT_ALLOWED,
          "connection refused for user '"
              + user.name()
              + "': user connection limit ("
              + user.maxConnections()
              + ") is reached",
          m.classId(),
          m.methodId());
    }
    counted = true;
    grants =
        broker
            .access()
            .grants(user, requested.name(), clientId)
            .orElseThrow(
                () ->
                    new ConnectionException(
                        ReplyCode.NOT_ALLOWED,
                        "access to vhost '"
                            + requested.name()
                            + "' refused for user '"
                            + user.name()
                            + "'",
                        m.classId(),
                        m.methodId()));
    vhost = requested;
    vhost.clients().add(connection);
    if (vhost.isDeleted()) {
      // Deleted since the lookup: its deletion may have closed its clients before this one came.
      throw new ConnectionException(
          ReplyCode.CONNECTION_FORCED, "vhost '" + vhost.name() + "' is deleted");
    }
    state = State.OPEN;
    connection.opened();
    connection.figures().opened(vhost.name());
    LOG.debug(
        "connection {} '{}' opened vhost '{}' as '{}'",
        connection.ctx().channel().remoteAddress(),
        clientName,
        vhost.name(),
        user.name());
    connection.send(new Command(0, new ConnectionOpenOk(""), null, null));
  }

  /**
   * A channel is opening: refused with connection.close 530 when the user has as many channels open
   * as its max-channels (RabbitMQ names no method then).
   */
  void channelOpening() {
    if (!broker.access().channelOpened(user)) {
      throw new ConnectionException(
          ReplyCode.NOT_ALLOWED,
          "number of channels opened for user '"
              + user.name()
              + "' has reached the maximum allowed user limit of ("
              + user.maxChannels()
              + ")",
          0,
          0);
    }
  }

  /** A channel counted by {@link #channelOpening} is closed. */
  void channelGone() {
    broker.access().channelClosed(user);
  }

  /**
   * The socket is gone: exclusive queues of this connection go with it, and any durable auto-delete
   * exchange they leave without bindings (the metadata thread forgets them, in the background).
   */
  void connectionGone(List<MessageQueue> exclusiveQueues) {
    if (counted) {
      counted = false;
      broker.access().connectionClosed(user);
    }
    if (countedIn != null) {
      countedIn.connectionClosed();
      countedIn = null;
    }
    for (MessageQueue queue : exclusiveQueues) {
      queue.delete(false, false).thenRun(() -> broker.changes().forgetQueue(vhost, queue));
    }
  }
}
