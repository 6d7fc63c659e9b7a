package dev.warren.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Messages the contract suites write: bytes that name their queue and id, and helpers. */
final class Payloads {
  static final Duration WAIT = Duration.ofSeconds(10);

  private Payloads() {}

  static ByteBuf metadata(long queue, long id) {
    return Unpooled.copiedBuffer("meta " + queue + "/" + id, StandardCharsets.UTF_8);
  }

  static ByteBuf body(long queue, long id) {
    return Unpooled.copiedBuffer(
        "body " + queue + "/" + id + " " + "x".repeat((int) (id % 97)), StandardCharsets.UTF_8);
  }

  static String text(ByteBuf buf) {
    return buf.toString(StandardCharsets.UTF_8);
  }

  /** Asserts the message read back is the one written for (queue, id), then releases it. */
  static void assertMessage(long queue, long id, StoredMessage read) {
    assertNotNull(read, "message " + queue + "/" + id + " reads back");
    try {
      assertEquals(id, read.messageId());
      assertEquals("meta " + queue + "/" + id, text(read.metadata()));
      assertEquals(
          "body " + queue + "/" + id + " " + "x".repeat((int) (id % 97)), text(read.body()));
    } finally {
      read.release();
    }
  }

  /** Appends a message of (queue, id) and waits until the log says it is safe. */
  static void append(MessageLog log, long queue, long id) throws Exception {
    await(appendAsync(log, queue, id));
  }

  /** Appends a message of (queue, id); the caller's buffers are released here at once. */
  static CompletableFuture<Void> appendAsync(MessageLog log, long queue, long id) {
    ByteBuf metadata = metadata(queue, id);
    ByteBuf body = body(queue, id);
    try {
      return log.append(id, metadata, body);
    } finally {
      metadata.release();
      body.release();
    }
  }

  static <T> T await(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within " + WAIT, e);
    }
  }
}
