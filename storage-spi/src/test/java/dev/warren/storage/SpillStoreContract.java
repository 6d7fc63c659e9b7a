package dev.warren.storage;

import static dev.warren.storage.Payloads.assertMessage;
import static dev.warren.storage.Payloads.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SpillStore} promises a queue: messages written out read back until discarded,
 * and nothing survives a restart. An implementation's test extends this class.
 */
public abstract class SpillStoreContract {
  private static final long SPILL = -7;

  private StorageBackend backend;

  /** Starts the backend under test on fresh, empty storage. */
  protected abstract StorageBackend start() throws Exception;

  @BeforeEach
  void startBackend() throws Exception {
    backend = start();
  }

  @AfterEach
  void closeBackend() throws Exception {
    backend.close();
  }

  private static void write(SpillStore spill, long id) throws Exception {
    ByteBuf metadata = Payloads.metadata(SPILL, id);
    ByteBuf body = Payloads.body(SPILL, id);
    try {
      await(spill.write(id, metadata, body));
    } finally {
      metadata.release();
      body.release();
    }
  }

  @Test
  void writtenMessagesReadBackInTheOrderAsked() throws Exception {
    SpillStore spill = backend.spill(SPILL);
    for (long id = 1; id <= 3; id++) {
      write(spill, id);
    }
    List<StoredMessage> read = await(spill.read(new long[] {2, 3, 1}));
    assertMessage(SPILL, 2, read.get(0));
    assertMessage(SPILL, 3, read.get(1));
    assertMessage(SPILL, 1, read.get(2));
  }

  @Test
  void discardedAndClearedMessagesReadAsNull() throws Exception {
    SpillStore spill = backend.spill(SPILL);
    for (long id = 1; id <= 3; id++) {
      write(spill, id);
    }
    await(spill.discard(2));
    List<StoredMessage> read = await(spill.read(new long[] {1, 2, 3}));
    assertMessage(SPILL, 1, read.get(0));
    assertNull(read.get(1));
    assertMessage(SPILL, 3, read.get(2));
    await(spill.clear());
    read = await(spill.read(new long[] {1, 3}));
    assertNull(read.get(0));
    assertNull(read.get(1));
  }

  @Test
  void nothingSpilledSurvivesARestartNorShowsInAnyLog() throws Exception {
    SpillStore spill = backend.spill(SPILL);
    write(spill, 1);
    write(spill, 2);
    backend.restart();
    List<StoredMessage> read = await(backend.spill(SPILL).read(new long[] {1, 2}));
    assertNull(read.get(0));
    assertNull(read.get(1));
  }

  @Test
  void nothingSpilledSurvivesACrash() throws Exception {
    SpillStore spill = backend.spill(SPILL);
    write(spill, 1);
    backend.crash();
    assertNull(await(backend.spill(SPILL).read(new long[] {1})).get(0));
  }

  @Test
  void everyRequestToAStoppedStoreFailsItsFutureAndNothingThrows() throws Exception {
    SpillStore spill = backend.spill(SPILL);
    write(spill, 1);
    backend.close();
    ByteBuf metadata = Payloads.metadata(SPILL, 2);
    ByteBuf body = Payloads.body(SPILL, 2);
    List<Supplier<CompletableFuture<?>>> requests =
        List.of(
            () -> spill.write(2, metadata, body),
            () -> spill.discard(1),
            spill::clear,
            () -> spill.read(new long[] {1}));
    for (Supplier<CompletableFuture<?>> request : requests) {
      CompletableFuture<?> future = request.get();
      assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    }
    assertEquals(1, metadata.refCnt());
    assertEquals(1, body.refCnt());
    metadata.release();
    body.release();
  }
}
