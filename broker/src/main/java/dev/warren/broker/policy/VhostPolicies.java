package dev.warren.broker.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The policies and operator policies of one virtual host, each list in the order they win: highest
 * priority first, and among equal priorities the name that sorts first (RabbitMQ leaves that choice
 * undefined: it takes whichever its table lists first). Immutable: a change makes a new one, which
 * the metadata writer publishes ({@link Policies}); any thread reads.
 */
public final class VhostPolicies {
  public static final VhostPolicies EMPTY = new VhostPolicies(List.of(), List.of());

  private static final Comparator<Policy> WINS_FIRST =
      Comparator.comparingInt(Policy::priority).reversed().thenComparing(Policy::name);

  private final List<Policy> policies;
  private final List<Policy> operatorPolicies;

  private VhostPolicies(List<Policy> policies, List<Policy> operatorPolicies) {
    this.policies = policies;
    this.operatorPolicies = operatorPolicies;
  }

  /** Highest priority first. */
  public List<Policy> policies() {
    return policies;
  }

  /** Highest priority first. */
  public List<Policy> operatorPolicies() {
    return operatorPolicies;
  }

  /** The policy ({@code operator} false) or operator policy of that name, or null. */
  public Policy get(String name, boolean operator) {
    for (Policy p : operator ? operatorPolicies : policies) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    return null;
  }

  /** With {@code p} added, or in place of the one of its name. */
  public VhostPolicies with(Policy p, boolean operator) {
    List<Policy> changed = new ArrayList<>(without(p.name(), operator).list(operator));
    changed.add(p);
    changed.sort(WINS_FIRST);
    return operator
        ? new VhostPolicies(policies, List.copyOf(changed))
        : new VhostPolicies(List.copyOf(changed), operatorPolicies);
  }

  /** Without the one of that name. */
  public VhostPolicies without(String name, boolean operator) {
    List<Policy> kept = new ArrayList<>(list(operator));
    kept.removeIf(p -> p.name().equals(name));
    return operator
        ? new VhostPolicies(policies, List.copyOf(kept))
        : new VhostPolicies(List.copyOf(kept), operatorPolicies);
  }

  /** What applies to the queue of that name. */
  public EffectivePolicy forQueue(String name) {
    return EffectivePolicy.of(first(policies, true, name), first(operatorPolicies, true, name));
  }

  /** What applies to the exchange of that name. */
  public EffectivePolicy forExchange(String name) {
    return EffectivePolicy.of(first(policies, false, name), first(operatorPolicies, false, name));
  }

  private List<Policy> list(boolean operator) {
    return operator ? operatorPolicies : policies;
  }

  private static Policy first(List<Policy> candidates, boolean queue, String name) {
    for (Policy p : candidates) {
      if (p.matches(queue, name)) {
        return p;
      }
    }
    return null;
  }
}
