package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * Creates a durable queue or replaces its attributes. The virtual host must exist. Exclusive and
 * transient queues are never stored. {@code arguments} is the queue's AMQP field table (x-
 * arguments), encoded by the broker.
 *
 * <p>{@code queueGroup}: the queue group (the cluster's Raft group) a mirrored queue lives in, as
 * the node that declared it chose; {@link #NO_GROUP} for a queue whose messages stay on each node
 * (classic queues, and every queue of a single node). Recorded once: a redeclaration keeps the
 * group the queue was created with.
 *
 * <p>The command carries no queue id: the store allocates it when it applies the command (from a
 * counter in the same transaction), and a redeclared queue keeps its id. Allocating at apply time
 * keeps the command deterministic in the replicated metadata log: every replica applies the log in
 * the same order and so allocates the same id, without the proposer having to know a free id.
 */
public record PutQueue(
    String vhost, String name, boolean autoDelete, byte[] arguments, int queueGroup)
    implements DefinitionCommand {

  /** The queue lives in no queue group. */
  public static final int NO_GROUP = -1;

  /** A queue in no queue group. */
  public PutQueue(String vhost, String name, boolean autoDelete, byte[] arguments) {
    this(vhost, name, autoDelete, arguments, NO_GROUP);
  }

  public PutQueue {
    if (queueGroup < NO_GROUP) {
      throw new IllegalArgumentException("queue group " + queueGroup);
    }
    Objects.requireNonNull(vhost, "vhost");
    Objects.requireNonNull(name, "name");
    arguments = Bytes.copy(arguments, "arguments");
  }

  /** A copy of the encoded arguments. */
  @Override
  public byte[] arguments() {
    return arguments.clone();
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.putQueue(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PutQueue other
        && vhost.equals(other.vhost)
        && name.equals(other.name)
        && autoDelete == other.autoDelete
        && queueGroup == other.queueGroup
        && Bytes.equal(arguments, other.arguments);
  }

  @Override
  public int hashCode() {
    return Objects.hash(vhost, name, autoDelete, queueGroup, Bytes.hash(arguments));
  }

  @Override
  public String toString() {
    return "PutQueue[vhost=%s, name=%s, autoDelete=%s, arguments=%s, queueGroup=%d]"
        .formatted(vhost, name, autoDelete, Bytes.hex(arguments), queueGroup);
  }
}
