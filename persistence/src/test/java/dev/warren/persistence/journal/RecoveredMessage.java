package dev.warren.persistence.journal;

import dev.warren.storage.MessageRuns;
import java.util.ArrayList;
import java.util.List;

/** One live message a recovery found (tests read {@link Recovery#queues()} as these). */
record RecoveredMessage(Location location, boolean redelivered) {

  /** The queue's messages in the recovery report, in id order. */
  static List<RecoveredMessage> of(Recovery recovery, long queueId) {
    MessageRuns runs = recovery.queues().get(queueId);
    if (runs == null) {
      return null;
    }
    List<RecoveredMessage> found = new ArrayList<>(runs.size());
    for (int i = 0; i < runs.size(); i++) {
      found.add(new RecoveredMessage(Location.of(queueId, runs.id(i)), runs.redelivered(i)));
    }
    return found;
  }
}
