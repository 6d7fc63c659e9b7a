package dev.warren.queue;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * basic.gets waiting for the queue's head to be read back from its store, answered in the order
 * they came once it is. Owner: the queue's thread.
 */
final class PendingGets {
  /** One waiting basic.get. */
  record Get(boolean noAck, CompletableFuture<Delivery> done) {}

  private final ArrayDeque<Get> waiting = new ArrayDeque<>();

  boolean isEmpty() {
    return waiting.isEmpty();
  }

  void add(boolean noAck, CompletableFuture<Delivery> done) {
    waiting.addLast(new Get(noAck, done));
  }

  /** The oldest waiting get, taken out, or null. */
  Get poll() {
    return waiting.pollFirst();
  }

  /** Puts back a get taken by {@link #poll} that must wait longer: it stays the oldest. */
  void putBack(Get get) {
    waiting.addFirst(get);
  }

  /** The queue is gone or stopped: every waiting get is answered "empty". */
  void answerEmpty() {
    Get get;
    while ((get = waiting.pollFirst()) != null) {
      get.done().complete(null);
    }
  }

  /** The queue cannot serve: every waiting get fails with {@code cause}. */
  void fail(Throwable cause) {
    Get get;
    while ((get = waiting.pollFirst()) != null) {
      get.done().completeExceptionally(cause);
    }
  }
}
