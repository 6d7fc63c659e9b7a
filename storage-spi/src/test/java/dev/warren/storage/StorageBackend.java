package dev.warren.storage;

/**
 * An implementation of the storage SPI under test, as the contract suites drive it: the logs and
 * spill stores of one node, which can be restarted cleanly or crash.
 */
public interface StorageBackend {

  /** The log of queue {@code queueId} (a positive id), subscribed by nobody yet. */
  MessageLog log(long queueId);

  /** A spill store under {@code spillId}, which no log and no other spill store uses. */
  SpillStore spill(long spillId);

  /**
   * Stops cleanly (everything handed over is kept) and starts again on the same data; logs and
   * stores handed out before are dead, new ones are asked for with {@link #log} and {@link #spill}.
   */
  void restart() throws Exception;

  /**
   * The node dies at once (kill -9, or a power loss where the backend can model it) and starts
   * again on what its disk kept: only what a completed append promised must survive.
   */
  void crash() throws Exception;

  /** Stops for good; afterwards every request to a log or store handed out fails. Idempotent. */
  void close() throws Exception;
}
