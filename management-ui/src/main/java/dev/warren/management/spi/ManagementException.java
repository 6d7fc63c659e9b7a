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
    UNAVAILABLE
  }

  private final Kind kind;

  public ManagementException(Kind kind, String reason) {
    super(reason);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
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
}
