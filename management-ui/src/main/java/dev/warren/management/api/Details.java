package dev.warren.management.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.http.ApiRequest;
import dev.warren.management.stats.SampleRing;

/**
 * Writes a figure and its {@code _details}: the rate always; with {@code lengths_age} (depths) or
 * {@code msg_rates_age} (counts) also {@code samples}, {@code avg} and {@code avg_rate} over the
 * readings kept within that many seconds.
 *
 * @param lengthsAgeMillis -1 unless {@code lengths_age} was given
 * @param ratesAgeMillis -1 unless {@code msg_rates_age} was given
 */
record Details(long lengthsAgeMillis, long ratesAgeMillis) {
  static final Details RATES_ONLY = new Details(-1, -1);

  static Details of(ApiRequest req) {
    return new Details(seconds(req, "lengths_age"), seconds(req, "msg_rates_age"));
  }

  private static long seconds(ApiRequest req, String name) {
    try {
      return req.param(name).map(s -> Long.parseLong(s.trim()) * 1000).orElse(-1L);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A depth ({@code messages}, {@code messages_ready}, ...). */
  void length(ObjectNode parent, String field, long value, SampleRing ring, int... indexes) {
    put(parent, field, value, ring, lengthsAgeMillis, indexes);
  }

  /** A count ({@code publish}, {@code deliver_get}, ...). */
  void count(ObjectNode parent, String field, long value, SampleRing ring, int... indexes) {
    put(parent, field, value, ring, ratesAgeMillis, indexes);
  }

  private static void put(
      ObjectNode parent, String field, long value, SampleRing ring, long age, int[] indexes) {
    parent.put(field, value);
    ObjectNode d = parent.putObject(field + "_details");
    d.put("rate", ring == null ? 0.0 : ring.rate(indexes));
    if (age < 0 || ring == null) {
      return;
    }
    long[][] first = ring.history(indexes[0], age);
    long[] sums = new long[first.length];
    for (int idx : indexes) {
      long[][] h = ring.history(idx, age);
      for (int i = 0; i < Math.min(h.length, sums.length); i++) {
        sums[i] += h[i][1];
      }
    }
    ArrayNode samples = d.putArray("samples");
    double total = 0;
    for (int i = 0; i < sums.length; i++) {
      ObjectNode s = samples.addObject();
      s.put("sample", sums[i]);
      s.put("timestamp", first[i][0]);
      total += sums[i];
    }
    d.put("avg", sums.length == 0 ? 0.0 : total / sums.length);
    double avgRate = 0.0;
    if (sums.length > 1) {
      long dt = first[0][0] - first[sums.length - 1][0];
      avgRate = dt <= 0 ? 0.0 : (sums[0] - sums[sums.length - 1]) * 1000.0 / dt;
    }
    d.put("avg_rate", avgRate);
  }
}
