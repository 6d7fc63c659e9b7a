package dev.warren.mirroring;

/**
 * A change of definitions could not be committed by the metadata group: no majority of the nodes is
 * reachable, or none answered in time. Nothing of it was applied on this node; it may still be
 * committed later, if the entry reached a leader's log and a majority comes back (Raft cannot take
 * back what it may already have replicated).
 */
public final class MetadataUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MetadataUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
