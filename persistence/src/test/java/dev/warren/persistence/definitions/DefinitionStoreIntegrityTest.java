package dev.warren.persistence.definitions;

import static dev.warren.persistence.definitions.StoreFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idempotence, reference checks, and one transaction per command or batch. */
class DefinitionStoreIntegrityTest {

  @TempDir Path dir;
  private DefinitionStore store;

  @BeforeEach
  void open() {
    store = DefinitionStore.open(dir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void repeatingEveryPutChangesNothing() {
    store.applyAll(StoreFixture.all());
    Definitions before = store.load();
    for (DefinitionCommand command : StoreFixture.all()) {
      assertFalse(store.apply(command).changed(), command::toString);
    }
    assertEquals(before, store.load());
  }

  @Test
  void putWithOtherAttributesReplacesThem() {
    store.applyAll(StoreFixture.all());
    PutPolicy ttl = new PutPolicy("/", "ttl", "^orders$", "queues", 1, "{}".getBytes());
    assertTrue(store.apply(ttl).changed());
    SetPermissions readOnly = new SetPermissions("guest", "/", "", "", ".*");
    assertTrue(store.apply(readOnly).changed());
    PutParameter upstream = new PutParameter("federation-upstream", "/", "origin", new byte[] {9});
    assertTrue(store.apply(upstream).changed());
    PutOperatorPolicy cap = new PutOperatorPolicy("/", "ttl", "^q", "all", 3, "{}".getBytes());
    assertTrue(store.apply(cap).changed());
    PutGlobalParameter name = new PutGlobalParameter("cluster_name", "\"x\"".getBytes());
    assertTrue(store.apply(name).changed());
    Definitions d = store.load();
    assertTrue(d.policies().contains(ttl));
    assertTrue(d.permissions().contains(readOnly));
    assertTrue(d.parameters().contains(upstream));
    assertEquals(List.of(cap, OTHER_CAP), d.operatorPolicies());
    assertEquals(List.of(name), d.globalParameters());
  }

  @Test
  void deletingWhatIsMissingIsNoErrorAndChangesNothing() {
    store.apply(ROOT);
    List<DefinitionCommand> deletes =
        List.of(
            new DeleteVhost("nowhere"),
            new DeleteUser("nobody"),
            new ClearPermissions("nobody", "/"),
            new DeleteExchange("/", "none"),
            new DeleteQueue("/", "none"),
            new Unbind("/", "none", DestinationKind.QUEUE, "none", "", NO_ARGS),
            new DeletePolicy("/", "none"),
            new DeleteParameter("shovel", "/", "none"),
            new DeleteOperatorPolicy("/", "none"),
            new DeleteGlobalParameter("none"),
            new DeleteExchange("nowhere", "none"));
    for (DefinitionCommand delete : deletes) {
      assertEquals(new Applied(false, 0), store.apply(delete), delete::toString);
    }
    assertEquals(List.of(ROOT), store.load().vhosts());
  }

  @Test
  void bindingsDifferingOnlyInArgumentsAreDistinct() {
    store.applyAll(List.of(ROOT, LOGS, ORDERS));
    Bind plain = new Bind("/", "logs", DestinationKind.QUEUE, "orders", "k", NO_ARGS);
    Bind withArgs = new Bind("/", "logs", DestinationKind.QUEUE, "orders", "k", ARGS);
    assertTrue(store.apply(plain).changed());
    assertTrue(store.apply(withArgs).changed());
    assertFalse(store.apply(withArgs).changed());
    assertEquals(2, store.load().bindings().size());
    store.apply(new Unbind("/", "logs", DestinationKind.QUEUE, "orders", "k", ARGS));
    assertEquals(List.of(plain), store.load().bindings());
  }

  @Test
  void storeChecksReferences() {
    store.applyAll(List.of(ROOT, LOGS, ORDERS, BOB));
    List<DefinitionCommand> dangling =
        List.of(
            new PutExchange("nowhere", "x", "direct", false, false, NO_ARGS),
            new PutQueue("nowhere", "q", false, NO_ARGS),
            new PutPolicy("nowhere", "p", ".*", "all", 0, NO_ARGS),
            new PutParameter("shovel", "nowhere", "s", NO_ARGS),
            new PutOperatorPolicy("nowhere", "p", ".*", "queues", 0, NO_ARGS),
            new SetPermissions("bob", "nowhere", ".*", ".*", ".*"),
            new SetPermissions("nobody", "/", ".*", ".*", ".*"),
            new Bind("/", "missing", DestinationKind.QUEUE, "orders", "", NO_ARGS),
            new Bind("/", "logs", DestinationKind.QUEUE, "missing", "", NO_ARGS),
            new Bind("/", "logs", DestinationKind.EXCHANGE, "missing", "", NO_ARGS),
            // a queue named like the destination exchange does not count, nor the reverse
            new Bind("/", "logs", DestinationKind.EXCHANGE, "orders", "", NO_ARGS),
            new Bind("/", "logs", DestinationKind.QUEUE, "logs", "", NO_ARGS));
    Definitions before = store.load();
    for (DefinitionCommand command : dangling) {
      InvalidCommandException e =
          assertThrows(InvalidCommandException.class, () -> store.apply(command));
      assertEquals(command, e.command());
    }
    assertEquals(before, store.load());
  }

  @Test
  void failedBatchLeavesNothingOfItself() {
    store.apply(ROOT);
    Definitions before = store.load();
    List<DefinitionCommand> batch =
        List.of(
            OTHER,
            OTHER_X,
            OTHER_Q,
            OTHER_BINDING,
            new DeleteVhost("/"),
            new Bind("other", "x", DestinationKind.QUEUE, "missing", "", NO_ARGS));
    assertThrows(InvalidCommandException.class, () -> store.applyAll(batch));
    assertEquals(before, store.load());
    assertEquals(1, store.load().nextQueueId(), "the queue id given in the batch is given back");
    assertEquals(new Applied(true, 1), store.apply(ORDERS));
  }

  @Test
  void commandMayReferToWhatAnEarlierCommandOfItsBatchCreatedOrDeleted() {
    store.applyAll(List.of(ROOT, LOGS, ORDERS));
    List<Applied> results =
        store.applyAll(
            List.of(
                ERRORS,
                LOGS_TO_ERRORS,
                new DeleteQueue("/", "errors"),
                new PutQueue("/", "errors", true, NO_ARGS)));
    assertEquals(
        List.of(new Applied(true, 2), Applied.CHANGED, Applied.CHANGED, new Applied(true, 3)),
        results);
    assertTrue(store.load().bindings().isEmpty(), "the binding went with the deleted queue");

    Bind toDeleted = new Bind("/", "logs", DestinationKind.QUEUE, "orders", "", NO_ARGS);
    assertThrows(
        InvalidCommandException.class,
        () -> store.applyAll(List.of(new DeleteQueue("/", "orders"), toDeleted)));
    assertEquals(2, store.load().queues().size());
  }

  @Test
  void storeKeepsWorkingAfterARejectedCommand() {
    assertThrows(InvalidCommandException.class, () -> store.apply(LOGS));
    store.applyAll(StoreFixture.all());
    assertEquals(StoreFixture.all().size(), countEntities(store.load()));
  }

  private static int countEntities(Definitions d) {
    return d.vhosts().size()
        + d.users().size()
        + d.permissions().size()
        + d.topicPermissions().size()
        + d.exchanges().size()
        + d.queues().size()
        + d.bindings().size()
        + d.policies().size()
        + d.parameters().size()
        + d.operatorPolicies().size()
        + d.globalParameters().size();
  }
}
