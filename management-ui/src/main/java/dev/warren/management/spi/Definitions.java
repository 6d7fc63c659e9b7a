package dev.warren.management.spi;

import java.util.List;

/**
 * Everything {@code /api/definitions} imports, already parsed and checked field by field; the
 * backend applies it whole or not at all.
 */
public record Definitions(
    List<UserInfo> users,
    List<VhostSpec> vhosts,
    List<Permission> permissions,
    List<TopicPermission> topicPermissions,
    List<Parameter> parameters,
    List<GlobalParameter> globalParameters,
    List<Policy> policies,
    List<QueueSpec> queues,
    List<ExchangeSpec> exchanges,
    List<BindingInfo> bindings) {

  public Definitions {
    users = List.copyOf(users);
    vhosts = List.copyOf(vhosts);
    permissions = List.copyOf(permissions);
    topicPermissions = List.copyOf(topicPermissions);
    parameters = List.copyOf(parameters);
    globalParameters = List.copyOf(globalParameters);
    policies = List.copyOf(policies);
    queues = List.copyOf(queues);
    exchanges = List.copyOf(exchanges);
    bindings = List.copyOf(bindings);
  }
}
