package dev.warren.queue;

import dev.warren.storage.StoredMessage;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** Hands messages read back from a store (on one of its threads) to a queue's own thread. */
final class ReadBack {
  private ReadBack() {}

  /**
   * Runs {@code task} in the queue's mailbox; if the queue's thread has ended (the broker stopped
   * while the read ran), nobody will take the messages, so they are released here.
   */
  static void handBack(Executor mailbox, List<StoredMessage> read, Runnable task) {
    try {
      mailbox.execute(task);
    } catch (RejectedExecutionException stopped) {
      if (read != null) {
        for (StoredMessage m : read) {
          if (m != null) {
            m.release();
          }
        }
      }
    }
  }
}
