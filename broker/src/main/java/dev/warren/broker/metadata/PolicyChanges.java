package dev.warren.broker.metadata;

import dev.warren.broker.policy.Policies;
import dev.warren.broker.policy.Policy;
import dev.warren.broker.policy.PolicyException;
import dev.warren.broker.policy.PolicyValues;
import dev.warren.broker.policy.VhostLimits;
import dev.warren.broker.policy.VhostPolicies;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.broker.vhost.VirtualHosts;
import dev.warren.persistence.definitions.DefinitionCommand;
import dev.warren.persistence.definitions.DeleteGlobalParameter;
import dev.warren.persistence.definitions.DeleteOperatorPolicy;
import dev.warren.persistence.definitions.DeleteParameter;
import dev.warren.persistence.definitions.DeletePolicy;
import dev.warren.persistence.definitions.PutGlobalParameter;
import dev.warren.persistence.definitions.PutOperatorPolicy;
import dev.warren.persistence.definitions.PutParameter;
import dev.warren.persistence.definitions.PutPolicy;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Changes of policies, operator policies, runtime parameters (of component {@value
 * VhostLimits#COMPONENT}, the one this broker has) and global parameters, each a task of the
 * metadata writer: checked first, on the caller's thread (a {@link PolicyException} with RabbitMQ's
 * text, thrown before anything is submitted), then stored (one H2 transaction, forced to disk),
 * then put into {@link Policies}, then applied to the live queues and exchanges it concerns ({@link
 * PolicyEffects}: each queue on its own thread, at once). Futures complete on the metadata thread:
 * with true when the change created (or the delete removed) the thing; a virtual host that does not
 * exist fails them with {@link IllegalArgumentException}, and changes nothing.
 *
 * <p>Values are what JSON gives (the management API): strings, numbers, booleans, maps, lists.
 */
public final class PolicyChanges {
  private final MetadataProxy metadata;
  private final VirtualHosts vhosts;
  private final Policies policies;

  public PolicyChanges(MetadataProxy metadata, VirtualHosts vhosts, Policies policies) {
    this.metadata = metadata;
    this.vhosts = vhosts;
    this.policies = policies;
  }

  /**
   * Creates or replaces a policy.
   *
   * @param applyTo {@code queues}, {@code exchanges} or {@code all}
   * @throws PolicyException if RabbitMQ would refuse it
   */
  public CompletableFuture<Boolean> putPolicy(
      String vhost,
      String name,
      String pattern,
      String applyTo,
      int priority,
      Map<String, ?> definition) {
    return put(vhost, Policy.of(name, pattern, applyTo, priority, definition, false), false);
  }

  /** Deletes a policy; completes with false when there was none. */
  public CompletableFuture<Boolean> deletePolicy(String vhost, String name) {
    return delete(vhost, name, false);
  }

  /**
   * Creates or replaces an operator policy: it may set only {@code message-ttl}, {@code expires},
   * {@code max-length}, {@code max-length-bytes}, {@code delivery-limit} (and the inert {@code
   * max-in-memory-*}), and caps what policies and queue arguments ask for.
   *
   * @throws PolicyException if RabbitMQ would refuse it
   */
  public CompletableFuture<Boolean> putOperatorPolicy(
      String vhost,
      String name,
      String pattern,
      String applyTo,
      int priority,
      Map<String, ?> definition) {
    return put(vhost, Policy.of(name, pattern, applyTo, priority, definition, true), true);
  }

  /** Deletes an operator policy; completes with false when there was none. */
  public CompletableFuture<Boolean> deleteOperatorPolicy(String vhost, String name) {
    return delete(vhost, name, true);
  }

  /**
   * Sets a runtime parameter of a virtual host. The only component is {@value
   * VhostLimits#COMPONENT}, name {@value VhostLimits#NAME}: the virtual host's limits, enforced at
   * once for new connections and new queues (those already there stay).
   *
   * @param value a JSON object: {@code max-connections}, {@code max-queues}
   * @throws PolicyException for another component (RabbitMQ's "component X not found") or name, or
   *     limits RabbitMQ would refuse
   */
  public CompletableFuture<Boolean> putParameter(
      String component, String vhost, String name, Object value) {
    checkLimitsParameter(component, name);
    VhostLimits limits = VhostLimits.of(value);
    PutParameter command =
        new PutParameter(component, vhost, name, StoredArguments.encode(limits.value()));
    return metadata.call(
        store -> {
          vhost(vhost);
          boolean created = policies.limits(vhost) == VhostLimits.NONE;
          store.apply(command);
          policies.limits(vhost, limits);
          return created;
        });
  }

  /** Clears a runtime parameter; completes with false when it was not set. */
  public CompletableFuture<Boolean> deleteParameter(String component, String vhost, String name) {
    checkLimitsParameter(component, name);
    return metadata.call(
        store -> {
          vhost(vhost);
          boolean existed = store.apply(new DeleteParameter(component, vhost, name)).changed();
          policies.limits(vhost, VhostLimits.NONE);
          return existed;
        });
  }

  /** {@link #putParameter} of the virtual host's {@value VhostLimits#COMPONENT}. */
  public CompletableFuture<Boolean> setVhostLimits(String vhost, Map<String, ?> limits) {
    return putParameter(VhostLimits.COMPONENT, vhost, VhostLimits.NAME, limits);
  }

  public CompletableFuture<Boolean> clearVhostLimits(String vhost) {
    return deleteParameter(VhostLimits.COMPONENT, vhost, VhostLimits.NAME);
  }

  /**
   * Sets one key of the virtual host's limits ({@code max-connections}, {@code max-queues}; a
   * negative value is no limit), keeping the others: the merge happens on the metadata writer, so
   * two callers setting different keys at once both keep theirs. Completes with true when the
   * virtual host had no limits before.
   *
   * @throws PolicyException with RabbitMQ's text for another key ({@code Unrecognised terms
   *     [{<<"max-foo">>,10}] in limits})
   */
  public CompletableFuture<Boolean> putVhostLimit(String vhost, String key, long value) {
    VhostLimits.of(Map.of(key, value));
    return metadata.call(
        store -> {
          vhost(vhost);
          VhostLimits before = policies.limits(vhost);
          Map<String, Object> merged = new TreeMap<>(before.value());
          merged.put(key, value);
          VhostLimits after = VhostLimits.of(merged);
          store.apply(
              new PutParameter(
                  VhostLimits.COMPONENT,
                  vhost,
                  VhostLimits.NAME,
                  StoredArguments.encode(after.value())));
          policies.limits(vhost, after);
          return before == VhostLimits.NONE;
        });
  }

  /**
   * Lifts one key of the virtual host's limits, keeping the others; with none left the parameter is
   * cleared (RabbitMQ keeps it, with an empty value). Completes with false when the key was not
   * set.
   */
  public CompletableFuture<Boolean> clearVhostLimit(String vhost, String key) {
    return metadata.call(
        store -> {
          vhost(vhost);
          Map<String, Object> kept = new TreeMap<>(policies.limits(vhost).value());
          if (kept.remove(key) == null) {
            return false;
          }
          if (kept.isEmpty()) {
            store.apply(new DeleteParameter(VhostLimits.COMPONENT, vhost, VhostLimits.NAME));
            policies.limits(vhost, VhostLimits.NONE);
          } else {
            VhostLimits after = VhostLimits.of(kept);
            store.apply(
                new PutParameter(
                    VhostLimits.COMPONENT,
                    vhost,
                    VhostLimits.NAME,
                    StoredArguments.encode(after.value())));
            policies.limits(vhost, after);
          }
          return true;
        });
  }

  /**
   * Sets a global parameter (any name, any value, as RabbitMQ); {@value Policies#CLUSTER_NAME}
   * names the cluster in the connection.start of new connections.
   */
  public CompletableFuture<Boolean> putGlobalParameter(String name, Object value) {
    Object normalized = PolicyValues.value(value);
    PutGlobalParameter command =
        new PutGlobalParameter(name, PolicyRecords.globalValue(normalized));
    return metadata.call(
        store -> {
          boolean created = !policies.globalParameters().containsKey(name);
          store.apply(command);
          policies.globalParameter(name, normalized, true);
          return created;
        });
  }

  /** Clears a global parameter; completes with false when it was not set. */
  public CompletableFuture<Boolean> deleteGlobalParameter(String name) {
    return metadata.call(
        store -> {
          boolean existed = store.apply(new DeleteGlobalParameter(name)).changed();
          policies.globalParameter(name, null, false);
          return existed;
        });
  }

  private CompletableFuture<Boolean> put(String vhost, Policy policy, boolean operator) {
    byte[] definition = StoredArguments.encode(policy.definition());
    String applyTo = policy.applyTo().wireName();
    DefinitionCommand command =
        operator
            ? new PutOperatorPolicy(
                vhost, policy.name(), policy.pattern(), applyTo, policy.priority(), definition)
            : new PutPolicy(
                vhost, policy.name(), policy.pattern(), applyTo, policy.priority(), definition);
    return metadata.call(
        store -> {
          VirtualHost v = vhost(vhost);
          VhostPolicies before = policies.vhost(vhost);
          boolean created = before.get(policy.name(), operator) == null;
          store.apply(command);
          VhostPolicies after = before.with(policy, operator);
          policies.policies(vhost, after);
          PolicyEffects.changed(v, before, after);
          return created;
        });
  }

  private CompletableFuture<Boolean> delete(String vhost, String name, boolean operator) {
    DefinitionCommand command =
        operator ? new DeleteOperatorPolicy(vhost, name) : new DeletePolicy(vhost, name);
    return metadata.call(
        store -> {
          VirtualHost v = vhost(vhost);
          VhostPolicies before = policies.vhost(vhost);
          if (before.get(name, operator) == null) {
            return false;
          }
          store.apply(command);
          VhostPolicies after = before.without(name, operator);
          policies.policies(vhost, after);
          PolicyEffects.changed(v, before, after);
          return true;
        });
  }

  private VirtualHost vhost(String name) {
    return vhosts
        .lookup(name)
        .orElseThrow(() -> new IllegalArgumentException("vhost '" + name + "' does not exist"));
  }

  /**
   * Refuses, with RabbitMQ's text, a runtime parameter this broker cannot set: a component it does
   * not have, a policy set as a parameter, a {@value VhostLimits#COMPONENT} parameter of another
   * name than {@value VhostLimits#NAME}. For checks made before anything is submitted (a
   * definitions import).
   *
   * @throws PolicyException if refused
   */
  public static void checkLimitsParameter(String component, String name) {
    if (component.equals("policy") || component.equals("operator_policy")) {
      throw new PolicyException("policies may not be set using this method");
    }
    if (!component.equals(VhostLimits.COMPONENT)) {
      throw new PolicyException("component " + component + " not found");
    }
    if (!name.equals(VhostLimits.NAME)) {
      throw new PolicyException(
          "the parameter of component " + VhostLimits.COMPONENT + " is named " + VhostLimits.NAME);
    }
  }
}
