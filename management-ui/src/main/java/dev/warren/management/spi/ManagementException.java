package dev.warren.management.spi;

/**
 * A refusal by the backend, with the reason text RabbitMQ's API would show (for example {@code
 * "inequivalent arg 'durable' for queue 'q1' in vhost '/': received 'false' but current is
 * 'true'"}). The API answers it as {@code {"error": ..., "reason": reason}} with the status of its
 * {@link Kind}.
 */
public final class ManagementException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, which decides the HTTP status. */
  public enum Kind {
    /** The object, or the virtual host it lives in, does not exist: 404. */
    NOT_FOUND,
    /** The request is invalid or conflicts with what exists (AMQP 406 and 405 cases): 400. */
    BAD_REQUEST,
    /** The object may not be changed through this API (an {@code amq.*} exchange): 401. */
    ACCESS_REFUSED,
    /** The node cannot take it now (a resource alarm holds publishers): 503. */
    UNAVAILABLE,
    /** The caller must wait before asking again (a login too soon after a failed one): 429. */
    TOO_MANY_REQUESTS
  }

  private final Kind kind;
  private final long retryAfterMillis;

  public ManagementException(Kind kind, String reason) {
    this(kind, reason, 0);
  }

  private ManagementException(Kind kind, String reason, long retryAfterMillis) {
    super(reason);
    this.kind = kind;
    this.retryAfterMillis = retryAfterMillis;
  }

  public Kind kind() {
    return kind;
  }

  /** How long the caller should wait before asking again; 0 when it need not. */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }

  public static ManagementException notFound(String reason) {
    return new ManagementException(Kind.NOT_FOUND, reason);
  }

  public static ManagementException badRequest(String reason) {
    return new ManagementException(Kind.BAD_REQUEST, reason);
  }

  public static ManagementException unavailable(String reason) {
    return new ManagementException(Kind.UNAVAILABLE, reason);
  }

  public static ManagementException tooManyRequests(String reason, long retryAfterMillis) {
    return new ManagementException(Kind.TOO_MANY_REQUESTS, reason, retryAfterMillis);
  }
}
