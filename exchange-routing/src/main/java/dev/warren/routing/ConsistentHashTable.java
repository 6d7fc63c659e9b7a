package dev.warren.routing;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Consistent-hash exchange: a ring of 64-bit points, each owned by a destination. A destination
 * whose bindings weigh {@code w} in total owns the points {@code point(d, 0)} to {@code point(d, w
 * * POINTS_PER_WEIGHT - 1)}, derived from its kind and name alone, so the ring depends only on the
 * set of (destination, weight), not on the order of binds, and is the same after a restart. A
 * message hashes to a position and goes to the owner of the first point at or after it (wrapping
 * around): one binary search, no allocation, exactly one destination while any binding exists.
 *
 * <p>Adding weight adds points and removing it removes the same points, so only the messages whose
 * positions fall into the changed arcs move: about {@code w / total} of them, all to (or from) the
 * destination whose weight changed. Many points per unit of weight keep each destination's share
 * close to its weight's share (standard deviation about {@code sqrt(p(1-p)/points)}).
 *
 * <p>Threads: the ring (two parallel sorted arrays) is replaced whole with one volatile write; the
 * weights map is touched only by writers, under the owning exchange's lock.
 */
final class ConsistentHashTable implements BindingTable {

  /** Ring points per unit of binding weight. */
  static final int POINTS_PER_WEIGHT = 1024;

  /** The largest binding weight accepted; a weight costs {@link #POINTS_PER_WEIGHT} points. */
  static final int MAX_WEIGHT = 1000;

  private record Ring(long[] points, Destination[] owners) {}

  private static final Ring EMPTY = new Ring(new long[0], new Destination[0]);

  private final HashSource source;
  private final Map<Destination, Integer> weights = new HashMap<>();
  private volatile Ring ring = EMPTY;

  ConsistentHashTable(HashSource source) {
    this.source = source;
  }

  /**
   * Why a binding key is not a weight, in RabbitMQ's words where it has them (it accepts what
   * Erlang's {@code list_to_integer} does: an optional sign and ASCII digits); empty if it is one.
   */
  static Optional<String> invalidWeight(String key) {
    int start = !key.isEmpty() && (key.charAt(0) == '+' || key.charAt(0) == '-') ? 1 : 0;
    if (start == key.length()) {
      return Optional.of(notAnInteger(key));
    }
    for (int i = start; i < key.length(); i++) {
      if (key.charAt(i) < '0' || key.charAt(i) > '9') {
        return Optional.of(notAnInteger(key));
      }
    }
    String digits = key.substring(start).replaceFirst("^0+", "");
    if (digits.isEmpty() || key.charAt(0) == '-') {
      return Optional.of("The binding key must be greater than 0");
    }
    if (digits.length() > 9 || Integer.parseInt(digits) > MAX_WEIGHT) {
      return Optional.of("The binding key must be at most " + MAX_WEIGHT + ": " + key);
    }
    return Optional.empty();
  }

  private static String notAnInteger(String key) {
    return "The binding key must be an integer: <<\"" + key + "\">>";
  }

  /** The weight of a key that {@link #invalidWeight} accepts. */
  private static int weight(String key) {
    return Integer.parseInt(key.charAt(0) == '+' ? key.substring(1) : key);
  }

  @Override
  public void add(Binding b) {
    Destination d = b.destination();
    int from = weights.getOrDefault(d, 0) * POINTS_PER_WEIGHT;
    int added = weight(b.routingKey()) * POINTS_PER_WEIGHT;
    weights.merge(d, weight(b.routingKey()), Integer::sum);
    long[] fresh = points(d, from, added);
    Ring old = ring;
    int n = old.points.length;
    long[] points = new long[n + added];
    Destination[] owners = new Destination[n + added];
    int i = 0;
    int j = 0;
    for (int k = 0; k < points.length; k++) {
      if (j == added || (i < n && before(old.points[i], old.owners[i], fresh[j], d))) {
        points[k] = old.points[i];
        owners[k] = old.owners[i++];
      } else {
        points[k] = fresh[j++];
        owners[k] = d;
      }
    }
    ring = new Ring(points, owners);
  }

  @Override
  public void remove(Binding b) {
    Destination d = b.destination();
    int total = weights.get(d);
    int left = total - weight(b.routingKey());
    if (left == 0) {
      weights.remove(d);
    } else {
      weights.put(d, left);
    }
    long[] gone = points(d, left * POINTS_PER_WEIGHT, (total - left) * POINTS_PER_WEIGHT);
    Ring old = ring;
    int n = old.points.length - gone.length;
    long[] points = new long[n];
    Destination[] owners = new Destination[n];
    int k = 0;
    int g = 0;
    for (int i = 0; i < old.points.length; i++) {
      while (g < gone.length && gone[g] < old.points[i]) {
        g++;
      }
      if (g < gone.length && gone[g] == old.points[i] && old.owners[i].equals(d)) {
        g++;
        continue;
      }
      points[k] = old.points[i];
      owners[k++] = old.owners[i];
    }
    ring = new Ring(points, owners);
  }

  @Override
  public void route(
      String routingKey,
      Map<String, Object> headers,
      HashProperties properties,
      Consumer<Destination> out) {
    Ring r = ring;
    if (r.points.length == 0) {
      return;
    }
    int i = Arrays.binarySearch(r.points, source.hash(routingKey, headers, properties));
    if (i < 0) {
      i = -i - 1;
    }
    out.accept(r.owners[i == r.points.length ? 0 : i]);
  }

  /** Points {@code from} to {@code from + count - 1} of {@code d}, sorted. */
  private static long[] points(Destination d, int from, int count) {
    long member = RingHash.of(d.name(), d.kind() == Destination.Kind.QUEUE ? 1 : 2);
    long[] points = new long[count];
    for (int i = 0; i < count; i++) {
      points[i] = RingHash.point(member, from + i);
    }
    Arrays.sort(points);
    return points;
  }

  /** Ring order: by point, then (for the unlikely equal points) by destination, for determinism. */
  private static boolean before(long p, Destination a, long q, Destination b) {
    if (p != q) {
      return p < q;
    }
    int byKind = a.kind().compareTo(b.kind());
    return byKind != 0 ? byKind < 0 : a.name().compareTo(b.name()) <= 0;
  }
}
