package dev.warren.broker.amqp;

import dev.warren.amqp.AmqpException;
import dev.warren.amqp.ChannelException;
import dev.warren.amqp.ReplyCode;
import dev.warren.amqp.method.Method;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.queue.MessageQueue;
import dev.warren.queue.QueueException;

/** The reply codes and texts RabbitMQ uses for refusals about queues and exchanges. */
public final class QueueErrors {
  private QueueErrors() {}

  static ChannelException notFound(String kind, String name, VirtualHost vhost, Method m) {
    return new ChannelException(
        ReplyCode.NOT_FOUND,
        "no " + kind + " '" + name + "' in vhost '" + vhost.name() + "'",
        m.classId(),
        m.methodId());
  }

  static ChannelException locked(MessageQueue queue, VirtualHost vhost, Method m) {
    return new ChannelException(
        ReplyCode.RESOURCE_LOCKED,
        lockedText(queue.name(), vhost.name()),
        m.classId(),
        m.methodId());
  }

  /** RabbitMQ's RESOURCE_LOCKED text for another connection's exclusive queue. */
  public static String lockedText(String queue, String vhost) {
    return "cannot obtain exclusive access to locked queue '"
        + queue
        + "' in vhost '"
        + vhost
        + "'. It could be originally declared on another connection or the exclusive"
        + " property value does not match that of the original declaration.";
  }

  static ChannelException accessRefused(String text, Method m) {
    return new ChannelException(ReplyCode.ACCESS_REFUSED, text, m.classId(), m.methodId());
  }

  static ChannelException preconditionFailed(String text, Method m) {
    return new ChannelException(ReplyCode.PRECONDITION_FAILED, text, m.classId(), m.methodId());
  }

  /** A failure that came back from a queue's thread. */
  static RuntimeException toChannelException(Throwable failure, Method m) {
    if (failure instanceof QueueException qe) {
      ReplyCode code =
          switch (qe.reason()) {
            case IN_USE, NOT_EMPTY -> ReplyCode.PRECONDITION_FAILED;
            case EXCLUSIVE_CONSUMER -> ReplyCode.ACCESS_REFUSED;
            case DELETED, UNAVAILABLE, NOT_LEADER -> ReplyCode.NOT_FOUND;
          };
      return new ChannelException(code, qe.getMessage(), m.classId(), m.methodId());
    }
    if (failure instanceof AmqpException ae) {
      return ae;
    }
    return new IllegalStateException("queue operation failed", failure);
  }
}
