package dev.warren.persistence.definitions;

/**
 * What applying one command did. {@code changed} is false when the command found the definitions
 * already as it wanted them (a repeated put, a delete of something missing). {@code queueId} is the
 * id of the queue for a {@link PutQueue} (new or kept), and 0 for every other command; queue ids
 * start at 1 and are never reused.
 */
public record Applied(boolean changed, long queueId) {

  static final Applied CHANGED = new Applied(true, 0);
  static final Applied UNCHANGED = new Applied(false, 0);

  static Applied of(boolean changed) {
    return changed ? CHANGED : UNCHANGED;
  }
}
