package dev.warren.broker.policy;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the broker's runtime parameters say now: each virtual host's policies, operator policies and
 * limits, and the global parameters. Any thread reads, without locks (immutable snapshots); only
 * the metadata writer changes it, after the store ({@code PolicyChanges}), and applies the change
 * to live queues and exchanges itself.
 */
public final class Policies {
  /** The global parameter that names the cluster (connection.start's {@code cluster_name}). */
  public static final String CLUSTER_NAME = "cluster_name";

  private final ConcurrentHashMap<String, VhostPolicies> policies = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, VhostLimits> limits = new ConcurrentHashMap<>();
  private final String defaultClusterName;

  /** Copy on write, by the metadata writer; values may be null (JSON's null). */
  private volatile Map<String, Object> globals = Map.of();

  /**
   * @param defaultClusterName the cluster's name while no {@value #CLUSTER_NAME} parameter is set
   */
  public Policies(String defaultClusterName) {
    this.defaultClusterName = defaultClusterName;
  }

  public VhostPolicies vhost(String vhost) {
    return policies.getOrDefault(vhost, VhostPolicies.EMPTY);
  }

  /** What applies to a queue of the virtual host. */
  public EffectivePolicy forQueue(String vhost, String queue) {
    return vhost(vhost).forQueue(queue);
  }

  /** What applies to an exchange of the virtual host. */
  public EffectivePolicy forExchange(String vhost, String exchange) {
    return vhost(vhost).forExchange(exchange);
  }

  /** The virtual host's limits, {@link VhostLimits#NONE} when its parameter is not set. */
  public VhostLimits limits(String vhost) {
    return limits.getOrDefault(vhost, VhostLimits.NONE);
  }

  /** Every global parameter, by name, unmodifiable. */
  public Map<String, Object> globalParameters() {
    return globals;
  }

  /**
   * The {@value #CLUSTER_NAME} global parameter (a value that is not a string as its text), or the
   * default: {@code warren@} and the host's name, as RabbitMQ's is its node's name.
   */
  public String clusterName() {
    Map<String, Object> now = globals;
    if (!now.containsKey(CLUSTER_NAME)) {
      return defaultClusterName;
    }
    return String.valueOf(now.get(CLUSTER_NAME));
  }

  // ---- changes: the metadata writer only, after the store ----

  public void policies(String vhost, VhostPolicies now) {
    policies.put(vhost, now);
  }

  public void limits(String vhost, VhostLimits now) {
    if (now == VhostLimits.NONE) {
      limits.remove(vhost);
    } else {
      limits.put(vhost, now);
    }
  }

  /** A virtual host is gone, and its policies, operator policies and limits with it. */
  public void vhostDeleted(String vhost) {
    policies.remove(vhost);
    limits.remove(vhost);
  }

  /** Sets ({@code present}) or removes a global parameter. */
  public void globalParameter(String name, Object value, boolean present) {
    Map<String, Object> changed = new TreeMap<>(globals);
    if (present) {
      changed.put(name, value);
    } else {
      changed.remove(name);
    }
    globals = Collections.unmodifiableMap(changed);
  }
}
