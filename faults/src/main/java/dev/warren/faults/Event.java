package dev.warren.faults;

import java.util.Arrays;

/**
 * One line of an {@link EventLog}, as the checker reads it.
 *
 * @param micros wall clock of the event, microseconds since the epoch
 * @param client the client that wrote it (the log file's name)
 * @param type what happened
 * @param id the message id
 * @param redelivered for {@link Type#DELIVER}: the redelivered flag of basic.deliver / get-ok
 */
record Event(long micros, String client, Type type, String id, boolean redelivered) {

  /** The events a client records, by the word that names them in the log. */
  enum Type {
    /** basic.publish sent, the channel in confirm mode. */
    PUBLISH("publish"),
    /** basic.ack received for it: the broker promises to keep it. */
    CONFIRM("confirm"),
    /** basic.nack received for it: the broker does not promise it. */
    NACK("nack"),
    /** Neither before the connection was lost or the publisher gave up: maybe kept, maybe not. */
    IN_DOUBT("in-doubt"),
    /** basic.deliver or basic.get-ok received for it. */
    DELIVER("deliver"),
    /** basic.ack sent for it; outside a transaction nothing says the broker applied it. */
    ACK("ack"),
    /** basic.reject with requeue sent for it: it must come again, flagged redelivered. */
    REJECT("reject"),
    /** tx.commit-ok received for a transaction holding its ack: it must never come again. */
    COMMIT("commit"),
    /** tx.commit failed or was never answered: its ack may or may not have been applied. */
    COMMIT_FAILED("commit-failed");

    private final String word;

    Type(String word) {
      this.word = word;
    }

    String word() {
      return word;
    }

    static Type ofWord(String word) {
      return Arrays.stream(values())
          .filter(t -> t.word.equals(word))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown event " + word));
    }
  }

  /** Parses one log line written by {@link EventLog}. */
  static Event parse(String client, String line) {
    String[] f = line.trim().split(" ");
    if (f.length < 3) {
      throw new IllegalArgumentException("malformed event line: " + line);
    }
    boolean redelivered = false;
    for (int i = 3; i < f.length; i++) {
      if (f[i].equals("redelivered=true")) {
        redelivered = true;
      }
    }
    return new Event(Long.parseLong(f[0]), client, Type.ofWord(f[1]), f[2], redelivered);
  }
}
