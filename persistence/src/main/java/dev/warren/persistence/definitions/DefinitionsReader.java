package dev.warren.persistence.definitions;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads every table into a {@link Definitions}. Used by the store's thread only. */
final class DefinitionsReader {

  /** Maps the current row of a result set to a value. */
  private interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  private final Connection connection;

  DefinitionsReader(Connection connection) {
    this.connection = connection;
  }

  Definitions read() throws SQLException {
    return new Definitions(
        list(
            "SELECT name, description, tags, default_queue_type FROM vhosts ORDER BY name",
            row ->
                new PutVhost(
                    row.getString(1), row.getString(2), tags(row.getString(3)), row.getString(4))),
        list(
            "SELECT name, password_hash, hashing_algorithm, tags, max_connections, max_channels"
                + " FROM users ORDER BY name",
            row ->
                new PutUser(
                    row.getString(1),
                    row.getString(2),
                    row.getString(3),
                    tags(row.getString(4)),
                    limits(row))),
        list(
            "SELECT user_name, vhost, configure_pattern, write_pattern, read_pattern"
                + " FROM permissions ORDER BY vhost, user_name",
            row ->
                new SetPermissions(
                    row.getString(1),
                    row.getString(2),
                    row.getString(3),
                    row.getString(4),
                    row.getString(5))),
        list(
            "SELECT user_name, vhost, exchange, write_pattern, read_pattern"
                + " FROM topic_permissions ORDER BY vhost, user_name, exchange",
            row ->
                new SetTopicPermission(
                    row.getString(1),
                    row.getString(2),
                    row.getString(3),
                    row.getString(4),
                    row.getString(5))),
        list(
            "SELECT vhost, name, exchange_type, auto_delete, internal, arguments"
                + " FROM exchanges ORDER BY vhost, name",
            row ->
                new PutExchange(
                    row.getString(1),
                    row.getString(2),
                    row.getString(3),
                    row.getBoolean(4),
                    row.getBoolean(5),
                    row.getBytes(6))),
        list(
            "SELECT queue_id, vhost, name, auto_delete, arguments, queue_group FROM queues"
                + " ORDER BY vhost, name",
            row ->
                new DurableQueue(
                    row.getLong(1),
                    new PutQueue(
                        row.getString(2),
                        row.getString(3),
                        row.getBoolean(4),
                        row.getBytes(5),
                        row.getInt(6)))),
        list(
            "SELECT vhost, source, destination_kind, destination, routing_key, arguments"
                + " FROM bindings"
                + " ORDER BY vhost, source, destination_kind, destination, routing_key, arguments",
            row ->
                new Bind(
                    row.getString(1),
                    row.getString(2),
                    destinationKind(row.getString(3)),
                    row.getString(4),
                    row.getString(5),
                    row.getBytes(6))),
        list(
            "SELECT vhost, name, pattern, apply_to, priority, definition"
                + " FROM policies ORDER BY vhost, name",
            row ->
                new PutPolicy(
                    row.getString(1),
                    row.getString(2),
                    row.getString(3),
                    row.getString(4),
                    row.getInt(5),
                    row.getBytes(6))),
        list(
            "SELECT component, vhost, name, parameter_value"
                + " FROM parameters ORDER BY vhost, component, name",
            row ->
                new PutParameter(
                    row.getString(1), row.getString(2), row.getString(3), row.getBytes(4))),
        list(
            "SELECT vhost, name, pattern, apply_to, priority, definition"
                + " FROM operator_policies ORDER BY vhost, name",
            row ->
                new PutOperatorPolicy(
                    row.getString(1),
                    row.getString(2),
                    row.getString(3),
                    row.getString(4),
                    row.getInt(5),
                    row.getBytes(6))),
        list(
            "SELECT name, parameter_value FROM global_parameters ORDER BY name",
            row -> new PutGlobalParameter(row.getString(1), row.getBytes(2))),
        list("SELECT next_value FROM counters WHERE name = 'queue_id'", row -> row.getLong(1))
            .get(0));
  }

  private <T> List<T> list(String sql, RowMapper<T> mapper) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      List<T> values = new ArrayList<>();
      while (rows.next()) {
        values.add(mapper.map(rows));
      }
      return values;
    }
  }

  private static List<String> tags(String joined) {
    return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
  }

  /** The user limits set in columns 5 and 6 of a users row. */
  private static Map<String, Long> limits(ResultSet row) throws SQLException {
    Map<String, Long> limits = new HashMap<>();
    long maxConnections = row.getLong(5);
    if (!row.wasNull()) {
      limits.put("max-connections", maxConnections);
    }
    long maxChannels = row.getLong(6);
    if (!row.wasNull()) {
      limits.put("max-channels", maxChannels);
    }
    return limits;
  }

  private static DestinationKind destinationKind(String column) {
    return column.equals(CommandApplier.kind(DestinationKind.QUEUE))
        ? DestinationKind.QUEUE
        : DestinationKind.EXCHANGE;
  }
}
