package dev.warren.mirroring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.persistence.definitions.Bind;
import dev.warren.persistence.definitions.BindingKey;
import dev.warren.persistence.definitions.DefinitionCommand;
import dev.warren.persistence.definitions.DefinitionStore;
import dev.warren.persistence.definitions.Definitions;
import dev.warren.persistence.definitions.DeleteExchange;
import dev.warren.persistence.definitions.DeleteVhost;
import dev.warren.persistence.definitions.DestinationKind;
import dev.warren.persistence.definitions.LogPosition;
import dev.warren.persistence.definitions.PasswordHash;
import dev.warren.persistence.definitions.PutExchange;
import dev.warren.persistence.definitions.PutPolicy;
import dev.warren.persistence.definitions.PutQueue;
import dev.warren.persistence.definitions.PutUser;
import dev.warren.persistence.definitions.PutVhost;
import dev.warren.persistence.definitions.SetPermissions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that installs a snapshot ends with the snapshot's definitions, whatever it held: the
 * changes are worked out against two real stores.
 */
class MetadataSnapshotTest {
  private static final byte[] NONE = new byte[0];

  @TempDir Path dir;

  @Test
  void theChangesFromALaggingStoreMakeItEqualToTheSnapshot() {
    try (DefinitionStore lagging = DefinitionStore.open(dir.resolve("lagging"));
        DefinitionStore leader = DefinitionStore.open(dir.resolve("leader"))) {
      List<DefinitionCommand> common =
          List.of(
              new PutVhost("/"),
              new PutUser("guest", PasswordHash.hash("guest"), List.of("administrator")),
              new SetPermissions("guest", "/", ".*", ".*", ".*"),
              new PutExchange("/", "x.kept", "direct", false, false, NONE),
              new PutExchange("/", "x.gone", "fanout", false, false, NONE),
              new PutQueue("/", "q.kept", false, NONE),
              new Bind(key("x.gone", "q.kept")),
              new PutVhost("old"));
      lagging.applyAll(common);
      leader.applyAll(common);
      // What the lagging node missed: deletions (a whole vhost among them), changes, additions.
      leader.applyAll(
          List.of(
              new DeleteExchange("/", "x.gone"),
              new DeleteVhost("old"),
              new SetPermissions("guest", "/", "^a", ".*", ".*"),
              new PutVhost("new"),
              new PutExchange("new", "x.new", "topic", false, false, NONE),
              new PutQueue("new", "q.new", false, NONE),
              new Bind(new BindingKey("new", "x.new", DestinationKind.QUEUE, "q.new", "#", NONE)),
              new PutPolicy("new", "ttl", ".*", "queues", 1, NONE)));
      MetadataSnapshot snapshot =
          MetadataSnapshot.decode(
              MetadataSnapshot.of(new LogPosition(3, 40), leader.load()).encode());

      List<DefinitionCommand> changes = snapshot.changesFrom(lagging.load());
      lagging.applyLogged(changes, snapshot.position());

      assertSameDefinitions(leader.load(), lagging.load());
      assertEquals(new LogPosition(3, 40), lagging.logPosition());
      assertTrue(snapshot.changesFrom(lagging.load()).isEmpty(), "nothing left to change");
    }
  }

  private static BindingKey key(String exchange, String queue) {
    return new BindingKey("/", exchange, DestinationKind.QUEUE, queue, "", NONE);
  }

  /** Equal but for queue ids, which each node gives its own queues. */
  private static void assertSameDefinitions(Definitions expected, Definitions actual) {
    assertEquals(MetadataSnapshot.puts(expected), MetadataSnapshot.puts(actual));
  }
}
