package dev.warren.persistence.definitions;

import java.util.Objects;

/**
 * A stored queue: how it was declared and the id the store gave it. The journal names the queue by
 * this id; it never changes while the queue exists and is never given to another queue.
 */
public record DurableQueue(long queueId, PutQueue declaration) {

  public DurableQueue {
    Objects.requireNonNull(declaration, "declaration");
  }
}
