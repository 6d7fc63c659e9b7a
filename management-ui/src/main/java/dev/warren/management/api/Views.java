package dev.warren.management.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.http.ApiRequest;
import dev.warren.management.stats.Sampler;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * What every renderer needs for one request: the node's name, the sampler's rates, the {@code
 * _details} ages asked for and whether statistics were turned off ({@code disable_stats=true}).
 */
record Views(String node, Sampler sampler, Details details, boolean disableStats) {

  private static final DateTimeFormatter IDLE_SINCE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'+00:00'").withZone(ZoneOffset.UTC);

  static Views of(ApiRequest req, String node, Sampler sampler) {
    return new Views(node, sampler, Details.of(req), req.flag("disable_stats"));
  }

  /** RabbitMQ's {@code idle_since} form: {@code 2026-12-07T06:09:06.404+00:00}. */
  static String idleSince(long epochMillis) {
    return IDLE_SINCE.format(Instant.ofEpochMilli(epochMillis));
  }

  static void putNullable(ObjectNode o, String field, String value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }
}
