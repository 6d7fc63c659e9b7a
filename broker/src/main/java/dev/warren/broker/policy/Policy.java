package dev.warren.broker.policy;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One policy or operator policy of a virtual host, checked: its pattern compiled, its definition
 * validated and normalized ({@link PolicyDefinitions}). Immutable; any thread.
 */
public final class Policy {
  private final String name;
  private final String pattern;
  private final Pattern compiled;
  private final ApplyTo applyTo;
  private final int priority;
  private final Map<String, Object> definition;

  private Policy(
      String name, String pattern, ApplyTo applyTo, int priority, Map<String, Object> definition) {
    this.name = Objects.requireNonNull(name, "name");
    this.pattern = pattern;
    this.compiled = compile(pattern);
    this.applyTo = applyTo;
    this.priority = priority;
    this.definition = definition;
  }

  /**
   * A policy ({@code operator} false) or operator policy, as RabbitMQ would accept it.
   *
   * @param applyTo {@code queues}, {@code exchanges} or {@code all}
   * @throws PolicyException with RabbitMQ's text: a pattern that does not compile, an unknown
   *     apply-to, a definition with an unknown key or an invalid value
   */
  public static Policy of(
      String name,
      String pattern,
      String applyTo,
      int priority,
      Map<String, ?> definition,
      boolean operator) {
    ApplyTo target = ApplyTo.named(applyTo);
    return new Policy(
        name, pattern, target, priority, PolicyDefinitions.validate(definition, operator));
  }

  public String name() {
    return name;
  }

  /** The regular expression, as given. */
  public String pattern() {
    return pattern;
  }

  public ApplyTo applyTo() {
    return applyTo;
  }

  public int priority() {
    return priority;
  }

  /** Normalized, in key order, unmodifiable. */
  public Map<String, Object> definition() {
    return definition;
  }

  /**
   * Whether it applies to the queue ({@code queue} true) or exchange of that name: its apply-to
   * covers the kind and its pattern matches somewhere in the name (RabbitMQ's {@code re:run}: not
   * anchored unless the pattern is).
   */
  public boolean matches(boolean queue, String entityName) {
    return (queue ? applyTo.queues() : applyTo.exchanges()) && compiled.matcher(entityName).find();
  }

  /**
   * Java's regular expressions, which differ from RabbitMQ's PCRE in corners (possessive and
   * Unicode classes), never for the anchors, classes and alternations policies use.
   */
  private static Pattern compile(String pattern) {
    try {
      return Pattern.compile(Objects.requireNonNull(pattern, "pattern"));
    } catch (PatternSyntaxException e) {
      throw new PolicyException(
          "pattern should be regular expression but is invalid: {\""
              + e.getDescription()
              + "\","
              + Math.max(0, e.getIndex())
              + "}",
          "pattern");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Policy p
        && name.equals(p.name)
        && pattern.equals(p.pattern)
        && applyTo == p.applyTo
        && priority == p.priority
        && definition.equals(p.definition);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, pattern, applyTo, priority, definition);
  }

  @Override
  public String toString() {
    return "Policy[name=%s, pattern=%s, apply-to=%s, priority=%d, definition=%s]"
        .formatted(name, pattern, applyTo.wireName(), priority, definition);
  }
}
