package dev.warren.persistence.definitions;

/**
 * The definitions store failed for a local reason: the database cannot be opened (already open by
 * another process, written by a newer schema) or a read or write failed. A command that fails this
 * way is not applied; the broker should treat the store as broken rather than retry blindly.
 */
public final class DefinitionStoreException extends RuntimeException {

  public DefinitionStoreException(String message) {
    super(message);
  }

  public DefinitionStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
