package dev.warren.queue;

import java.util.concurrent.CompletableFuture;

/** What the queue's commands do with their futures. */
final class Futures {
  private Futures() {}

  /** Completes {@code to} as {@code from} completes: with its value, or failed with its failure. */
  static <T> void relay(CompletableFuture<T> from, CompletableFuture<T> to) {
    from.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            to.complete(value);
          } else {
            to.completeExceptionally(failure);
          }
        });
  }
}
