package dev.warren.broker.management;

import dev.warren.broker.metadata.PolicyChanges;
import dev.warren.broker.policy.Policies;
import dev.warren.broker.policy.PolicyException;
import dev.warren.broker.policy.VhostLimits;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.broker.vhost.VirtualHosts;
import dev.warren.management.spi.GlobalParameter;
import dev.warren.management.spi.ManagementException;
import dev.warren.management.spi.Parameter;
import dev.warren.management.spi.Policy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Policies, operator policies, runtime parameters, global parameters and vhost limits for the
 * management API: read from {@link Policies} (snapshots, no wait), changed through {@link
 * PolicyChanges} (checked on the calling worker with RabbitMQ's texts, then stored and applied by
 * the metadata writer). A refusal is 400 with RabbitMQ's reason, {@code "Validation
 * failed\n\n<reason>\n"}. Management worker threads.
 *
 * <p>As in RabbitMQ, policies and operator policies are also runtime parameters, of components
 * {@value #POLICY} and {@value #OPERATOR_POLICY}: {@link #parameters()} lists them so, while vhost
 * limits are listed from {@link VhostAdmin} ({@code VhostInfo.limits}).
 */
final class PolicyAdmin {
  static final String POLICY = "policy";
  static final String OPERATOR_POLICY = "operator_policy";

  private final VirtualHosts vhosts;
  private final Policies policies;
  private final PolicyChanges changes;

  PolicyAdmin(VirtualHosts vhosts, Policies policies, PolicyChanges changes) {
    this.vhosts = vhosts;
    this.policies = policies;
    this.changes = changes;
  }

  /** Every vhost's, in the order they win (highest priority first). */
  Collection<Policy> policies(boolean operator) {
    List<Policy> all = new ArrayList<>();
    for (VirtualHost v : vhosts.all()) {
      var vhostPolicies = policies.vhost(v.name());
      for (var p : operator ? vhostPolicies.operatorPolicies() : vhostPolicies.policies()) {
        all.add(
            new Policy(
                v.name(),
                p.name(),
                p.pattern(),
                p.applyTo().wireName(),
                p.definition(),
                p.priority()));
      }
    }
    return all;
  }

  boolean putPolicy(boolean operator, Policy p) {
    return await(
        () ->
            operator
                ? changes.putOperatorPolicy(
                    p.vhost(), p.name(), p.pattern(), p.applyTo(), p.priority(), p.definition())
                : changes.putPolicy(
                    p.vhost(), p.name(), p.pattern(), p.applyTo(), p.priority(), p.definition()));
  }

  void deletePolicy(boolean operator, String vhost, String name) {
    boolean existed =
        await(
            () ->
                operator
                    ? changes.deleteOperatorPolicy(vhost, name)
                    : changes.deletePolicy(vhost, name));
    if (!existed) {
      throw ManagementException.notFound("Not Found");
    }
  }

  /** Policies and operator policies as RabbitMQ's runtime parameters show them. */
  Collection<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>();
    for (boolean operator : new boolean[] {false, true}) {
      for (Policy p : policies(operator)) {
        all.add(new Parameter(p.vhost(), operator ? OPERATOR_POLICY : POLICY, p.name(), value(p)));
      }
    }
    return all;
  }

  /** A policy as the value of its runtime parameter, in RabbitMQ's key order. */
  static Map<String, Object> value(Policy p) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("pattern", p.pattern());
    value.put("definition", p.definition());
    value.put("priority", (long) p.priority());
    value.put("apply-to", p.applyTo());
    return value;
  }

  /**
   * Only {@value VhostLimits#COMPONENT} (name {@value VhostLimits#NAME}) may be set; a policy set
   * as a parameter is refused with RabbitMQ's bare text (no "Validation failed" before it).
   */
  boolean putParameter(Parameter p) {
    if (isPolicy(p.component())) {
      try {
        PolicyChanges.checkLimitsParameter(p.component(), p.name());
      } catch (PolicyException e) {
        throw ManagementException.badRequest(e.reason());
      }
    }
    return await(() -> changes.putParameter(p.component(), p.vhost(), p.name(), p.value()));
  }

  /** A parameter of component {@value #POLICY} or {@value #OPERATOR_POLICY} is the policy. */
  void deleteParameter(String component, String vhost, String name) {
    if (isPolicy(component)) {
      deletePolicy(component.equals(OPERATOR_POLICY), vhost, name);
    } else if (!await(() -> changes.deleteParameter(component, vhost, name))) {
      throw ManagementException.notFound("Not Found");
    }
  }

  private static boolean isPolicy(String component) {
    return component.equals(POLICY) || component.equals(OPERATOR_POLICY);
  }

  Collection<GlobalParameter> globalParameters() {
    List<GlobalParameter> all = new ArrayList<>();
    policies.globalParameters().forEach((name, value) -> all.add(new GlobalParameter(name, value)));
    return all;
  }

  boolean putGlobalParameter(GlobalParameter g) {
    return await(() -> changes.putGlobalParameter(g.name(), g.value()));
  }

  void deleteGlobalParameter(String name) {
    if (!await(() -> changes.deleteGlobalParameter(name))) {
      throw ManagementException.notFound("Not Found");
    }
  }

  /** One key of the vhost's limits; the others are kept. */
  void setVhostLimit(String vhost, String name, long value) {
    await(() -> changes.putVhostLimit(vhost, name, value));
  }

  /** Lifts one key of the vhost's limits; lifting one not set is no error (RabbitMQ's 204). */
  void clearVhostLimit(String vhost, String name) {
    await(() -> changes.clearVhostLimit(vhost, name));
  }

  /** The vhost's limits as {@code VhostInfo} shows them. */
  Map<String, Long> limits(String vhost) {
    Map<String, Long> shown = new LinkedHashMap<>();
    policies
        .limits(vhost)
        .value()
        .forEach(
            (key, value) -> {
              if (value instanceof Long n) {
                shown.put(key, n);
              }
            });
    return shown;
  }

  /**
   * Submits a change and waits for it: a {@link PolicyException} (checked before anything is
   * submitted) is 400 with RabbitMQ's {@code Validation failed} text. The API has checked that the
   * vhost exists (404); one deleted meanwhile fails the change with 400.
   */
  private static boolean await(Supplier<CompletableFuture<Boolean>> change) {
    CompletableFuture<Boolean> submitted;
    try {
      submitted = change.get();
    } catch (PolicyException e) {
      throw refused(e);
    }
    return Outcomes.await(submitted);
  }

  /** RabbitMQ's reason for a refused policy or parameter, as its management API words it. */
  static ManagementException refused(PolicyException e) {
    return ManagementException.badRequest("Validation failed\n\n" + e.reason() + "\n");
  }
}
