package dev.warren.management.spi;

/**
 * Takes one queue's figures at a time from {@link ManagementBackend#forEachQueue}, so that a reader
 * of every queue needs no list of them. Called on the reading thread.
 */
@FunctionalInterface
public interface QueueSink {

  /**
   * @param type {@code classic} or {@code quorum}, as {@link QueueInfo#type()}
   */
  void queue(String vhost, String name, String type, QueueFigures figures);
}
