package dev.warren.persistence.definitions;

import static dev.warren.persistence.definitions.StoreFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures: a storage error in the middle of a command, and a process killed with the store open.
 */
class DefinitionStoreCrashTest {

  @TempDir Path dir;

  @Test
  void storageFailureInTheMiddleOfACommandLeavesNothingOfIt() throws SQLException {
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      store.applyAll(StoreFixture.all());
    }
    try (Connection connection = DefinitionStoreTest.h2(dir);
        Statement statement = connection.createStatement()) {
      String trigger = "FOR EACH ROW CALL '" + FailingTrigger.class.getName() + "'";
      statement.execute("CREATE TRIGGER no_new_queue BEFORE INSERT ON queues " + trigger);
      statement.execute("CREATE TRIGGER no_exchange_delete BEFORE DELETE ON exchanges " + trigger);
    }
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      Definitions before = store.load();
      // PutQueue takes an id from the counter, then fails to insert the queue.
      assertThrows(
          DefinitionStoreException.class,
          () -> store.apply(new PutQueue("/", "new", false, NO_ARGS)));
      // DeleteExchange removes the bindings to the exchange, then fails to delete it.
      assertThrows(
          DefinitionStoreException.class, () -> store.apply(new DeleteExchange("/", "audit")));
      assertEquals(before, store.load());
      assertTrue(store.load().bindings().contains(LOGS_TO_AUDIT));
      assertEquals(4, store.load().nextQueueId());
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void appliedCommandsSurviveAKilledProcessThatHeldTheStoreOpen() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashingWriter.class.getName(),
                dir.toString())
            .redirectErrorStream(true)
            .start();
    try {
      List<String> output = untilApplied(child);
      assertEquals("applied", output.get(output.size() - 1), String.join("\n", output));

      assertThrows(
          DefinitionStoreException.class,
          () -> DefinitionStore.open(dir),
          "another process holds the store");

      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }
    try (DefinitionStore store = DefinitionStore.open(dir)) {
      Definitions d = store.load();
      assertEquals(List.of(ROOT, OTHER), d.vhosts());
      assertEquals(3, d.queues().size());
      assertEquals(5, d.bindings().size());
      assertEquals(List.of(UPSTREAM, OTHER_PARAMETER), d.parameters());
    }
  }

  private static List<String> untilApplied(Process child) throws IOException {
    List<String> lines = new ArrayList<>();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      lines.add(line);
      if (line.equals("applied")) {
        break;
      }
    }
    if (lines.isEmpty()) {
      lines.add("(no output)");
    }
    return lines;
  }
}
