package dev.warren.persistence.journal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One append-only file of a {@link FileLayer}.
 *
 * <p>Threads: {@link #append}, {@link #force}, {@link #truncate} are called by one thread at a time
 * (the journal writer, or the opening thread during recovery); {@link #read} may be called
 * concurrently by any thread, including while the file is appended to.
 */
public interface SegmentFile extends Closeable {

  String name();

  /**
   * Appends every remaining byte of {@code buffers}, in order, at the end of the file (a gathering
   * write). Positions of the buffers advance; the buffers stay owned by the caller.
   */
  void append(ByteBuffer[] buffers) throws IOException;

  /** Makes every byte appended so far durable ({@code FileChannel.force(false)}). */
  void force() throws IOException;

  /**
   * Reads up to {@code dst.remaining()} bytes at {@code position}; returns the count read, or -1 at
   * the end of the file.
   */
  int read(ByteBuffer dst, long position) throws IOException;

  long size() throws IOException;

  /** Cuts the file to {@code size} bytes (used by recovery to drop a torn tail). */
  void truncate(long size) throws IOException;
}
