package dev.warren.management.spi;

import java.util.List;

/**
 * The node as {@code /api/nodes} and {@code /api/overview} show it; a snapshot.
 *
 * @param name the node name clients see ({@code rabbit@host} in RabbitMQ)
 * @param clusterName the {@code cluster_name} global parameter, or the node name when unset
 * @param productVersion the version advertised as {@code rabbitmq_version} (RabbitMQ-like, as the
 *     AMQP server properties advertise it)
 * @param startedAtMillis epoch milliseconds of the node's start; uptime derives from it
 * @param memUsed bytes of memory in use (heap and direct)
 * @param memLimit the memory high watermark in bytes
 * @param diskFree free bytes on the data directory's disk
 * @param fdUsed file descriptors open, or -1 when unknown
 * @param fdTotal the descriptor limit, or -1 when unknown
 * @param authMechanisms SASL mechanisms offered to AMQP clients
 */
public record NodeInfo(
    String name,
    String clusterName,
    String productName,
    String productVersion,
    String runtimeVersion,
    long startedAtMillis,
    long memUsed,
    long memLimit,
    boolean memAlarm,
    long diskFree,
    long diskFreeLimit,
    boolean diskFreeAlarm,
    int processors,
    long fdUsed,
    long fdTotal,
    List<Listener> listeners,
    List<String> exchangeTypes,
    List<String> authMechanisms,
    ChurnCounters churn) {

  public NodeInfo {
    listeners = List.copyOf(listeners);
    exchangeTypes = List.copyOf(exchangeTypes);
    authMechanisms = List.copyOf(authMechanisms);
  }
}
