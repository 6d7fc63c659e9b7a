package dev.warren.persistence.definitions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The term and index of an entry of the replicated metadata log (DESIGN.md section 6): the store
 * keeps the position of the last entry it applied, so that a node restarted replays only what it
 * had not applied yet. Kept as two rows of the {@code counters} table ({@value #TERM}, {@value
 * #INDEX}), absent until the first entry: no schema change, and a single node never writes them.
 */
public record LogPosition(long term, long index) {

  /** Nothing applied yet. */
  public static final LogPosition NONE = new LogPosition(0, 0);

  static final String TERM = "metadata_log_term";
  static final String INDEX = "metadata_log_index";

  static LogPosition read(Connection connection) throws SQLException {
    return new LogPosition(counter(connection, TERM), counter(connection, INDEX));
  }

  void write(Connection connection) throws SQLException {
    try (PreparedStatement merge =
        connection.prepareStatement("MERGE INTO counters KEY (name) VALUES (?, ?)")) {
      merge.setString(1, TERM);
      merge.setLong(2, term);
      merge.addBatch();
      merge.setString(1, INDEX);
      merge.setLong(2, index);
      merge.addBatch();
      merge.executeBatch();
    }
  }

  private static long counter(Connection connection, String name) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT next_value FROM counters WHERE name = ?")) {
      select.setString(1, name);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }
}
