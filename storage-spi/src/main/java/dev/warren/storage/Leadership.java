package dev.warren.storage;

/**
 * What a {@link MessageLog} tells the queue that writes to it. A replicated log's leader moves
 * between nodes; the queue serves clients only while its node leads the log. Calls come on a thread
 * of the log's: the queue hands off to its own.
 */
public interface Leadership {

  /**
   * This node leads the log: the queue may rebuild itself from {@link MessageLog#recover()} and
   * serve.
   */
  void becameLeader();

  /**
   * This node no longer leads the log and no other leader is known yet (an election is under way):
   * the queue stops serving and drops what it holds in memory; the log keeps the messages, and the
   * new leader delivers them. Its clients' commands wait for a leader, at most {@link
   * MessageLog#leaderWaitMillis()}.
   */
  void steppedDown();

  /**
   * Node {@code leader} leads the log and this node does not: as {@link #steppedDown()}, and the
   * queue forwards its clients' commands to the queue there ({@link MessageLog#remote}), or, when
   * the log cannot forward, refuses them at once, naming that node, since waiting would not help.
   * Told to a queue whose node never led the log, too (a follower at start, every change of
   * leader).
   */
  default void follows(String leader) {
    steppedDown();
  }

  /**
   * The log is gone for this node for good (its disk failed, the node left the log's group): the
   * queue refuses everything from now on.
   */
  void lost(Throwable cause);
}
