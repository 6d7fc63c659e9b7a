package dev.warren.amqp;

/**
 * Every reply code of AMQP 0-9-1 (spec section 1.1, constants) plus RabbitMQ's {@code NO_ROUTE},
 * with the spec's name, number and class: a soft error closes a channel, a hard error closes the
 * connection. Immutable; usable from any thread.
 */
public enum ReplyCode {
  REPLY_SUCCESS(200, false),
  CONTENT_TOO_LARGE(311, false),
  /** RabbitMQ extension: the reply code of {@code basic.return} for an unroutable message. */
  NO_ROUTE(312, false),
  NO_CONSUMERS(313, false),
  CONNECTION_FORCED(320, true),
  INVALID_PATH(402, true),
  ACCESS_REFUSED(403, false),
  NOT_FOUND(404, false),
  RESOURCE_LOCKED(405, false),
  PRECONDITION_FAILED(406, false),
  FRAME_ERROR(501, true),
  SYNTAX_ERROR(502, true),
  COMMAND_INVALID(503, true),
  CHANNEL_ERROR(504, true),
  UNEXPECTED_FRAME(505, true),
  RESOURCE_ERROR(506, true),
  NOT_ALLOWED(530, true),
  NOT_IMPLEMENTED(540, true),
  INTERNAL_ERROR(541, true);

  private final int code;
  private final boolean hardError;

  ReplyCode(int code, boolean hardError) {
    this.code = code;
    this.hardError = hardError;
  }

  /** The number sent on the wire, e.g. 406. */
  public int code() {
    return code;
  }

  /** True for a connection (hard) error, false for a channel (soft) error or success. */
  public boolean isHardError() {
    return hardError;
  }

  /**
   * The reply code with this number.
   *
   * @throws IllegalArgumentException if the number is not a known reply code
   */
  public static ReplyCode of(int code) {
    for (ReplyCode replyCode : values()) {
      if (replyCode.code == code) {
        return replyCode;
      }
    }
    throw new IllegalArgumentException("unknown reply code " + code);
  }
}
