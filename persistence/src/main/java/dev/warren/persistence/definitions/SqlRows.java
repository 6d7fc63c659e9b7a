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
 * Small JDBC helpers for {@link CommandApplier}: queries and updates with bound parameters, and an
 * upsert that tells whether it changed anything. Table and column names passed in are constants of
 * the caller, never input; every value is a bound parameter. A {@link SQLException} becomes a
 * {@link DefinitionStoreException}. Used by the store's thread only.
 */
final class SqlRows {

  private final Connection connection;

  SqlRows(Connection connection) {
    this.connection = connection;
  }

  /**
   * Inserts the row, or updates its value columns if they differ; changed unless the row was
   * already there with the same values.
   */
  Applied upsert(
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

  boolean exists(String sql, Object... parameters) {
    return row(sql, List.of(parameters)) != null;
  }

  /** The first row of the query, or {@code null} if there is none. */
  List<Object> row(String sql, List<Object> parameters) {
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

  List<Object> row(String sql) {
    return row(sql, List.of());
  }

  int update(String sql, Object... parameters) {
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
