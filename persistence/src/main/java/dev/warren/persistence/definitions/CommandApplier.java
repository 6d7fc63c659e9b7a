package dev.warren.persistence.definitions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The SQL of each command, run on a connection whose transaction the caller opens and ends (see
 * {@link DefinitionStore}). References are checked before anything is written, and raise {@link
 * InvalidCommandException}; the schema's foreign keys check them again. Table and column names in
 * the SQL below are constants, every value is a bound parameter.
 *
 * <p>Used by the store's thread only.
 */
final class CommandApplier implements DefinitionCommand.Visitor<Applied> {

  private final Connection connection;

  CommandApplier(Connection connection) {
    this.connection = connection;
  }

  @Override
  public Applied putVhost(PutVhost c) {
    return upsert("vhosts", List.of("name"), List.of(c.name()), List.of(), List.of());
  }

  @Override
  public Applied deleteVhost(DeleteVhost c) {
    // Foreign keys cascade to permissions, exchanges (and so bindings), queues, policies and
    // parameters.
    return Applied.of(update("DELETE FROM vhosts WHERE name = ?", c.name()) > 0);
  }

  @Override
  public Applied putUser(PutUser c) {
    return upsert(
        "users",
        List.of("name"),
        List.of(c.name()),
        List.of("password_hash", "tags"),
        List.of(c.passwordHash(), String.join(",", c.tags())));
  }

  @Override
  public Applied deleteUser(DeleteUser c) {
    return Applied.of(update("DELETE FROM users WHERE name = ?", c.name()) > 0);
  }

  @Override
  public Applied setPermissions(SetPermissions c) {
    if (!exists("SELECT 1 FROM users WHERE name = ?", c.user())) {
      throw new InvalidCommandException(c, "no user '" + c.user() + "'");
    }
    requireVhost(c, c.vhost());
    return upsert(
        "permissions",
        List.of("user_name", "vhost"),
        List.of(c.user(), c.vhost()),
        List.of("configure_pattern", "write_pattern", "read_pattern"),
        List.of(c.configure(), c.write(), c.read()));
  }

  @Override
  public Applied clearPermissions(ClearPermissions c) {
    return Applied.of(
        update("DELETE FROM permissions WHERE user_name = ? AND vhost = ?", c.user(), c.vhost())
            > 0);
  }

  @Override
  public Applied putExchange(PutExchange c) {
    requireVhost(c, c.vhost());
    return upsert(
        "exchanges",
        List.of("vhost", "name"),
        List.of(c.vhost(), c.name()),
        List.of("exchange_type", "auto_delete", "internal", "arguments"),
        List.of(c.type(), c.autoDelete(), c.internal(), c.arguments()));
  }

  @Override
  public Applied deleteExchange(DeleteExchange c) {
    update(
        "DELETE FROM bindings WHERE vhost = ? AND destination_kind = ? AND destination = ?",
        c.vhost(),
        kind(DestinationKind.EXCHANGE),
        c.name());
    // The foreign key on (vhost, source) removes the bindings that have it as source.
    return Applied.of(
        update("DELETE FROM exchanges WHERE vhost = ? AND name = ?", c.vhost(), c.name()) > 0);
  }

  @Override
  public Applied putQueue(PutQueue c) {
    requireVhost(c, c.vhost());
    List<Object> found =
        row(
            "SELECT queue_id FROM queues WHERE vhost = ? AND name = ?",
            List.of(c.vhost(), c.name()));
    if (found != null) {
      Applied attributes =
          upsert(
              "queues",
              List.of("vhost", "name"),
              List.of(c.vhost(), c.name()),
              List.of("auto_delete", "arguments"),
              List.of(c.autoDelete(), c.arguments()));
      return new Applied(attributes.changed(), (Long) found.get(0));
    }
    long queueId = (Long) row("SELECT next_value FROM counters WHERE name = 'queue_id'").get(0);
    update("UPDATE counters SET next_value = ? WHERE name = 'queue_id'", queueId + 1);
    update(
        "INSERT INTO queues (vhost, name, queue_id, auto_delete, arguments)"
            + " VALUES (?, ?, ?, ?, ?)",
        c.vhost(),
        c.name(),
        queueId,
        c.autoDelete(),
        c.arguments());
    return new Applied(true, queueId);
  }

  @Override
  public Applied deleteQueue(DeleteQueue c) {
    update(
        "DELETE FROM bindings WHERE vhost = ? AND destination_kind = ? AND destination = ?",
        c.vhost(),
        kind(DestinationKind.QUEUE),
        c.name());
    return Applied.of(
        update("DELETE FROM queues WHERE vhost = ? AND name = ?", c.vhost(), c.name()) > 0);
  }

  @Override
  public Applied bind(Bind c) {
    if (!exists("SELECT 1 FROM exchanges WHERE vhost = ? AND name = ?", c.vhost(), c.source())) {
      throw new InvalidCommandException(
          c, "no source exchange '" + c.source() + "' in vhost '" + c.vhost() + "'");
    }
    String table = c.destinationKind() == DestinationKind.QUEUE ? "queues" : "exchanges";
    if (!exists(
        "SELECT 1 FROM " + table + " WHERE vhost = ? AND name = ?", c.vhost(), c.destination())) {
      throw new InvalidCommandException(
          c,
          "no destination "
              + kind(c.destinationKind())
              + " '"
              + c.destination()
              + "' in vhost '"
              + c.vhost()
              + "'");
    }
    return upsert(
        "bindings",
        List.of("vhost", "source", "destination_kind", "destination", "routing_key", "arguments"),
        List.of(
            c.vhost(),
            c.source(),
            kind(c.destinationKind()),
            c.destination(),
            c.routingKey(),
            c.arguments()),
        List.of(),
        List.of());
  }

  @Override
  public Applied unbind(Unbind c) {
    return Applied.of(
        update(
                "DELETE FROM bindings WHERE vhost = ? AND source = ? AND destination_kind = ?"
                    + " AND destination = ? AND routing_key = ? AND arguments = ?",
                c.vhost(),
                c.source(),
                kind(c.destinationKind()),
                c.destination(),
                c.routingKey(),
                c.arguments())
            > 0);
  }

  @Override
  public Applied putPolicy(PutPolicy c) {
    requireVhost(c, c.vhost());
    return upsert(
        "policies",
        List.of("vhost", "name"),
        List.of(c.vhost(), c.name()),
        List.of("pattern", "apply_to", "priority", "definition"),
        List.of(c.pattern(), c.applyTo(), c.priority(), c.definition()));
  }

  @Override
  public Applied deletePolicy(DeletePolicy c) {
    return Applied.of(
        update("DELETE FROM policies WHERE vhost = ? AND name = ?", c.vhost(), c.name()) > 0);
  }

  @Override
  public Applied putParameter(PutParameter c) {
    requireVhost(c, c.vhost());
    return upsert(
        "parameters",
        List.of("component", "vhost", "name"),
        List.of(c.component(), c.vhost(), c.name()),
        List.of("parameter_value"),
        List.of(c.value()));
  }

  @Override
  public Applied deleteParameter(DeleteParameter c) {
    return Applied.of(
        update(
                "DELETE FROM parameters WHERE component = ? AND vhost = ? AND name = ?",
                c.component(),
                c.vhost(),
                c.name())
            > 0);
  }

  /** The value of the {@code destination_kind} column. */
  static String kind(DestinationKind kind) {
    return kind == DestinationKind.QUEUE ? "queue" : "exchange";
  }

  private void requireVhost(DefinitionCommand command, String vhost) {
    if (!exists("SELECT 1 FROM vhosts WHERE name = ?", vhost)) {
      throw new InvalidCommandException(command, "no vhost '" + vhost + "'");
    }
  }

  /**
   * Inserts the row, or updates its value columns if they differ; changed unless the row was
   * already there with the same values.
   */
  private Applied upsert(
      String table,
      List<String> keyColumns,
      List<Object> keys,
      List<String> valueColumns,
      List<Object> values) {
    String where = String.join(" = ? AND ", keyColumns) + " = ?";
    String selected = valueColumns.isEmpty() ? "1" : String.join(", ", valueColumns);
    List<Object> found = row("SELECT " + selected + " FROM " + table + " WHERE " + where, keys);
    if (found == null) {
      List<Object> all = new ArrayList<>(keys);
      all.addAll(values);
      String columns = String.join(", ", keyColumns) + prefixed(", ", valueColumns);
      String marks = "?" + ", ?".repeat(all.size() - 1);
      update("INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")", all.toArray());
      return Applied.CHANGED;
    }
    if (valueColumns.isEmpty() || sameValues(found, values)) {
      return Applied.UNCHANGED;
    }
    List<Object> all = new ArrayList<>(values);
    all.addAll(keys);
    String assignments = String.join(" = ?, ", valueColumns) + " = ?";
    update("UPDATE " + table + " SET " + assignments + " WHERE " + where, all.toArray());
    return Applied.CHANGED;
  }

  private static String prefixed(String separator, List<String> columns) {
    return columns.isEmpty() ? "" : separator + String.join(separator, columns);
  }

  private static boolean sameValues(List<Object> found, List<Object> wanted) {
    for (int i = 0; i < wanted.size(); i++) {
      Object a = found.get(i);
      Object b = wanted.get(i);
      boolean same =
          a instanceof byte[] && b instanceof byte[]
              ? Arrays.equals((byte[]) a, (byte[]) b)
              : Objects.equals(a, b);
      if (!same) {
        return false;
      }
    }
    return true;
  }

  private boolean exists(String sql, Object... parameters) {
    return row(sql, List.of(parameters)) != null;
  }

  /** The first row of the query, or {@code null} if there is none. */
  private List<Object> row(String sql, List<Object> parameters) {
    try (PreparedStatement statement = prepare(sql, parameters.toArray());
        ResultSet result = statement.executeQuery()) {
      if (!result.next()) {
        return null;
      }
      int columns = result.getMetaData().getColumnCount();
      List<Object> values = new ArrayList<>(columns);
      for (int i = 1; i <= columns; i++) {
        values.add(result.getObject(i));
      }
      return values;
    } catch (SQLException e) {
      throw new DefinitionStoreException("query failed: " + sql, e);
    }
  }

  private List<Object> row(String sql) {
    return row(sql, List.of());
  }

  private int update(String sql, Object... parameters) {
    try (PreparedStatement statement = prepare(sql, parameters)) {
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new DefinitionStoreException("update failed: " + sql, e);
    }
  }

  private PreparedStatement prepare(String sql, Object[] parameters) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    try {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      return statement;
    } catch (SQLException e) {
      statement.close();
      throw e;
    }
  }
}
