package dev.warren.persistence.journal;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of a journal, fixed at open.
 *
 * @param directory where the segment files are ({@value #DIRECTORY})
 * @param segmentSize a segment is sealed when the next record would not fit ({@value
 *     #SEGMENT_SIZE}, default 64 MiB); a larger record takes a segment of its own
 * @param sync when to force ({@value #SYNC}, default ALWAYS); see {@link SyncMode}
 * @param syncInterval the force period of INTERVAL, and the idle time after which ALWAYS forces
 *     unforced acks ({@value #SYNC_INTERVAL}, default 200 ms)
 * @param verifyOnRecovery read and check the crc of every record of sealed segments at open
 *     ({@value #VERIFY_ON_RECOVERY}, default false: their summaries are trusted and the crc is
 *     checked on each read)
 */
public record JournalConfig(
    Path directory,
    long segmentSize,
    SyncMode sync,
    Duration syncInterval,
    boolean verifyOnRecovery) {

  public static final String DIRECTORY = "journal.directory";
  public static final String SEGMENT_SIZE = "journal.segment-size";
  public static final String SYNC = "journal.sync";
  public static final String SYNC_INTERVAL = "journal.sync-interval";
  public static final String VERIFY_ON_RECOVERY = "journal.verify-on-recovery";

  public static final long DEFAULT_SEGMENT_SIZE = 64L << 20;
  public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMillis(200);

  /** The smallest segment size: room for a header and a few records. */
  public static final long MIN_SEGMENT_SIZE = 256;

  public JournalConfig {
    if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("segment size out of range: " + segmentSize);
    }
    if (syncInterval.isNegative() || syncInterval.isZero()) {
      throw new IllegalArgumentException("sync interval must be positive: " + syncInterval);
    }
    if (sync == null) {
      throw new IllegalArgumentException("sync mode missing");
    }
  }

  public static JournalConfig defaults(Path directory) {
    return new JournalConfig(
        directory, DEFAULT_SEGMENT_SIZE, SyncMode.ALWAYS, DEFAULT_SYNC_INTERVAL, false);
  }

  public JournalConfig withSegmentSize(long bytes) {
    return new JournalConfig(directory, bytes, sync, syncInterval, verifyOnRecovery);
  }

  public JournalConfig withSync(SyncMode mode, Duration interval) {
    return new JournalConfig(directory, segmentSize, mode, interval, verifyOnRecovery);
  }

  public JournalConfig withVerifyOnRecovery(boolean verify) {
    return new JournalConfig(directory, segmentSize, sync, syncInterval, verify);
  }
}
