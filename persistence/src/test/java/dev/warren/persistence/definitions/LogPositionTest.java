package dev.warren.persistence.definitions;

import static dev.warren.persistence.definitions.StoreFixture.ORDERS;
import static dev.warren.persistence.definitions.StoreFixture.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store keeps the position of the last metadata log entry it applied, with that entry's
 * changes, across a restart; a single node's changes leave it alone.
 */
class LogPositionTest {
  @TempDir Path dir;

  @Test
  void aLoggedEntryIsStoredWithItsPositionAndBothSurviveARestart() {
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      assertEquals(LogPosition.NONE, store.logPosition());
      store.applyLogged(List.of(ROOT, ORDERS), new LogPosition(2, 7));
      store.apply(new PutVhost("single-node-change"));
      assertEquals(new LogPosition(2, 7), store.logPosition());
    }
    try (DefinitionStore reopened = DefinitionStore.open(dir)) {
      assertEquals(new LogPosition(2, 7), reopened.logPosition());
      assertEquals(1, reopened.load().queues().size());
    }
  }

  @Test
  void aRefusedEntryChangesNothingButCountsAsApplied() {
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      store.applyLogged(List.of(ROOT), new LogPosition(1, 1));
      // A queue in a vhost that does not exist: refused, as on every node.
      assertThrows(
          InvalidCommandException.class,
          () ->
              store.applyLogged(
                  List.of(new PutVhost("v"), new PutQueue("missing", "q", false, new byte[0])),
                  new LogPosition(1, 2)));
      assertEquals(new LogPosition(1, 2), store.logPosition());
      assertTrue(store.load().vhosts().stream().noneMatch(v -> v.name().equals("v")));
    }
  }
}
