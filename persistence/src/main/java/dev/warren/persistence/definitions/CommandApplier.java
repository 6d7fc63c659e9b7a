package dev.warren.persistence.definitions;

import java.sql.Connection;
import java.util.Arrays;
import java.util.List;

/**
 * The SQL of each command, run on a connection whose transaction the caller opens and ends (see
 * {@link DefinitionStore}). References are checked before anything is written, and raise {@link
 * InvalidCommandException}; the schema's foreign keys check them again.
 *
 * <p>Used by the store's thread only.
 */
final class CommandApplier implements DefinitionCommand.Visitor<Applied> {

  private final SqlRows sql;

  CommandApplier(Connection connection) {
    this.sql = new SqlRows(connection);
  }

  @Override
  public Applied putVhost(PutVhost c) {
    return sql.upsert(
        "vhosts",
        List.of("name"),
        List.of(c.name()),
        List.of("description", "tags", "default_queue_type"),
        List.of(c.description(), String.join(",", c.tags()), c.defaultQueueType()));
  }

  @Override
  public Applied deleteVhost(DeleteVhost c) {
    // Foreign keys cascade to permissions, exchanges (and so bindings), queues, policies,
    // operator policies and parameters.
    return Applied.of(sql.update("DELETE FROM vhosts WHERE name = ?", c.name()) > 0);
  }

  @Override
  public Applied putUser(PutUser c) {
    return sql.upsert(
        "users",
        List.of("name"),
        List.of(c.name()),
        List.of("password_hash", "hashing_algorithm", "tags", "max_connections", "max_channels"),
        Arrays.asList(
            c.passwordHash(),
            c.hashingAlgorithm(),
            String.join(",", c.tags()),
            c.limits().get("max-connections"),
            c.limits().get("max-channels")));
  }

  @Override
  public Applied deleteUser(DeleteUser c) {
    return Applied.of(sql.update("DELETE FROM users WHERE name = ?", c.name()) > 0);
  }

  @Override
  public Applied setPermissions(SetPermissions c) {
    if (!sql.exists("SELECT 1 FROM users WHERE name = ?", c.user())) {
      throw new InvalidCommandException(c, "no user '" + c.user() + "'");
    }
    requireVhost(c, c.vhost());
    return sql.upsert(
        "permissions",
        List.of("user_name", "vhost"),
        List.of(c.user(), c.vhost()),
        List.of("configure_pattern", "write_pattern", "read_pattern"),
        List.of(c.configure(), c.write(), c.read()));
  }

  @Override
  public Applied setTopicPermission(SetTopicPermission c) {
    if (!sql.exists("SELECT 1 FROM users WHERE name = ?", c.user())) {
      throw new InvalidCommandException(c, "no user '" + c.user() + "'");
    }
    requireVhost(c, c.vhost());
    return sql.upsert(
        "topic_permissions",
        List.of("user_name", "vhost", "exchange"),
        List.of(c.user(), c.vhost(), c.exchange()),
        List.of("write_pattern", "read_pattern"),
        List.of(c.write(), c.read()));
  }

  @Override
  public Applied clearTopicPermissions(ClearTopicPermissions c) {
    int removed =
        c.exchange().isEmpty()
            ? sql.update(
                "DELETE FROM topic_permissions WHERE user_name = ? AND vhost = ?",
                c.user(),
                c.vhost())
            : sql.update(
                "DELETE FROM topic_permissions WHERE user_name = ? AND vhost = ? AND exchange = ?",
                c.user(),
                c.vhost(),
                c.exchange());
    return Applied.of(removed > 0);
  }

  @Override
  public Applied clearPermissions(ClearPermissions c) {
    return Applied.of(
        sql.update("DELETE FROM permissions WHERE user_name = ? AND vhost = ?", c.user(), c.vhost())
            > 0);
  }

  @Override
  public Applied putExchange(PutExchange c) {
    requireVhost(c, c.vhost());
    return sql.upsert(
        "exchanges",
        List.of("vhost", "name"),
        List.of(c.vhost(), c.name()),
        List.of("exchange_type", "auto_delete", "internal", "arguments"),
        List.of(c.type(), c.autoDelete(), c.internal(), c.arguments()));
  }

  @Override
  public Applied deleteExchange(DeleteExchange c) {
    sql.update(
        "DELETE FROM bindings WHERE vhost = ? AND destination_kind = ? AND destination = ?",
        c.vhost(),
        kind(DestinationKind.EXCHANGE),
        c.name());
    // The foreign key on (vhost, source) removes the bindings that have it as source.
    return Applied.of(
        sql.update("DELETE FROM exchanges WHERE vhost = ? AND name = ?", c.vhost(), c.name()) > 0);
  }

  @Override
  public Applied putQueue(PutQueue c) {
    requireVhost(c, c.vhost());
    List<Object> found =
        sql.row(
            "SELECT queue_id FROM queues WHERE vhost = ? AND name = ?",
            List.of(c.vhost(), c.name()));
    if (found != null) {
      Applied attributes =
          sql.upsert(
              "queues",
              List.of("vhost", "name"),
              List.of(c.vhost(), c.name()),
              List.of("auto_delete", "arguments"),
              List.of(c.autoDelete(), c.arguments()));
      return new Applied(attributes.changed(), (Long) found.get(0));
    }
    long queueId = (Long) sql.row("SELECT next_value FROM counters WHERE name = 'queue_id'").get(0);
    sql.update("UPDATE counters SET next_value = ? WHERE name = 'queue_id'", queueId + 1);
    sql.update(
        "INSERT INTO queues (vhost, name, queue_id, auto_delete, arguments, queue_group)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        c.vhost(),
        c.name(),
        queueId,
        c.autoDelete(),
        c.arguments(),
        c.queueGroup());
    return new Applied(true, queueId);
  }

  @Override
  public Applied deleteQueue(DeleteQueue c) {
    sql.update(
        "DELETE FROM bindings WHERE vhost = ? AND destination_kind = ? AND destination = ?",
        c.vhost(),
        kind(DestinationKind.QUEUE),
        c.name());
    return Applied.of(
        sql.update("DELETE FROM queues WHERE vhost = ? AND name = ?", c.vhost(), c.name()) > 0);
  }

  @Override
  public Applied bind(Bind c) {
    BindingKey b = c.binding();
    if (!sql.exists(
        "SELECT 1 FROM exchanges WHERE vhost = ? AND name = ?", b.vhost(), b.source())) {
      throw new InvalidCommandException(
          c, "no source exchange '" + b.source() + "' in vhost '" + b.vhost() + "'");
    }
    String table = b.destinationKind() == DestinationKind.QUEUE ? "queues" : "exchanges";
    if (!sql.exists(
        "SELECT 1 FROM " + table + " WHERE vhost = ? AND name = ?", b.vhost(), b.destination())) {
      throw new InvalidCommandException(
          c,
          "no destination "
              + kind(b.destinationKind())
              + " '"
              + b.destination()
              + "' in vhost '"
              + b.vhost()
              + "'");
    }
    return sql.upsert(
        "bindings",
        List.of("vhost", "source", "destination_kind", "destination", "routing_key", "arguments"),
        List.of(
            b.vhost(),
            b.source(),
            kind(b.destinationKind()),
            b.destination(),
            b.routingKey(),
            b.arguments()),
        List.of(),
        List.of());
  }

  @Override
  public Applied unbind(Unbind c) {
    BindingKey b = c.binding();
    return Applied.of(
        sql.update(
                "DELETE FROM bindings WHERE vhost = ? AND source = ? AND destination_kind = ?"
                    + " AND destination = ? AND routing_key = ? AND arguments = ?",
                b.vhost(),
                b.source(),
                kind(b.destinationKind()),
                b.destination(),
                b.routingKey(),
                b.arguments())
            > 0);
  }

  @Override
  public Applied putPolicy(PutPolicy c) {
    requireVhost(c, c.vhost());
    return sql.upsert(
        "policies",
        List.of("vhost", "name"),
        List.of(c.vhost(), c.name()),
        List.of("pattern", "apply_to", "priority", "definition"),
        List.of(c.pattern(), c.applyTo(), c.priority(), c.definition()));
  }

  @Override
  public Applied deletePolicy(DeletePolicy c) {
    return Applied.of(
        sql.update("DELETE FROM policies WHERE vhost = ? AND name = ?", c.vhost(), c.name()) > 0);
  }

  @Override
  public Applied putParameter(PutParameter c) {
    requireVhost(c, c.vhost());
    return sql.upsert(
        "parameters",
        List.of("component", "vhost", "name"),
        List.of(c.component(), c.vhost(), c.name()),
        List.of("parameter_value"),
        List.of(c.value()));
  }

  @Override
  public Applied deleteParameter(DeleteParameter c) {
    return Applied.of(
        sql.update(
                "DELETE FROM parameters WHERE component = ? AND vhost = ? AND name = ?",
                c.component(),
                c.vhost(),
                c.name())
            > 0);
  }

  @Override
  public Applied putOperatorPolicy(PutOperatorPolicy c) {
    requireVhost(c, c.vhost());
    return sql.upsert(
        "operator_policies",
        List.of("vhost", "name"),
        List.of(c.vhost(), c.name()),
        List.of("pattern", "apply_to", "priority", "definition"),
        List.of(c.pattern(), c.applyTo(), c.priority(), c.definition()));
  }

  @Override
  public Applied deleteOperatorPolicy(DeleteOperatorPolicy c) {
    return Applied.of(
        sql.update(
                "DELETE FROM operator_policies WHERE vhost = ? AND name = ?", c.vhost(), c.name())
            > 0);
  }

  @Override
  public Applied putGlobalParameter(PutGlobalParameter c) {
    return sql.upsert(
        "global_parameters",
        List.of("name"),
        List.of(c.name()),
        List.of("parameter_value"),
        List.of(c.value()));
  }

  @Override
  public Applied deleteGlobalParameter(DeleteGlobalParameter c) {
    return Applied.of(sql.update("DELETE FROM global_parameters WHERE name = ?", c.name()) > 0);
  }

  /** The value of the {@code destination_kind} column. */
  static String kind(DestinationKind kind) {
    return kind == DestinationKind.QUEUE ? "queue" : "exchange";
  }

  private void requireVhost(DefinitionCommand command, String vhost) {
    if (!sql.exists("SELECT 1 FROM vhosts WHERE name = ?", vhost)) {
      throw new InvalidCommandException(command, "no vhost '" + vhost + "'");
    }
  }
}
