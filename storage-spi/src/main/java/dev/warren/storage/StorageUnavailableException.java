package dev.warren.storage;

/**
 * A store could not take a request: it is closed, this node does not lead it, or its disk failed.
 * Futures of {@link MessageLog} and {@link SpillStore} fail with it (or with the I/O error itself).
 */
public class StorageUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageUnavailableException(String message) {
    super(message);
  }

  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
