package dev.warren.management.stats;

/**
 * The last few readings of one object's counters, with their times: a fixed {@code long[]} of
 * {@code capacity * (1 + width)} slots, so an object's history costs a known, small amount of heap
 * (3 readings of 9 counters: 240 bytes of array).
 *
 * <p>Thread: written by the sampler, read by API workers; methods are synchronized (uncontended but
 * for the moment of a sample).
 */
public final class SampleRing {
  private final int width;
  private final int capacity;
  private final long[] slots;
  private int count;
  private int head;
  private long generation;

  public SampleRing(int width, int capacity) {
    this.width = width;
    this.capacity = capacity;
    this.slots = new long[capacity * (1 + width)];
  }

  /** Records a reading of {@code values} (length {@code width}) taken at {@code timeMillis}. */
  public synchronized void record(long timeMillis, long[] values, long gen) {
    int base = head * (1 + width);
    slots[base] = timeMillis;
    System.arraycopy(values, 0, slots, base + 1, width);
    head = (head + 1) % capacity;
    count = Math.min(count + 1, capacity);
    generation = gen;
  }

  /**
   * Adds the latest reading's counters to {@code sum} (length {@code width}); nothing before one.
   */
  synchronized void addLatest(long[] sum) {
    if (count == 0) {
      return;
    }
    int last = slot(0);
    for (int i = 0; i < width; i++) {
      sum[i] += slots[last + 1 + i];
    }
  }

  synchronized long generation() {
    return generation;
  }

  /**
   * Per-second rate of counter {@code index} between the two latest readings, rounded to one
   * decimal as RabbitMQ shows it; 0 with fewer than two readings.
   */
  public synchronized double rate(int index) {
    if (count < 2) {
      return 0.0;
    }
    int last = slot(0);
    int prev = slot(1);
    long dt = slots[last] - slots[prev];
    if (dt <= 0) {
      return 0.0;
    }
    double r = (slots[last + 1 + index] - slots[prev + 1 + index]) * 1000.0 / dt;
    return Math.round(r * 10.0) / 10.0;
  }

  /** The sum of several counters' rates (RabbitMQ's {@code deliver_get}, {@code messages}). */
  public double rate(int... indexes) {
    double sum = 0;
    for (int i : indexes) {
      sum += rate(i);
    }
    return Math.round(sum * 10.0) / 10.0;
  }

  /**
   * Readings of counter {@code index} no older than {@code ageMillis} before the latest, newest
   * first, as {@code [time, value]} pairs.
   */
  public synchronized long[][] history(int index, long ageMillis) {
    if (count == 0) {
      return new long[0][];
    }
    long newest = slots[slot(0)];
    int n = 0;
    long[][] out = new long[count][];
    for (int i = 0; i < count; i++) {
      int s = slot(i);
      if (newest - slots[s] > ageMillis) {
        break;
      }
      out[n++] = new long[] {slots[s], slots[s + 1 + index]};
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /** The slot offset of the reading {@code back} steps before the latest. */
  private int slot(int back) {
    int i = ((head - 1 - back) % capacity + capacity) % capacity;
    return i * (1 + width);
  }
}
