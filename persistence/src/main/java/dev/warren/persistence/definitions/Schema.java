package dev.warren.persistence.definitions;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates the tables on first start and checks and migrates them on every start. The version of the
 * layout is the one row of {@code schema_version}.
 *
 * <p>Version 2 (version 1 plus vhost metadata, user algorithms and limits, topic permissions;
 * {@code VERSION_2} migrates a version-1 database in place). Names of virtual hosts, users,
 * exchanges, queues, policies and parameters are {@code VARCHAR}; opaque bytes (AMQP arguments,
 * policy definitions, parameter values) are {@code VARBINARY}. Foreign keys with {@code ON DELETE
 * CASCADE} remove what a virtual host, a user or a source exchange owns; bindings to a destination
 * are removed by the store, since a destination is a queue or an exchange.
 */
final class Schema {

  /** The layout this code reads and writes. */
  static final int CURRENT_VERSION = 4;

  private static final List<String> VERSION_1 =
      List.of(
          "CREATE TABLE IF NOT EXISTS counters ("
              + " name VARCHAR PRIMARY KEY, next_value BIGINT NOT NULL)",
          "MERGE INTO counters KEY (name) VALUES ('queue_id', 1)",
          "CREATE TABLE IF NOT EXISTS vhosts (name VARCHAR PRIMARY KEY)",
          "CREATE TABLE IF NOT EXISTS users ("
              + " name VARCHAR PRIMARY KEY,"
              + " password_hash VARCHAR NOT NULL,"
              + " tags VARCHAR NOT NULL)",
          "CREATE TABLE IF NOT EXISTS permissions ("
              + " user_name VARCHAR NOT NULL REFERENCES users (name) ON DELETE CASCADE,"
              + " vhost VARCHAR NOT NULL REFERENCES vhosts (name) ON DELETE CASCADE,"
              + " configure_pattern VARCHAR NOT NULL,"
              + " write_pattern VARCHAR NOT NULL,"
              + " read_pattern VARCHAR NOT NULL,"
              + " PRIMARY KEY (user_name, vhost))",
          "CREATE TABLE IF NOT EXISTS exchanges ("
              + " vhost VARCHAR NOT NULL REFERENCES vhosts (name) ON DELETE CASCADE,"
              + " name VARCHAR NOT NULL,"
              + " exchange_type VARCHAR NOT NULL,"
              + " auto_delete BOOLEAN NOT NULL,"
              + " internal BOOLEAN NOT NULL,"
              + " arguments VARBINARY NOT NULL,"
              + " PRIMARY KEY (vhost, name))",
          "CREATE TABLE IF NOT EXISTS queues ("
              + " vhost VARCHAR NOT NULL REFERENCES vhosts (name) ON DELETE CASCADE,"
              + " name VARCHAR NOT NULL,"
              + " queue_id BIGINT NOT NULL UNIQUE,"
              + " auto_delete BOOLEAN NOT NULL,"
              + " arguments VARBINARY NOT NULL,"
              + " PRIMARY KEY (vhost, name))",
          "CREATE TABLE IF NOT EXISTS bindings ("
              + " vhost VARCHAR NOT NULL,"
              + " source VARCHAR NOT NULL,"
              + " destination_kind VARCHAR NOT NULL"
              + "   CHECK (destination_kind IN ('queue', 'exchange')),"
              + " destination VARCHAR NOT NULL,"
              + " routing_key VARCHAR NOT NULL,"
              + " arguments VARBINARY NOT NULL,"
              + " PRIMARY KEY (vhost, source, destination_kind, destination, routing_key, arguments),"
              + " FOREIGN KEY (vhost, source) REFERENCES exchanges (vhost, name) ON DELETE CASCADE)",
          "CREATE INDEX IF NOT EXISTS bindings_by_destination"
              + " ON bindings (vhost, destination_kind, destination)",
          "CREATE TABLE IF NOT EXISTS policies ("
              + " vhost VARCHAR NOT NULL REFERENCES vhosts (name) ON DELETE CASCADE,"
              + " name VARCHAR NOT NULL,"
              + " pattern VARCHAR NOT NULL,"
              + " apply_to VARCHAR NOT NULL,"
              + " priority INT NOT NULL,"
              + " definition VARBINARY NOT NULL,"
              + " PRIMARY KEY (vhost, name))",
          "CREATE TABLE IF NOT EXISTS parameters ("
              + " component VARCHAR NOT NULL,"
              + " vhost VARCHAR NOT NULL REFERENCES vhosts (name) ON DELETE CASCADE,"
              + " name VARCHAR NOT NULL,"
              + " parameter_value VARBINARY NOT NULL,"
              + " PRIMARY KEY (component, vhost, name))",
          // Last, and every statement above may run twice: H2 commits each DDL statement, so a
          // start that died half-way through finds no version row and creates the rest.
          "CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL)",
          "INSERT INTO schema_version VALUES (1)");

  /**
   * Version 2: vhost metadata; users keep the algorithm of their hash and their limits (RabbitMQ's
   * user record); topic permissions.
   */
  private static final List<String> VERSION_2 =
      List.of(
          "ALTER TABLE vhosts ADD COLUMN IF NOT EXISTS description VARCHAR NOT NULL DEFAULT ''",
          "ALTER TABLE vhosts ADD COLUMN IF NOT EXISTS tags VARCHAR NOT NULL DEFAULT ''",
          "ALTER TABLE vhosts ADD COLUMN IF NOT EXISTS default_queue_type VARCHAR NOT NULL"
              + " DEFAULT ''",
          "ALTER TABLE users ADD COLUMN IF NOT EXISTS hashing_algorithm VARCHAR NOT NULL"
              + " DEFAULT 'rabbit_password_hashing_sha256'",
          "ALTER TABLE users ADD COLUMN IF NOT EXISTS max_connections BIGINT",
          "ALTER TABLE users ADD COLUMN IF NOT EXISTS max_channels BIGINT",
          "CREATE TABLE IF NOT EXISTS topic_permissions ("
              + " user_name VARCHAR NOT NULL REFERENCES users (name) ON DELETE CASCADE,"
              + " vhost VARCHAR NOT NULL REFERENCES vhosts (name) ON DELETE CASCADE,"
              + " exchange VARCHAR NOT NULL,"
              + " write_pattern VARCHAR NOT NULL,"
              + " read_pattern VARCHAR NOT NULL,"
              + " PRIMARY KEY (user_name, vhost, exchange))");

  /**
   * Version 3: operator policies (a table of their own, as RabbitMQ keeps them apart from policies:
   * a policy and an operator policy may share a name) and global parameters, which belong to no
   * virtual host.
   */
  private static final List<String> VERSION_3 =
      List.of(
          "CREATE TABLE IF NOT EXISTS operator_policies ("
              + " vhost VARCHAR NOT NULL REFERENCES vhosts (name) ON DELETE CASCADE,"
              + " name VARCHAR NOT NULL,"
              + " pattern VARCHAR NOT NULL,"
              + " apply_to VARCHAR NOT NULL,"
              + " priority INT NOT NULL,"
              + " definition VARBINARY NOT NULL,"
              + " PRIMARY KEY (vhost, name))",
          "CREATE TABLE IF NOT EXISTS global_parameters ("
              + " name VARCHAR PRIMARY KEY,"
              + " parameter_value VARBINARY NOT NULL)");

  /**
   * Version 4: a queue's queue group (the cluster's Raft group a mirrored queue lives in); -1,
   * none, for every queue stored before.
   */
  private static final List<String> VERSION_4 =
      List.of("ALTER TABLE queues ADD COLUMN IF NOT EXISTS queue_group INT NOT NULL DEFAULT -1");

  /**
   * Statements that take the layout from version {@code i + 1} to {@code i + 2}, in order; every
   * statement may run twice (a start that died half-way through a migration runs it again).
   */
  private static final List<List<String>> MIGRATIONS = List.of(VERSION_2, VERSION_3, VERSION_4);

  private Schema() {}

  /**
   * Brings the database behind {@code connection} to {@link #CURRENT_VERSION}: creates it when
   * empty, migrates an older one, refuses a newer one. Returns the version found (0 when empty).
   */
  static int prepare(Connection connection) throws SQLException {
    int found = version(connection);
    if (found > CURRENT_VERSION) {
      throw new DefinitionStoreException(
          "definitions database has schema version "
              + found
              + ", newer than this broker reads ("
              + CURRENT_VERSION
              + ")");
    }
    if (found == 0) {
      execute(connection, VERSION_1);
    }
    for (int version = Math.max(found, 1); version < CURRENT_VERSION; version++) {
      execute(connection, MIGRATIONS.get(version - 1));
      try (Statement statement = connection.createStatement()) {
        statement.executeUpdate("UPDATE schema_version SET version = " + (version + 1));
      }
    }
    connection.commit();
    return found;
  }

  private static int version(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet tables =
            statement.executeQuery(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = 'SCHEMA_VERSION'")) {
      tables.next();
      if (tables.getInt(1) == 0) {
        return 0;
      }
    }
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT version FROM schema_version")) {
      return row.next() ? row.getInt(1) : 0;
    }
  }

  private static void execute(Connection connection, List<String> statements) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
