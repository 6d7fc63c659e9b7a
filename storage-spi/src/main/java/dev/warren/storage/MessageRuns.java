package dev.warren.storage;

import java.util.Arrays;

/**
 * A queue's live messages in id order, as runs of consecutive ids that share a redelivered flag: a
 * backlog of millions of messages published in a row is a handful of runs, not an object per
 * message. Immutable; made with a {@link Builder}.
 */
public final class MessageRuns {
  /** No message. */
  public static final MessageRuns EMPTY = new Builder().build();

  private final long[] firstIds;
  private final int[] ends; // index of the message after each run
  private final boolean[] redelivered;
  private final boolean allRedelivered;

  private MessageRuns(long[] firstIds, int[] ends, boolean[] redelivered, boolean allRedelivered) {
    this.firstIds = firstIds;
    this.ends = ends;
    this.redelivered = redelivered;
    this.allRedelivered = allRedelivered;
  }

  /** How many messages. */
  public int size() {
    return ends.length == 0 ? 0 : ends[ends.length - 1];
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  /** The id of the message at {@code index} (0 is the oldest). */
  public long id(int index) {
    int run = run(index);
    return firstIds[run] + (index - start(run));
  }

  /** Whether the message at {@code index} was delivered before. */
  public boolean redelivered(int index) {
    return allRedelivered || redelivered[run(index)];
  }

  /** The same messages, every one flagged redelivered (after an unclean stop). */
  public MessageRuns allRedelivered() {
    return new MessageRuns(firstIds, ends, redelivered, true);
  }

  private int run(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException(index);
    }
    int run = Arrays.binarySearch(ends, index);
    return run >= 0 ? run + 1 : -run - 1;
  }

  private int start(int run) {
    return run == 0 ? 0 : ends[run - 1];
  }

  /** Collects messages in increasing id order. Not thread-safe. */
  public static final class Builder {
    private long[] firstIds = new long[4];
    private int[] ends = new int[4];
    private boolean[] redelivered = new boolean[4];
    private int runs;
    private long nextId;

    /** Adds the next message; ids must increase. */
    public Builder add(long messageId, boolean wasDelivered) {
      if (runs > 0 && messageId <= nextId - 1) {
        throw new IllegalArgumentException("message id " + messageId + " does not increase");
      }
      if (runs > 0 && messageId == nextId && redelivered[runs - 1] == wasDelivered) {
        ends[runs - 1]++;
      } else {
        if (runs == firstIds.length) {
          firstIds = Arrays.copyOf(firstIds, runs * 2);
          ends = Arrays.copyOf(ends, runs * 2);
          redelivered = Arrays.copyOf(redelivered, runs * 2);
        }
        firstIds[runs] = messageId;
        ends[runs] = (runs == 0 ? 0 : ends[runs - 1]) + 1;
        redelivered[runs] = wasDelivered;
        runs++;
      }
      nextId = messageId + 1;
      return this;
    }

    public MessageRuns build() {
      return new MessageRuns(
          Arrays.copyOf(firstIds, runs),
          Arrays.copyOf(ends, runs),
          Arrays.copyOf(redelivered, runs),
          false);
    }
  }
}
