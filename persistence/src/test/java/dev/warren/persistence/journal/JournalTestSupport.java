package dev.warren.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warren.storage.StoredMessage;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/**
 * Helpers for journal tests over a {@link FileLayer} that subclasses choose. Segments are small (4
 * KiB) so that rolls, deletions and compactions happen within a few hundred messages. Every journal
 * is closed and every buffer checked for release after each test.
 */
abstract class JournalTestSupport {

  static final long SEGMENT = 4096;

  final Buffers buffers = new Buffers();
  private final List<Journal> open = new ArrayList<>();

  /** A file layer over this test's storage; every call sees the same files. */
  abstract FileLayer files() throws IOException;

  JournalConfig config() {
    return JournalConfig.defaults(Path.of("unused")).withSegmentSize(SEGMENT);
  }

  Journal open(JournalConfig config) throws IOException {
    return open(config, files());
  }

  Journal open(JournalConfig config, FileLayer files) throws IOException {
    Journal journal = Journal.open(config, files, Buffers.ALLOCATOR);
    open.add(journal);
    return journal;
  }

  Journal reopen(Journal journal) throws IOException {
    journal.close();
    return open(config());
  }

  @AfterEach
  void closeAndCheckBuffers() {
    for (Journal j : open) {
      j.close();
    }
    buffers.assertAllReleased();
  }

  /** Stores a message whose properties and body name it, and releases the caller's buffers. */
  Location store(Journal journal, long queue, long message) throws Exception {
    await(enqueue(journal, queue, message));
    return journal.locate(queue, message);
  }

  CompletableFuture<Void> enqueue(Journal journal, long queue, long message) {
    ByteBuf props = buffers.of("p" + queue + "/" + message);
    ByteBuf body = buffers.of("body of " + queue + "/" + message + " " + "x".repeat(60));
    return journal
        .enqueue(queue, message, props, body)
        .whenComplete(
            (l, e) -> {
              props.release();
              body.release();
            });
  }

  static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(30, TimeUnit.SECONDS);
  }

  /**
   * Waits until the writer has handled everything submitted so far, including the segment deletions
   * and compactions that follow: each sync is handled in a pass of its own, after the previous pass
   * gave space back, and one pass compacts at most one segment.
   */
  static void settle(Journal journal) throws Exception {
    for (int i = 0; i < 64; i++) {
      await(journal.sync());
    }
  }

  void assertReadable(Journal journal, Location location) throws IOException {
    StoredMessage m = journal.read(location);
    try {
      long q = location.queueId();
      long id = location.messageId();
      assertEquals("p" + q + "/" + id, Buffers.text(m.metadata()));
      assertEquals("body of " + q + "/" + id + " " + "x".repeat(60), Buffers.text(m.body()));
    } finally {
      m.release();
    }
  }

  static List<Long> ids(Recovery recovery, long queue) {
    List<Long> ids = new ArrayList<>();
    List<RecoveredMessage> found = RecoveredMessage.of(recovery, queue);
    for (RecoveredMessage m : found == null ? List.<RecoveredMessage>of() : found) {
      ids.add(m.location().messageId());
    }
    return ids;
  }

  long segmentFiles() throws IOException {
    return files().list().stream().filter(n -> n.endsWith(SegmentFormat.SEGMENT_SUFFIX)).count();
  }
}
