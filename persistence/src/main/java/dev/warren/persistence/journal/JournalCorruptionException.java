package dev.warren.persistence.journal;

import java.io.IOException;

/**
 * A record that cannot be trusted was found where a valid one must be (inside a sealed segment, or
 * at a location a queue holds). Names the file and the offset of the record.
 */
public final class JournalCorruptionException extends IOException {

  private final String file;
  private final long offset;

  public JournalCorruptionException(String file, long offset, String what) {
    super(what + " in " + file + " at offset " + offset);
    this.file = file;
    this.offset = offset;
  }

  public String file() {
    return file;
  }

  public long offset() {
    return offset;
  }
}
