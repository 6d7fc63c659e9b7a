package dev.warren.broker.amqp;

import dev.warren.amqp.ChannelException;
import dev.warren.amqp.LongString;
import dev.warren.amqp.ReplyCode;
import dev.warren.amqp.method.Method;
import dev.warren.queue.QueueSettings;
import dev.warren.queue.QueueSettings.Overflow;
import java.util.Map;
import java.util.Set;

/**
 * Reads a queue declaration's {@code x-} arguments into {@link QueueSettings}, checking each as
 * RabbitMQ does (type and range; 406 PRECONDITION_FAILED naming the argument). Unlike RabbitMQ, an
 * {@code x-} argument we do not know is refused rather than ignored, so a typo does not silently
 * give a queue without the feature its author asked for (README, Compatibility notes). Stored
 * durable queues are read again through here at start-up, as the declarations they were.
 */
public final class QueueArguments {
  /** Arguments RabbitMQ knows that change nothing here; accepted and ignored. */
  private static final Set<String> IGNORED =
      Set.of(
          "x-queue-master-locator",
          "x-queue-leader-locator",
          "x-queue-version",
          "x-max-in-memory-length",
          "x-max-in-memory-bytes");

  private final String queue;
  private final String vhost;
  private final Method method;

  private QueueArguments(String queue, String vhost, Method method) {
    this.queue = queue;
    this.vhost = vhost;
    this.method = method;
  }

  /**
   * The settings the arguments ask for.
   *
   * @throws ChannelException 406 for an unknown, ill-typed or out-of-range argument
   */
  public static QueueSettings parse(
      Map<String, Object> args, QueueDefinitionView q, Method method) {
    return new QueueArguments(q.name(), q.vhost(), method).parse(args, q);
  }

  /** What of the declaration besides its arguments the checks need. */
  public record QueueDefinitionView(
      String name, String vhost, boolean durable, boolean exclusive, boolean autoDelete) {}

  private QueueSettings parse(Map<String, Object> args, QueueDefinitionView q) {
    for (String key : args.keySet()) {
      if (key.startsWith("x-") && !KNOWN.contains(key) && !IGNORED.contains(key)) {
        throw invalid(key, "unknown argument");
      }
    }
    queueType(args, q);
    quorumGroupSize(args);
    deadLetterStrategy(args);
    queueMode(args);
    queueVersion(args);
    String dlx = deadLetterExchange(args);
    String dlrk = string(args, "x-dead-letter-routing-key");
    if (dlrk != null && dlx == null) {
      throw invalid("x-dead-letter-routing-key", "routing_key_but_no_dlx_defined");
    }
    return new QueueSettings(
        integer(args, "x-message-ttl", 0),
        integer(args, "x-expires", 1),
        integer(args, "x-max-length", 0),
        integer(args, "x-max-length-bytes", 0),
        overflow(args),
        dlx,
        dlrk,
        priority(args),
        bool(args, "x-single-active-consumer"),
        deliveryLimit(args),
        integer(args, "x-consumer-timeout", 1));
  }

  private static final Set<String> KNOWN =
      Set.of(
          "x-message-ttl",
          "x-expires",
          "x-max-length",
          "x-max-length-bytes",
          "x-overflow",
          "x-dead-letter-exchange",
          "x-dead-letter-routing-key",
          "x-max-priority",
          "x-single-active-consumer",
          "x-delivery-limit",
          "x-consumer-timeout",
          "x-queue-type",
          "x-queue-mode",
          "x-quorum-initial-group-size",
          "x-dead-letter-strategy");

  /** classic, or quorum (our mirrored type: durable, for now on one node); streams do not exist. */
  private void queueType(Map<String, Object> args, QueueDefinitionView q) {
    String type = string(args, "x-queue-type");
    if (type == null || type.equals("classic")) {
      return;
    }
    if (type.equals("quorum")) {
      if (!q.durable() || q.exclusive() || q.autoDelete()) {
        throw invalid(
            "x-queue-type", "quorum queues must be durable, not exclusive and not auto-delete");
      }
      return;
    }
    if (type.equals("stream")) {
      throw invalid("x-queue-type", "stream queues are not supported by this broker");
    }
    throw invalid("x-queue-type", "unknown queue type '" + type + "'");
  }

  /**
   * x-quorum-initial-group-size: a positive integer, checked as RabbitMQ checks it on quorum queues
   * (on classic queues it is accepted and ignored; RabbitMQ refuses it there). It changes nothing:
   * a quorum queue lives in a queue group whose voters are fixed, min(3, nodes) of them, whatever
   * size it asks for (README, Cluster).
   */
  private void quorumGroupSize(Map<String, Object> args) {
    if ("quorum".equals(string(args, "x-queue-type"))) {
      integer(args, "x-quorum-initial-group-size", 1);
    }
  }

  /**
   * x-dead-letter-strategy: {@code at-most-once} or {@code at-least-once}, checked as RabbitMQ
   * checks it on quorum queues (accepted and ignored on classic ones, which RabbitMQ refuses).
   * Either way a dead-lettered persistent message stays in the queue's log until its dead letter is
   * safe in every queue it reached (at least once; README, Compatibility notes).
   */
  private void deadLetterStrategy(Map<String, Object> args) {
    Object value = args.get("x-dead-letter-strategy");
    if (value == null || !"quorum".equals(string(args, "x-queue-type"))) {
      return;
    }
    if (!(value instanceof LongString || value instanceof String)) {
      throw invalid("x-dead-letter-strategy", unacceptableType(value));
    }
    String strategy = value.toString();
    if (!strategy.equals("at-most-once") && !strategy.equals("at-least-once")) {
      throw invalid("x-dead-letter-strategy", "invalid_dlx_strategy");
    }
  }

  /** x-queue-mode changes nothing here (every queue pages alike), but must be a valid mode. */
  private void queueMode(Map<String, Object> args) {
    String mode = string(args, "x-queue-mode");
    if (mode != null && !mode.equals("default") && !mode.equals("lazy")) {
      throw invalid("x-queue-mode", "\"unsupported queue mode '" + mode + "'\"");
    }
  }

  /** x-queue-version changes nothing here either, but must be one RabbitMQ has (1 or 2). */
  private void queueVersion(Map<String, Object> args) {
    long version = integer(args, "x-queue-version", Long.MIN_VALUE);
    if (args.containsKey("x-queue-version") && version != 1 && version != 2) {
      throw invalid("x-queue-version", "\"unsupported queue version '" + version + "'\"");
    }
  }

  private Overflow overflow(Map<String, Object> args) {
    String value = string(args, "x-overflow");
    if (value == null) {
      return Overflow.DROP_HEAD;
    }
    return switch (value) {
      case "drop-head" -> Overflow.DROP_HEAD;
      case "reject-publish" -> Overflow.REJECT_PUBLISH;
      case "reject-publish-dlx" -> Overflow.REJECT_PUBLISH_DLX;
      default -> throw invalid("x-overflow", "invalid_overflow");
    };
  }

  /**
   * Any integer: a negative one means unlimited (RabbitMQ 4, which also checks no range; the limit
   * a queue runs with comes from {@code PolicySettings}).
   */
  private long deliveryLimit(Map<String, Object> args) {
    long limit = integer(args, "x-delivery-limit", Long.MIN_VALUE);
    return limit < 0 ? -1 : limit;
  }

  private int priority(Map<String, Object> args) {
    long max = integer(args, "x-max-priority", 0);
    if (max > 255) {
      throw invalid("x-max-priority", "{max_value_exceeded," + max + "}");
    }
    return max < 0 ? 0 : (int) max;
  }

  /** An integer argument at least {@code min}, or -1 when absent. */
  private long integer(Map<String, Object> args, String key, long min) {
    Object value = args.get(key);
    if (value == null) {
      return -1;
    }
    if (!FieldTypes.isInteger(value)) {
      throw invalid(key, "\"expected integer, got " + FieldTypes.name(value) + "\"");
    }
    long n = ((Number) value).longValue();
    if (n < min) {
      throw invalid(key, "{" + (n == 0 ? "value_zero" : "value_negative") + "," + n + "}");
    }
    return n;
  }

  private String string(Map<String, Object> args, String key) {
    Object value = args.get(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof LongString || value instanceof String)) {
      throw invalid(key, unacceptableType(value));
    }
    return value.toString();
  }

  private boolean bool(Map<String, Object> args, String key) {
    Object value = args.get(key);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean b)) {
      throw invalid(key, unacceptableType(value));
    }
    return b;
  }

  private static String unacceptableType(Object value) {
    return "{unacceptable_type," + FieldTypes.name(value) + "}";
  }

  /** A string; RabbitMQ words this refusal differently from the others. */
  private String deadLetterExchange(Map<String, Object> args) {
    Object value = args.get("x-dead-letter-exchange");
    if (value != null && !(value instanceof LongString || value instanceof String)) {
      throw new ChannelException(
          ReplyCode.PRECONDITION_FAILED,
          "invalid type '"
              + FieldTypes.name(value)
              + "' for arg 'x-dead-letter-exchange' in queue '"
              + queue
              + "' in vhost '"
              + vhost
              + "'",
          method.classId(),
          method.methodId());
    }
    return value == null ? null : value.toString();
  }

  private ChannelException invalid(String key, String why) {
    return new ChannelException(
        ReplyCode.PRECONDITION_FAILED,
        "invalid arg '" + key + "' for queue '" + queue + "' in vhost '" + vhost + "': " + why,
        method.classId(),
        method.methodId());
  }
}
