package dev.warren.amqp;

import java.util.Objects;

/**
 * A protocol error with the reply code the spec requires. Only the broker's connection handler
 * turns these into {@code channel.close} or {@code connection.close} (STYLE rule 7). Immutable.
 *
 * <p>{@link #classId()} and {@link #methodId()} name the method that caused the error, or are 0
 * when no method is to blame (e.g. a bad frame).
 */
public abstract class AmqpException extends RuntimeException {
  private final ReplyCode replyCode;
  private final String text;
  private final int classId;
  private final int methodId;

  protected AmqpException(ReplyCode replyCode, String text, int classId, int methodId) {
    super(replyCode.name() + " - " + text);
    this.replyCode = Objects.requireNonNull(replyCode, "replyCode");
    this.text = Objects.requireNonNull(text, "text");
    this.classId = classId;
    this.methodId = methodId;
  }

  public ReplyCode replyCode() {
    return replyCode;
  }

  /** The reply text without the reply code's name, e.g. {@code "no queue 'q' in vhost '/'"}. */
  public String text() {
    return text;
  }

  public int classId() {
    return classId;
  }

  public int methodId() {
    return methodId;
  }
}
