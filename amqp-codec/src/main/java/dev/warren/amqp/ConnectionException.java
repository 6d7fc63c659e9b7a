package dev.warren.amqp;

/**
 * An error that closes the whole connection with {@code connection.close}. Usually carries a hard
 * reply code, but a soft one is allowed too (RabbitMQ answers a refused {@code connection.open}
 * with {@code connection.close} 403).
 */
public final class ConnectionException extends AmqpException {
  public ConnectionException(ReplyCode replyCode, String text) {
    this(replyCode, text, 0, 0);
  }

  public ConnectionException(ReplyCode replyCode, String text, int classId, int methodId) {
    super(replyCode, text, classId, methodId);
  }
}
