package dev.warren.persistence.journal;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * The live messages of one queue found by recovery, in message-id order, as runs of consecutive ids
 * with one delivered flag each: a backlog of millions of messages published in a row is a handful
 * of runs, not an object per message. The {@link RecoveredMessage}s are made as they are read.
 * Immutable.
 */
final class RecoveredRuns extends AbstractList<RecoveredMessage> implements RandomAccess {

  private final long queueId;
  private final long[] firstIds;
  private final int[] ends; // index of the message after each run
  private final boolean[] delivered;
  private final boolean allRedelivered;

  private RecoveredRuns(
      long queueId, long[] firstIds, int[] ends, boolean[] delivered, boolean allRedelivered) {
    this.queueId = queueId;
    this.firstIds = firstIds;
    this.ends = ends;
    this.delivered = delivered;
    this.allRedelivered = allRedelivered;
  }

  /** The same messages, every one flagged redelivered (after a crash). */
  RecoveredRuns allRedelivered() {
    return new RecoveredRuns(queueId, firstIds, ends, delivered, true);
  }

  @Override
  public RecoveredMessage get(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException(index);
    }
    int run = Arrays.binarySearch(ends, index);
    run = run >= 0 ? run + 1 : -run - 1;
    int start = run == 0 ? 0 : ends[run - 1];
    long id = firstIds[run] + (index - start);
    return new RecoveredMessage(Location.of(queueId, id), allRedelivered || delivered[run]);
  }

  @Override
  public int size() {
    return ends.length == 0 ? 0 : ends[ends.length - 1];
  }

  /** Collects messages in increasing id order. */
  static final class Builder {
    private final long queueId;
    private long[] firstIds = new long[4];
    private int[] ends = new int[4];
    private boolean[] delivered = new boolean[4];
    private int runs;
    private long nextId;

    Builder(long queueId) {
      this.queueId = queueId;
    }

    void add(long messageId, boolean wasDelivered) {
      if (runs > 0 && messageId == nextId && delivered[runs - 1] == wasDelivered) {
        ends[runs - 1]++;
      } else {
        if (runs == firstIds.length) {
          firstIds = Arrays.copyOf(firstIds, runs * 2);
          ends = Arrays.copyOf(ends, runs * 2);
          delivered = Arrays.copyOf(delivered, runs * 2);
        }
        firstIds[runs] = messageId;
        ends[runs] = (runs == 0 ? 0 : ends[runs - 1]) + 1;
        delivered[runs] = wasDelivered;
        runs++;
      }
      nextId = messageId + 1;
    }

    RecoveredRuns build() {
      return new RecoveredRuns(
          queueId,
          Arrays.copyOf(firstIds, runs),
          Arrays.copyOf(ends, runs),
          Arrays.copyOf(delivered, runs),
          false);
    }
  }
}
