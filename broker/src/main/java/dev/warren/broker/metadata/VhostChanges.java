package dev.warren.broker.metadata;

import dev.warren.broker.access.AccessControl;
import dev.warren.broker.policy.Policies;
import dev.warren.broker.vhost.VhostMetadata;
import dev.warren.broker.vhost.VirtualHost;
import dev.warren.broker.vhost.VirtualHosts;
import dev.warren.persistence.definitions.DefinitionCommand;
import dev.warren.persistence.definitions.DeleteVhost;
import dev.warren.persistence.definitions.PutVhost;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Virtual hosts created, described and deleted, each a task of the metadata writer: stored first
 * (one H2 transaction, forced to disk), then applied to {@link VirtualHosts}. Since the same writer
 * runs every change of definitions ({@link DefinitionChanges}), a change of a virtual host's
 * exchanges or queues never overlaps its deletion. Futures complete on the metadata thread.
 */
public final class VhostChanges {
  private final MetadataProxy metadata;
  private final VirtualHosts vhosts;
  private final AccessControl access;
  private final Policies policies;

  public VhostChanges(
      MetadataProxy metadata, VirtualHosts vhosts, AccessControl access, Policies policies) {
    this.metadata = metadata;
    this.vhosts = vhosts;
    this.access = access;
    this.policies = policies;
  }

  /**
   * Creates the virtual host with the standard exchanges (stored, as at first start), or replaces
   * the metadata of an existing one; completes with true when it created it.
   */
  public CompletableFuture<Boolean> putVhost(PutVhost vhost) {
    return metadata.call(
        store -> {
          boolean created = vhosts.lookup(vhost.name()).isEmpty();
          List<DefinitionCommand> commands = new ArrayList<>();
          commands.add(vhost);
          if (created) {
            VirtualHost.STANDARD_EXCHANGES.forEach(
                (name, type) -> {
                  if (!name.isEmpty()) {
                    commands.add(DefinitionsRecovery.standardExchange(vhost.name(), name, type));
                  }
                });
          }
          store.applyAll(commands);
          vhosts.create(vhost.name()).describe(metadata(vhost));
          return created;
        });
  }

  /**
   * Deletes the virtual host: stored (the store drops everything in it), then marked deleted, gone
   * from {@link VirtualHosts} (no connection can open it any more), from every user's permissions
   * and from {@link Policies} (its policies, operator policies and limits, which the store dropped
   * with it). Completes with the virtual host removed, or empty when there was none. Closing its
   * connections and deleting its queues' messages is the caller's part.
   */
  public CompletableFuture<Optional<VirtualHost>> deleteVhost(String name) {
    return metadata.call(
        store -> {
          VirtualHost vhost = vhosts.lookup(name).orElse(null);
          if (vhost == null) {
            return Optional.empty();
          }
          store.apply(new DeleteVhost(name));
          vhost.markDeleted();
          vhosts.remove(vhost);
          access.vhostDeleted(name);
          policies.vhostDeleted(name);
          return Optional.of(vhost);
        });
  }

  /** A stored virtual host's metadata, as memory keeps it. */
  static VhostMetadata metadata(PutVhost stored) {
    return new VhostMetadata(stored.description(), stored.tags(), stored.defaultQueueType());
  }
}
