package dev.warren.persistence.definitions;

import static dev.warren.persistence.definitions.StoreFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionStoreTest {

  @TempDir Path dir;

  @Test
  void newStoreIsEmpty() {
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      Definitions loaded = store.load();
      assertTrue(loaded.vhosts().isEmpty());
      assertTrue(loaded.users().isEmpty());
      assertTrue(loaded.queues().isEmpty());
      assertEquals(1, loaded.nextQueueId());
    }
    assertTrue(Files.exists(dir.resolve("definitions.mv.db")));
  }

  @Test
  void everyEntityKindIsLoadedAfterApplyAndAfterRestart() {
    Definitions applied;
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      for (DefinitionCommand command : StoreFixture.all()) {
        assertTrue(store.apply(command).changed(), command::toString);
      }
      applied = store.load();
      assertFixture(applied);
    }
    try (DefinitionStore reopened = DefinitionStore.open(dir)) {
      assertEquals(applied, reopened.load());
    }
  }

  private static void assertFixture(Definitions d) {
    assertEquals(List.of(ROOT, OTHER), d.vhosts());
    assertEquals(List.of(BOB, GUEST), d.users());
    assertEquals(Set.of(GUEST_ROOT, GUEST_OTHER, BOB_ROOT), Set.copyOf(d.permissions()));
    assertEquals(List.of(BOB_TOPIC, GUEST_TOPIC), d.topicPermissions());
    assertEquals(List.of(AMQ_DIRECT, AUDIT, LOGS, OTHER_X), d.exchanges());
    assertEquals(
        List.of(
            new DurableQueue(2, ERRORS), new DurableQueue(1, ORDERS), new DurableQueue(3, OTHER_Q)),
        d.queues());
    assertEquals(
        Set.of(LOGS_TO_ERRORS, LOGS_TO_AUDIT, AUDIT_TO_ORDERS, DIRECT_TO_ORDERS, OTHER_BINDING),
        Set.copyOf(d.bindings()));
    assertEquals(5, d.bindings().size());
    assertEquals(List.of(TTL, OTHER_POLICY), d.policies());
    assertEquals(List.of(UPSTREAM, OTHER_PARAMETER), d.parameters());
    assertEquals(List.of(CAP, OTHER_CAP), d.operatorPolicies());
    assertEquals(List.of(CLUSTER_NAME), d.globalParameters());
    assertEquals(4, d.nextQueueId());
  }

  @Test
  void batchIsAppliedTogetherAndReportsEachCommand() {
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      List<Applied> results = store.applyAll(StoreFixture.all());
      assertEquals(StoreFixture.all().size(), results.size());
      assertTrue(results.stream().allMatch(Applied::changed));
      assertEquals(new Applied(true, 1), results.get(StoreFixture.all().indexOf(ORDERS)));
      assertFixture(store.load());
    }
  }

  @Test
  void changesSurviveRestartForUpdatesAndDeletesToo() {
    PutUser newPassword = new PutUser("guest", PasswordHash.hash("secret"), List.of());
    PutExchange logsReplaced = new PutExchange("/", "logs", "direct", true, false, NO_ARGS);
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      store.applyAll(StoreFixture.all());
      store.apply(newPassword);
      store.apply(logsReplaced);
      store.apply(new ClearPermissions("bob", "/"));
      store.apply(new Unbind("/", "logs", DestinationKind.EXCHANGE, "audit", "#", NO_ARGS));
      store.apply(new DeletePolicy("/", "ttl"));
      store.apply(new DeleteParameter("federation-upstream", "/", "origin"));
      store.apply(new DeleteOperatorPolicy("other", "cap"));
      store.apply(new DeleteGlobalParameter("cluster_name"));
      store.apply(new DeleteUser("bob"));
    }
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      Definitions d = store.load();
      assertEquals(List.of(newPassword), d.users());
      assertTrue(PasswordHash.check("secret", d.users().get(0).passwordHash()));
      assertTrue(d.exchanges().contains(logsReplaced));
      assertEquals(Set.of(GUEST_ROOT, GUEST_OTHER), Set.copyOf(d.permissions()));
      assertFalse(d.bindings().contains(LOGS_TO_AUDIT));
      assertTrue(d.bindings().contains(LOGS_TO_ERRORS), "exchange replaced, bindings kept");
      assertEquals(List.of(OTHER_POLICY), d.policies());
      assertEquals(List.of(OTHER_PARAMETER), d.parameters());
      assertEquals(List.of(CAP), d.operatorPolicies(), "the policy of the same name went alone");
      assertEquals(List.of(), d.globalParameters());
    }
  }

  @Test
  void queueIdsAreStableAcrossRedeclarationAndRestartAndNeverReused() {
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      store.apply(ROOT);
      assertEquals(new Applied(true, 1), store.apply(ORDERS));
      assertEquals(new Applied(false, 1), store.apply(ORDERS));
      PutQueue changed = new PutQueue("/", "orders", true, NO_ARGS);
      assertEquals(new Applied(true, 1), store.apply(changed));
      assertEquals(new Applied(true, 2), store.apply(ERRORS));
    }
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      assertEquals(new Applied(false, 1), store.apply(new PutQueue("/", "orders", true, NO_ARGS)));
      store.apply(new DeleteQueue("/", "orders"));
      assertEquals(new Applied(true, 3), store.apply(ORDERS), "a new queue gets a new id");
      assertEquals(4, store.load().nextQueueId());
    }
  }

  @Test
  void freshDatabaseHasTheCurrentSchemaVersion() throws SQLException {
    DefinitionStore.open(dir).close();
    try (Connection connection = h2(dir);
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT version FROM schema_version")) {
      assertTrue(row.next());
      assertEquals(Schema.CURRENT_VERSION, row.getInt(1));
      assertFalse(row.next());
    }
  }

  @Test
  void databaseOfVersionOneIsMigratedKeepingItsUsers() throws SQLException {
    DefinitionStore.open(dir).close();
    // Back to version 1's layout, with a user as version 1 stored it.
    try (Connection connection = h2(dir);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE operator_policies");
      statement.execute("DROP TABLE global_parameters");
      statement.execute("DROP TABLE topic_permissions");
      statement.execute("ALTER TABLE vhosts DROP COLUMN description");
      statement.execute("ALTER TABLE vhosts DROP COLUMN tags");
      statement.execute("ALTER TABLE vhosts DROP COLUMN default_queue_type");
      statement.execute("ALTER TABLE users DROP COLUMN hashing_algorithm");
      statement.execute("ALTER TABLE users DROP COLUMN max_connections");
      statement.execute("ALTER TABLE users DROP COLUMN max_channels");
      statement.execute(
          "INSERT INTO users VALUES ('guest', '" + GUEST.passwordHash() + "', 'administrator')");
      statement.executeUpdate("UPDATE schema_version SET version = 1");
    }
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      assertEquals(List.of(GUEST), store.load().users());
      assertEquals(PasswordHash.DEFAULT_ALGORITHM, store.load().users().get(0).hashingAlgorithm());
      store.applyAll(List.of(ROOT, BOB, BOB_ROOT, BOB_TOPIC));
      assertEquals(List.of(BOB_TOPIC), store.load().topicPermissions());
    }
    try (Connection connection = h2(dir);
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT version FROM schema_version")) {
      assertTrue(row.next());
      assertEquals(Schema.CURRENT_VERSION, row.getInt(1));
    }
  }

  @Test
  void databaseOfVersionTwoIsMigratedKeepingItsPolicies() throws SQLException {
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      store.applyAll(List.of(ROOT, TTL));
    }
    try (Connection connection = h2(dir);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE operator_policies");
      statement.execute("DROP TABLE global_parameters");
      statement.executeUpdate("UPDATE schema_version SET version = 2");
    }
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      assertEquals(List.of(TTL), store.load().policies());
      store.applyAll(List.of(CAP, CLUSTER_NAME));
      assertEquals(List.of(CAP), store.load().operatorPolicies());
      assertEquals(List.of(CLUSTER_NAME), store.load().globalParameters());
    }
    try (Connection connection = h2(dir);
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT version FROM schema_version")) {
      assertTrue(row.next());
      assertEquals(Schema.CURRENT_VERSION, row.getInt(1));
    }
  }

  @Test
  void databaseOfVersionThreeIsMigratedGivingItsQueuesNoGroup() throws SQLException {
    PutQueue orders = new PutQueue("/", "orders", false, new byte[0]);
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      store.applyAll(List.of(ROOT, orders));
    }
    try (Connection connection = h2(dir);
        Statement statement = connection.createStatement()) {
      statement.execute("ALTER TABLE queues DROP COLUMN queue_group");
      statement.executeUpdate("UPDATE schema_version SET version = 3");
    }
    PutQueue mirrored = new PutQueue("/", "mirrored", false, new byte[0], 2);
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      assertEquals(PutQueue.NO_GROUP, store.load().queues().get(0).declaration().queueGroup());
      store.applyAll(List.of(mirrored));
      // A redeclaration that names another group keeps the one the queue was made with.
      store.applyAll(List.of(new PutQueue("/", "mirrored", true, new byte[0], 0)));
      assertEquals(
          List.of(new PutQueue("/", "mirrored", true, new byte[0], 2), orders),
          store.load().queues().stream().map(DurableQueue::declaration).toList());
    }
  }

  @Test
  void databaseFromANewerSchemaIsRefused() throws SQLException {
    DefinitionStore.open(dir).close();
    try (Connection connection = h2(dir);
        Statement statement = connection.createStatement()) {
      statement.executeUpdate("UPDATE schema_version SET version = 99");
    }
    DefinitionStoreException refused =
        assertThrows(DefinitionStoreException.class, () -> DefinitionStore.open(dir));
    assertTrue(refused.getMessage().contains("99"), refused.getMessage());
  }

  @Test
  void schemaCreationThatDiedHalfWayIsCompletedOnNextOpen() throws SQLException {
    try (Connection connection = h2(dir);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE vhosts (name VARCHAR PRIMARY KEY)");
      statement.execute("CREATE TABLE schema_version (version INT NOT NULL)");
    }
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      store.applyAll(StoreFixture.all());
      assertFixture(store.load());
    }
  }

  @Test
  void secondOpenOfTheSameDirectoryIsRefusedWhileTheFirstIsOpen() {
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      assertThrows(DefinitionStoreException.class, () -> DefinitionStore.open(dir));
      store.apply(ROOT);
    }
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      assertEquals(List.of(ROOT), store.load().vhosts());
    }
  }

  @Test
  void closedStoreRefusesCallsAndClosesTwiceQuietly() {
    DefinitionStore store = DefinitionStore.open(dir);
    store.close();
    store.close();
    assertThrows(IllegalStateException.class, () -> store.apply(ROOT));
    assertThrows(IllegalStateException.class, store::load);
  }

  @Test
  void namesWithAnyUnicodeAndEmptyBytesRoundTrip() {
    PutVhost vhost = new PutVhost("vhöst/✓ with spaces");
    PutExchange exchange = new PutExchange(vhost.name(), "", "direct", false, false, NO_ARGS);
    PutQueue queue = new PutQueue(vhost.name(), "amq.gen-Ωx", false, new byte[0]);
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      store.applyAll(List.of(vhost, exchange, queue));
    }
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      Definitions d = store.load();
      assertEquals(List.of(vhost), d.vhosts());
      assertEquals(List.of(exchange), d.exchanges());
      assertEquals(
          List.of(queue),
          d.queues().stream().map(DurableQueue::declaration).collect(Collectors.toList()));
    }
  }

  static Connection h2(Path dir) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:h2:file:" + dir.toAbsolutePath().resolve(DefinitionStore.FILE_NAME), "sa", "");
  }
}
