package dev.warren.broker;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * This node's name: {@code warren@} and the host's short name, as RabbitMQ names a node {@code
 * rabbit@<short host name>}. It names the node in the management API and in firehose copies, and is
 * the cluster's name while no {@code cluster_name} is set.
 */
public final class NodeName {
  private static final String LOCAL = "warren@" + shortHostName();

  private NodeName() {}

  public static String local() {
    return LOCAL;
  }

  private static String shortHostName() {
    try {
      String host = InetAddress.getLocalHost().getHostName();
      int dot = host.indexOf('.');
      return dot > 0 ? host.substring(0, dot) : host;
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
