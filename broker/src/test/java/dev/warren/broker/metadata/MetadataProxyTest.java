package dev.warren.broker.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.persistence.definitions.PutVhost;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata writer runs one change at a time, in the order submitted: changes that need no disk
 * run at once on the caller's thread when it is idle, everything else on the metadata thread with
 * the store, and a change that finds it needs the store after all moves there without letting a
 * later one pass it.
 */
class MetadataProxyTest {
  @TempDir Path dir;
  private MetadataProxy proxy;
  private final List<String> order = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void open() {
    proxy = MetadataProxy.open(dir);
  }

  @AfterEach
  void close() {
    proxy.close();
  }

  @Test
  void aChangeRunsAtOnceOnTheCallersThreadWhenTheWriterIsIdle() throws Exception {
    Thread caller = Thread.currentThread();
    CompletableFuture<Thread> ran = proxy.change(store -> Thread.currentThread());
    assertTrue(ran.isDone(), "ran before change() returned");
    assertSame(caller, ran.get());
  }

  @Test
  void aCallRunsOnTheMetadataThreadWithTheStore() throws Exception {
    String thread =
        proxy
            .call(
                store -> {
                  assertNotNull(store);
                  return Thread.currentThread().getName();
                })
            .get(10, TimeUnit.SECONDS);
    assertEquals(MetadataProxy.THREAD_NAME, thread);
  }

  @Test
  void aChangeQueuesBehindABusyWriterAndKeepsItsOrder() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> slow =
        proxy.call(
            store -> {
              await(release);
              order.add("slow");
              return null;
            });
    CompletableFuture<String> queued =
        proxy.change(
            store -> {
              order.add("change");
              return Thread.currentThread().getName();
            });
    assertFalse(queued.isDone(), "waits for the change before it");
    release.countDown();
    assertEquals(MetadataProxy.THREAD_NAME, queued.get(10, TimeUnit.SECONDS));
    slow.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("slow", "change"), order);
  }

  @Test
  void aChangeThatNeedsTheStoreMovesToTheMetadataThreadAheadOfLaterOnes() throws Exception {
    CompletableFuture<String> stored =
        proxy.change(
            store -> {
              if (store == null) {
                order.add("asked for the store");
                throw MetadataProxy.StoreNeeded.INSTANCE;
              }
              store.apply(new PutVhost("v"));
              order.add("stored");
              return Thread.currentThread().getName();
            });
    CompletableFuture<Void> later =
        proxy.change(
            store -> {
              order.add("later");
              return null;
            });
    assertEquals(MetadataProxy.THREAD_NAME, stored.get(10, TimeUnit.SECONDS));
    later.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("asked for the store", "stored", "later"), order);
    assertTrue(proxy.call(store -> store.load().vhosts()).get().contains(new PutVhost("v")));
  }

  @Test
  void aFailingChangeFailsItsFutureAndTheWriterGoesOn() throws Exception {
    CompletableFuture<Void> failed =
        proxy.change(
            store -> {
              throw new IllegalArgumentException("no");
            });
    ExecutionException e = assertThrows(ExecutionException.class, failed::get);
    assertTrue(e.getCause() instanceof IllegalArgumentException);
    assertNull(proxy.change(store -> null).get(10, TimeUnit.SECONDS));
  }

  @Test
  void closeRunsWhatWasSubmittedThenRefuses() throws Exception {
    CompletableFuture<Void> pending =
        proxy.call(
            store -> {
              order.add("ran");
              return null;
            });
    proxy.close();
    assertTrue(pending.isDone());
    assertEquals(List.of("ran"), order);
    CompletableFuture<Void> late = proxy.call(store -> null);
    assertThrows(ExecutionException.class, late::get);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
