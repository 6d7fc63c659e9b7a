package dev.warren.amqp;

/** An error that closes one channel with {@code channel.close}; its reply code is always soft. */
public final class ChannelException extends AmqpException {
  public ChannelException(ReplyCode replyCode, String text) {
    this(replyCode, text, 0, 0);
  }

  /**
   * @throws IllegalArgumentException if {@code replyCode} is a hard error (those must close the
   *     connection: use {@link ConnectionException})
   */
  public ChannelException(ReplyCode replyCode, String text, int classId, int methodId) {
    super(requireSoft(replyCode), text, classId, methodId);
  }

  private static ReplyCode requireSoft(ReplyCode replyCode) {
    if (replyCode.isHardError()) {
      throw new IllegalArgumentException(replyCode + " is a hard error: use ConnectionException");
    }
    return replyCode;
  }
}
