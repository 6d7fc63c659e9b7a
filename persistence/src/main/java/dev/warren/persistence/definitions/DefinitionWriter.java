package dev.warren.persistence.definitions;

import java.util.List;

/**
 * What the metadata writer changes definitions through. On a single node it is the {@link
 * DefinitionStore} itself; in a cluster the broker's writer puts the commands into the replicated
 * metadata log first, and applies them to the store once they are committed (DESIGN.md section 6),
 * so a caller sees the same contract either way: when {@link #applyAll} returns, the commands are
 * applied to this node's store, forced to disk, and (in a cluster) committed on a majority.
 *
 * <p>Threads: the metadata thread only, as the store.
 */
public interface DefinitionWriter {

  /** As {@link #applyAll} with one command. */
  default Applied apply(DefinitionCommand command) {
    return applyAll(List.of(command)).get(0);
  }

  /**
   * Applies the commands in order, all or none, and returns what each did, in the same order.
   *
   * @throws InvalidCommandException if one refers to something missing; nothing is applied
   * @throws DefinitionStoreException if the store failed; in a cluster, another {@link
   *     RuntimeException} of the cluster (mirroring's {@code MetadataUnavailableException}) if the
   *     change could not be committed, and then nothing is applied here
   */
  List<Applied> applyAll(List<? extends DefinitionCommand> commands);

  /** Everything in the store, read in one transaction. */
  Definitions load();
}
