package dev.warren.mirroring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A node of the cluster as {@code --cluster-peers} names it: {@code name@host:port}, the address
 * its cluster (Raft) listener binds.
 */
public record ClusterPeer(String name, String host, int port) {

  public ClusterPeer {
    if (name.isEmpty() || name.indexOf('@') >= 0 || name.indexOf(',') >= 0) {
      throw new IllegalArgumentException("bad node name '" + name + "'");
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("no host for node '" + name + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("bad port " + port + " for node '" + name + "'");
    }
  }

  /** {@code host:port}. */
  public String address() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return name + "@" + address();
  }

  /**
   * The peers of {@code n1@H:P,n2@H:P,...}: at least one, names unique.
   *
   * @throws IllegalArgumentException naming the entry that is not {@code name@host:port}
   */
  public static List<ClusterPeer> parseList(String text) {
    List<ClusterPeer> peers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String entry : text.split(",", -1)) {
      String trimmed = entry.trim();
      int at = trimmed.indexOf('@');
      if (at <= 0) {
        throw new IllegalArgumentException("'" + trimmed + "' is not name@host:port");
      }
      String[] hostPort = hostPort(trimmed.substring(at + 1));
      ClusterPeer peer =
          new ClusterPeer(trimmed.substring(0, at), hostPort[0], port(hostPort[1], trimmed));
      if (!names.add(peer.name())) {
        throw new IllegalArgumentException("node '" + peer.name() + "' is named twice");
      }
      peers.add(peer);
    }
    return List.copyOf(peers);
  }

  /** {@code host:port} split at its last colon. */
  static String[] hostPort(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not host:port");
    }
    return new String[] {text.substring(0, colon), text.substring(colon + 1)};
  }

  static int port(String text, String entry) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in '" + entry + "'", e);
    }
  }
}
