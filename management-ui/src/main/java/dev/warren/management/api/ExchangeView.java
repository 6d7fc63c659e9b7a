package dev.warren.management.api;

import static dev.warren.management.stats.Sampler.X_PUBLISH_IN;
import static dev.warren.management.stats.Sampler.X_PUBLISH_OUT;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.spi.ExchangeInfo;
import dev.warren.management.stats.SampleRing;
import dev.warren.management.stats.VhostName;
import java.util.Map;
import java.util.function.Function;

/** An exchange as {@code /api/exchanges} shows it. */
final class ExchangeView {
  private ExchangeView() {}

  static Map<String, Function<ExchangeInfo, Object>> sortKeys() {
    return Map.of(
        "name", ExchangeInfo::name,
        "vhost", ExchangeInfo::vhost,
        "type", ExchangeInfo::type,
        "durable", ExchangeInfo::durable,
        "auto_delete", ExchangeInfo::autoDelete,
        "internal", ExchangeInfo::internal);
  }

  static ObjectNode render(ExchangeInfo x, Views v) {
    ObjectNode o = Json.object();
    o.set("arguments", Json.tree(x.arguments()));
    o.put("auto_delete", x.autoDelete());
    o.put("durable", x.durable());
    o.put("internal", x.internal());
    if (!v.disableStats() && (x.publishIn() > 0 || x.publishOut() > 0)) {
      SampleRing r = v.sampler().exchanges.ring(new VhostName(x.vhost(), x.name()));
      ObjectNode ms = o.putObject("message_stats");
      v.details().count(ms, "publish_in", x.publishIn(), r, X_PUBLISH_IN);
      v.details().count(ms, "publish_out", x.publishOut(), r, X_PUBLISH_OUT);
    }
    o.put("name", x.name());
    if (x.policy() != null) {
      o.put("policy", x.policy());
    }
    o.put("type", x.type());
    o.put("vhost", x.vhost());
    return o;
  }
}
