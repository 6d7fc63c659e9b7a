package dev.warren.faults;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One client's record of what it saw, one event a line, flushed as written (a client killed between
 * two events loses neither), appended to {@code DIR/CLIENT.events}.
 *
 * <pre>
 * 1718000000123456 publish p1-000042 node=n1
 * 1718000000130001 confirm p1-000042
 * 1718000000201337 deliver p1-000042 node=n3 redelivered=false
 * 1718000000201400 ack p1-000042
 * 1718000000209999 commit p1-000042
 * </pre>
 *
 * The first field is the wall clock in microseconds (every client runs on the same machine, so the
 * checker may order events of different clients by it); then the {@link Event.Type}, the message
 * id, and key=value details. Thread-safe: a publisher's confirm listener and its sending thread
 * write to the same log.
 */
final class EventLog implements AutoCloseable {
  private final BufferedWriter out;

  EventLog(Path dir, String client) {
    try {
      Files.createDirectories(dir);
      out =
          Files.newBufferedWriter(
              dir.resolve(client + ".events"),
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  void write(Event.Type type, String id, String details) {
    write(nowMicros(), type, id, details);
  }

  synchronized void write(long micros, Event.Type type, String id, String details) {
    try {
      out.write(micros + " " + type.word() + " " + id + (details.isEmpty() ? "" : " " + details));
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
