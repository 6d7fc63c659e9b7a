package dev.warren.broker.management;

import dev.warren.broker.metadata.VhostChanges;
import dev.warren.broker.vhost.VhostMetadata;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.broker.vhost.VirtualHosts;
import dev.warren.management.spi.ManagementException;
import dev.warren.management.spi.MessageCounters;
import dev.warren.management.spi.VhostInfo;
import dev.warren.management.spi.VhostSpec;
import dev.warren.persistence.definitions.PutVhost;
import dev.warren.queue.MessageQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Virtual hosts for the management API: listed from {@link VirtualHosts}, created, described and
 * deleted through {@link VhostChanges}. Management worker threads.
 */
final class VhostAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(VhostAdmin.class);

  /** The queue types a virtual host may default to; RabbitMQ's word for none is "undefined". */
  private static final Set<String> QUEUE_TYPES = Set.of("classic", "quorum");

  private static final String UNDEFINED = "undefined";

  private final VirtualHosts vhosts;
  private final VhostChanges changes;
  private final Function<String, MessageCounters> counters;
  private final Function<String, Map<String, Long>> limits;

  /**
   * @param counters the message counts of a vhost's channels, closed ones included
   * @param limits a vhost's limits by name ({@code max-connections}, {@code max-queues})
   */
  VhostAdmin(
      VirtualHosts vhosts,
      VhostChanges changes,
      Function<String, MessageCounters> counters,
      Function<String, Map<String, Long>> limits) {
    this.vhosts = vhosts;
    this.changes = changes;
    this.counters = counters;
    this.limits = limits;
  }

  VirtualHost vhost(String name) {
    return vhosts.lookup(name).orElseThrow(() -> ManagementException.notFound("vhost_not_found"));
  }

  Collection<String> names() {
    List<String> all = new ArrayList<>();
    for (VirtualHost v : vhosts.all()) {
      all.add(v.name());
    }
    return all;
  }

  Collection<VhostInfo> vhosts() {
    List<VhostInfo> all = new ArrayList<>();
    for (VirtualHost v : vhosts.all()) {
      VhostMetadata m = v.metadata();
      all.add(
          new VhostInfo(
              v.name(),
              m.description(),
              m.tags(),
              m.defaultQueueType().isEmpty() ? UNDEFINED : m.defaultQueueType(),
              v.tracing(),
              limits.apply(v.name()),
              counters.apply(v.name())));
    }
    return all;
  }

  /**
   * Creates (with the standard exchanges) or describes a virtual host, and turns its firehose on or
   * off; true when it created it.
   */
  boolean putVhost(VhostSpec spec) {
    boolean created = Outcomes.await(changes.putVhost(command(spec)));
    vhost(spec.name()).trace(spec.tracing());
    return created;
  }

  /**
   * The store's command for a vhost spec, checked: tags without commas, a default queue type that
   * exists here (400 otherwise). Tracing is not stored.
   */
  static PutVhost command(VhostSpec spec) {
    String queueType = spec.defaultQueueType().equals(UNDEFINED) ? "" : spec.defaultQueueType();
    if (!queueType.isEmpty() && !QUEUE_TYPES.contains(queueType)) {
      throw ManagementException.badRequest("unsupported queue type '" + queueType + "'");
    }
    try {
      return new PutVhost(spec.name(), spec.description(), spec.tags(), queueType);
    } catch (IllegalArgumentException e) {
      throw ManagementException.badRequest(e.getMessage());
    }
  }

  /**
   * Deletes a virtual host as RabbitMQ does: gone from the store with everything in it and from
   * memory (no connection can open it, nobody has permissions there), then its connections are
   * closed with 320 CONNECTION_FORCED ({@code "vhost 'x' is deleted"}) and its queues deleted with
   * their messages.
   */
  void deleteVhost(String name) {
    VirtualHost gone =
        Outcomes.await(changes.deleteVhost(name))
            .orElseThrow(() -> ManagementException.notFound("vhost_not_found"));
    for (VirtualHost.Client client : gone.clients()) {
      client.closeForced("vhost '" + name + "' is deleted");
    }
    List<CompletableFuture<Integer>> deleted = new ArrayList<>();
    for (MessageQueue queue : gone.queues()) {
      deleted.add(
          queue
              .delete(false, false)
              .exceptionally(
                  failure -> {
                    LOG.warn(
                        "queue '{}' of deleted vhost '{}' could not drop its messages",
                        queue.name(),
                        name,
                        failure);
                    return 0;
                  }));
    }
    Outcomes.await(CompletableFuture.allOf(deleted.toArray(CompletableFuture[]::new)));
    LOG.info("vhost '{}' deleted with its {} queues", name, deleted.size());
  }
}
