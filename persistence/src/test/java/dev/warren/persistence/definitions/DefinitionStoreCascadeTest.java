package dev.warren.persistence.definitions;

import static dev.warren.persistence.definitions.StoreFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionStoreCascadeTest {

  @TempDir Path dir;
  private DefinitionStore store;

  @BeforeEach
  void populate() {
    store = DefinitionStore.open(dir);
    store.applyAll(StoreFixture.all());
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** The cascade must hold after a restart too, not only in the open database. */
  private Definitions reloaded() {
    store.close();
    store = DefinitionStore.open(dir);
    return store.load();
  }

  @Test
  void deletingAVhostRemovesEverythingInItAndNothingElse() {
    assertTrue(store.apply(new DeleteVhost("/")).changed());
    Definitions d = reloaded();
    assertEquals(List.of(OTHER), d.vhosts());
    assertEquals(List.of(BOB, GUEST), d.users(), "users are not in a vhost");
    assertEquals(List.of(GUEST_OTHER), d.permissions());
    assertEquals(List.of(GUEST_TOPIC), d.topicPermissions());
    assertEquals(List.of(OTHER_X), d.exchanges());
    assertEquals(List.of(new DurableQueue(3, OTHER_Q)), d.queues());
    assertEquals(List.of(OTHER_BINDING), d.bindings());
    assertEquals(List.of(OTHER_POLICY), d.policies());
    assertEquals(List.of(OTHER_PARAMETER), d.parameters());
    assertEquals(List.of(OTHER_CAP), d.operatorPolicies());
    assertEquals(List.of(CLUSTER_NAME), d.globalParameters(), "global parameters are in no vhost");
  }

  @Test
  void deletingAQueueRemovesTheBindingsToIt() {
    assertTrue(store.apply(new DeleteQueue("/", "orders")).changed());
    Definitions d = reloaded();
    assertEquals(List.of(new DurableQueue(2, ERRORS), new DurableQueue(3, OTHER_Q)), d.queues());
    assertEquals(Set.of(LOGS_TO_ERRORS, LOGS_TO_AUDIT, OTHER_BINDING), Set.copyOf(d.bindings()));
    assertEquals(4, d.exchanges().size(), "source exchanges stay");
  }

  @Test
  void deletingAnExchangeRemovesBindingsFromAndToIt() {
    // audit is the destination of logs -> audit and the source of audit -> orders.
    assertTrue(store.apply(new DeleteExchange("/", "audit")).changed());
    Definitions d = reloaded();
    assertEquals(List.of(AMQ_DIRECT, LOGS, OTHER_X), d.exchanges());
    assertEquals(Set.of(LOGS_TO_ERRORS, DIRECT_TO_ORDERS, OTHER_BINDING), Set.copyOf(d.bindings()));
    assertEquals(3, d.queues().size(), "destination queues stay");
  }

  @Test
  void deletingAUserRemovesItsPermissions() {
    assertTrue(store.apply(new DeleteUser("guest")).changed());
    Definitions d = reloaded();
    assertEquals(List.of(BOB), d.users());
    assertEquals(List.of(BOB_ROOT), d.permissions());
    assertEquals(List.of(BOB_TOPIC), d.topicPermissions());
    assertEquals(2, d.vhosts().size());
  }

  @Test
  void sameNamesInAnotherVhostAreUntouched() {
    store.applyAll(
        List.of(
            new PutExchange("other", "audit", "fanout", false, false, NO_ARGS),
            new PutQueue("other", "orders", false, NO_ARGS),
            new Bind("other", "audit", DestinationKind.QUEUE, "orders", "", NO_ARGS)));
    store.apply(new DeleteExchange("/", "audit"));
    store.apply(new DeleteQueue("/", "orders"));
    Definitions d = reloaded();
    assertTrue(
        d.bindings()
            .contains(new Bind("other", "audit", DestinationKind.QUEUE, "orders", "", NO_ARGS)));
    assertTrue(
        d.queues().stream()
            .anyMatch(
                q -> q.declaration().equals(new PutQueue("other", "orders", false, NO_ARGS))));
  }
}
