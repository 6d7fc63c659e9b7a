package dev.warren.broker.management;

import dev.warren.broker.access.AccessControl;
import dev.warren.broker.access.TopicPermission;
import dev.warren.broker.policy.VhostLimits;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.broker.vhost.VirtualHosts;
import dev.warren.management.spi.BindingInfo;
import dev.warren.management.spi.BindingInfo.DestinationType;
import dev.warren.management.spi.Definitions;
import dev.warren.management.spi.ExchangeSpec;
import dev.warren.management.spi.ManagementException;
import dev.warren.management.spi.Parameter;
import dev.warren.management.spi.UserInfo;
import dev.warren.management.spi.VhostSpec;
import dev.warren.routing.Binding;
import dev.warren.routing.Destination;
import dev.warren.routing.Exchange;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * RabbitMQ's definitions import, all or nothing: every entry is checked first, against what the
 * broker has and what the file itself adds (a binding may name a queue declared further down), with
 * the checks the same change would meet alone; only then is anything applied, in RabbitMQ's order
 * (vhosts, users, permissions, topic permissions, parameters, global parameters, policies,
 * exchanges, queues, bindings: queues start under the policies of the file), each through the
 * writer of its kind. A refusal names the entry by its path in the file ({@code "definitions:
 * queues[3]: invalid arg 'x-max-length' ..."}), down to the field where the policy package names
 * one ({@code "definitions: policies[1].definition.max-length: -5 is not a valid maximum length"}).
 *
 * <p>Parameters are those RabbitMQ exports: component {@value VhostLimits#COMPONENT} (the vhost's
 * limits) and {@value PolicyAdmin#OPERATOR_POLICY} (an operator policy, its value holding {@code
 * pattern}, {@code definition}, {@code priority}, {@code apply-to}); any other component is refused
 * with RabbitMQ's text. Global parameters are taken as they are, {@code internal_cluster_id} too
 * (so that an export gives it back, as RabbitMQ's import also overwrites it); a per-vhost import
 * ignores them.
 *
 * <p>Applying is not one transaction: a store failure, or a client changing a definition between
 * the check and the apply, can leave part applied. Management worker threads, or the thread
 * starting the broker (the {@code --definitions} file).
 */
final class DefinitionsImport {
  private final VirtualHosts vhosts;
  private final AccessControl access;
  private final VhostAdmin vhostAdmin;
  private final AccessAdmin accessAdmin;
  private final PolicyAdmin policyAdmin;
  private final ExchangeAdmin exchanges;
  private final QueueAdmin queues;
  private final BindingAdmin bindings;

  DefinitionsImport(
      VirtualHosts vhosts,
      AccessControl access,
      VhostAdmin vhostAdmin,
      AccessAdmin accessAdmin,
      PolicyAdmin policyAdmin,
      ExchangeAdmin exchanges,
      QueueAdmin queues,
      BindingAdmin bindings) {
    this.vhosts = vhosts;
    this.access = access;
    this.vhostAdmin = vhostAdmin;
    this.accessAdmin = accessAdmin;
    this.policyAdmin = policyAdmin;
    this.exchanges = exchanges;
    this.queues = queues;
    this.bindings = bindings;
  }

  /**
   * Checks everything, then applies it.
   *
   * @param only the vhost of a per-vhost import: users, vhosts and permissions in the file are then
   *     ignored, as RabbitMQ ignores them
   */
  void importDefinitions(Definitions d, Optional<String> only) {
    boolean whole = only.isEmpty();
    check(d, whole);
    if (whole) {
      d.vhosts().forEach(vhostAdmin::putVhost);
      d.users().forEach(accessAdmin::putUser);
      d.permissions().forEach(accessAdmin::putPermission);
      d.topicPermissions().forEach(accessAdmin::putTopicPermission);
    }
    for (Parameter p : d.parameters()) {
      if (p.component().equals(PolicyAdmin.OPERATOR_POLICY)) {
        policyAdmin.putPolicy(true, ImportedPolicies.operatorPolicy(p, "parameters"));
      } else {
        policyAdmin.putParameter(p);
      }
    }
    if (whole) {
      d.globalParameters().forEach(policyAdmin::putGlobalParameter);
    }
    d.policies().forEach(p -> policyAdmin.putPolicy(false, p));
    d.exchanges().forEach(exchanges::declareExchange);
    d.queues().forEach(queues::declareQueue);
    d.bindings().forEach(bindings::bind);
  }

  private void check(Definitions d, boolean whole) {
    Set<String> vhostNames = new HashSet<>();
    vhosts.all().forEach(v -> vhostNames.add(v.name()));
    Set<String> userNames = new HashSet<>();
    access.users().forEach(u -> userNames.add(u.name()));
    if (whole) {
      each(d.users(), "users", DefinitionsImport::invalidUser);
      each(d.vhosts(), "vhosts", DefinitionsImport::invalidVhost);
      d.users().forEach(u -> userNames.add(u.name()));
      d.vhosts().forEach(v -> vhostNames.add(v.name()));
      each(
          d.permissions(),
          "permissions",
          p ->
              invalidPermission(
                  p.user(), p.vhost(), userNames, vhostNames, p.configure(), p.write(), p.read()));
      each(
          d.topicPermissions(),
          "topic_permissions",
          p ->
              invalidPermission(
                  p.user(),
                  p.vhost(),
                  userNames,
                  vhostNames,
                  TopicPermission.withSampleVariables(p.write()),
                  TopicPermission.withSampleVariables(p.read())));
    }
    ImportedPolicies.check(d, vhostNames);
    Map<String, Exchange> fileExchanges = new HashMap<>();
    each(
        d.exchanges(),
        "exchanges",
        x -> {
          String missing = missingVhost(x.vhost(), vhostNames);
          if (missing != null) {
            return missing;
          }
          Exchange wanted = ExchangeAdmin.wanted(x);
          checkExchange(x, wanted);
          fileExchanges.put(x.vhost() + "\0" + x.name(), wanted);
          return null;
        });
    Set<String> fileQueues = new HashSet<>();
    each(
        d.queues(),
        "queues",
        q -> {
          String missing = missingVhost(q.vhost(), vhostNames);
          if (missing != null) {
            return missing;
          }
          QueueAdmin.Wanted wanted = QueueAdmin.wanted(q);
          Optional<VirtualHost> vhost = vhosts.lookup(q.vhost());
          if (vhost.isPresent()) {
            QueueAdmin.check(vhost.get(), wanted.definition());
          } else {
            QueueAdmin.checkName(q.name());
          }
          fileQueues.add(q.vhost() + "\0" + q.name());
          return null;
        });
    each(d.bindings(), "bindings", b -> invalidBinding(b, vhostNames, fileExchanges, fileQueues));
  }

  private void checkExchange(ExchangeSpec x, Exchange wanted) {
    Optional<VirtualHost> vhost = vhosts.lookup(x.vhost());
    if (vhost.isPresent()) {
      ExchangeAdmin.check(vhost.get(), wanted);
    } else if (x.name().isEmpty() || x.name().startsWith("amq.")) {
      throw new ManagementException(
          ManagementException.Kind.ACCESS_REFUSED, ExchangeAdmin.ACCESS_REFUSED);
    } else {
      wanted
          .invalidArguments()
          .ifPresent(
              problem -> {
                throw ManagementException.badRequest(problem);
              });
    }
  }

  private String invalidBinding(
      BindingInfo b,
      Set<String> vhostNames,
      Map<String, Exchange> fileExchanges,
      Set<String> fileQueues) {
    String missing = missingVhost(b.vhost(), vhostNames);
    if (missing != null) {
      return missing;
    }
    if (b.source().isEmpty()) {
      return "operation not permitted on the default exchange";
    }
    Optional<VirtualHost> vhost = vhosts.lookup(b.vhost());
    Exchange source =
        fileExchanges.getOrDefault(
            b.vhost() + "\0" + b.source(),
            vhost.flatMap(v -> v.exchanges().lookup(b.source())).orElse(null));
    if (source == null) {
      return "no exchange '" + b.source() + "' in vhost '" + b.vhost() + "'";
    }
    String key = b.vhost() + "\0" + b.destination();
    boolean toQueue = b.destinationType() == DestinationType.QUEUE;
    boolean exists =
        toQueue
            ? fileQueues.contains(key)
                || vhost.flatMap(v -> QueueAdmin.live(v, b.destination())).isPresent()
            : fileExchanges.containsKey(key)
                || vhost.flatMap(v -> v.exchanges().lookup(b.destination())).isPresent();
    if (!exists) {
      return "no "
          + (toQueue ? "queue" : "exchange")
          + " '"
          + b.destination()
          + "' in vhost '"
          + b.vhost()
          + "'";
    }
    return source
        .invalidBinding(
            new Binding(
                source.name(),
                toQueue
                    ? Destination.queue(b.destination())
                    : Destination.exchange(b.destination()),
                b.routingKey(),
                FieldValues.table(b.arguments())))
        .orElse(null);
  }

  private static String invalidUser(UserInfo u) {
    AccessAdmin.command(u.name(), u.passwordHash(), u.hashingAlgorithm(), u.tags(), Map.of());
    return null;
  }

  private static String invalidVhost(VhostSpec v) {
    VhostAdmin.command(v);
    return null;
  }

  private static String invalidPermission(
      String user, String vhost, Set<String> users, Set<String> vhosts, String... expressions) {
    if (!users.contains(user)) {
      return "no user '" + user + "'";
    }
    String missing = missingVhost(vhost, vhosts);
    if (missing != null) {
      return missing;
    }
    for (String expression : expressions) {
      try {
        Pattern.compile(expression);
      } catch (PatternSyntaxException e) {
        return "invalid regular expression '" + expression + "': " + e.getDescription();
      }
    }
    return null;
  }

  static String missingVhost(String vhost, Set<String> vhosts) {
    return vhosts.contains(vhost) ? null : "no vhost '" + vhost + "'";
  }

  /**
   * Checks every entry of a list: {@code problem} returns why it is refused, or null, or throws a
   * {@link ManagementException}; either way the refusal names the entry's path.
   */
  private static <T> void each(List<T> entries, String key, Function<T, String> problem) {
    for (int i = 0; i < entries.size(); i++) {
      String why;
      try {
        why = problem.apply(entries.get(i));
      } catch (ManagementException e) {
        why = e.getMessage();
      }
      if (why != null) {
        throw ManagementException.badRequest("definitions: " + key + "[" + i + "]: " + why);
      }
    }
  }
}
