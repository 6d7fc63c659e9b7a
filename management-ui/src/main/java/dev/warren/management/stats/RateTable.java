package dev.warren.management.stats;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The sample rings of one kind of object (queues, exchanges, channels, ...), by key. Objects that
 * were not seen in a sampling round are dropped at its end, so the table never holds more than the
 * objects alive at the last round.
 *
 * <p>Thread: the sampler records and sweeps; API workers read.
 *
 * @param <K> the object's identity (a record of vhost and name, or a name)
 */
public final class RateTable<K> {
  private final int width;
  private final int capacity;
  private final ConcurrentHashMap<K, SampleRing> rings = new ConcurrentHashMap<>();

  public RateTable(int width, int capacity) {
    this.width = width;
    this.capacity = capacity;
  }

  void record(K key, long timeMillis, long[] values, long generation) {
    rings
        .computeIfAbsent(key, k -> new SampleRing(width, capacity))
        .record(timeMillis, values, generation);
  }

  void sweep(long generation) {
    rings.values().removeIf(r -> r.generation() != generation);
  }

  /** The object's ring, or null before its first sample. */
  public SampleRing ring(K key) {
    return rings.get(key);
  }

  /** Adds the latest reading of each object {@code accepted} takes to {@code sum}. */
  void addLatest(Predicate<K> accepted, long[] sum) {
    rings.forEach(
        (key, ring) -> {
          if (accepted.test(key)) {
            ring.addLatest(sum);
          }
        });
  }

  public int size() {
    return rings.size();
  }
}
