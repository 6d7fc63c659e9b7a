package dev.warren.persistence.definitions;

import java.util.List;

/**
 * An immutable snapshot of everything in the store, as {@link DefinitionStore#load()} read it in
 * one transaction: what the broker rebuilds its state from at start-up. Each entity is given as the
 * put command that would create it (queues with the id the store gave them), so the snapshot reads
 * the same way as the log of changes. Lists are sorted by their keys (virtual host, then name;
 * global parameters by name); {@code nextQueueId} is the id the next new durable queue will get.
 */
public record Definitions(
    List<PutVhost> vhosts,
    List<PutUser> users,
    List<SetPermissions> permissions,
    List<SetTopicPermission> topicPermissions,
    List<PutExchange> exchanges,
    List<DurableQueue> queues,
    List<Bind> bindings,
    List<PutPolicy> policies,
    List<PutParameter> parameters,
    List<PutOperatorPolicy> operatorPolicies,
    List<PutGlobalParameter> globalParameters,
    long nextQueueId) {

  public Definitions {
    vhosts = List.copyOf(vhosts);
    users = List.copyOf(users);
    permissions = List.copyOf(permissions);
    topicPermissions = List.copyOf(topicPermissions);
    exchanges = List.copyOf(exchanges);
    queues = List.copyOf(queues);
    bindings = List.copyOf(bindings);
    policies = List.copyOf(policies);
    parameters = List.copyOf(parameters);
    operatorPolicies = List.copyOf(operatorPolicies);
    globalParameters = List.copyOf(globalParameters);
  }
}
