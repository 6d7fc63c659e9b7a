package dev.warren.persistence.journal;

import java.io.IOException;
import java.util.List;

/**
 * The files of one journal directory: the only place the journal touches storage, so that the same
 * journal runs over real files ({@link NioFileLayer}) and over a fault-injecting memory disk
 * ({@link FaultyFileLayer}).
 *
 * <p>Contract: {@link #create} and {@link #delete} are durable when they return (a real
 * implementation syncs the directory); file contents are durable only up to the last {@link
 * SegmentFile#force()}. Implementations are thread-safe.
 */
public interface FileLayer {

  /** Names of the files in the directory, in no particular order. */
  List<String> list() throws IOException;

  /** Creates an empty file; fails if it exists. The new directory entry is durable. */
  SegmentFile create(String name) throws IOException;

  /** Opens an existing file for reading and appending. */
  SegmentFile open(String name) throws IOException;

  /**
   * Deletes a file (closed or not); the deletion is durable. Deleting a missing file is a no-op.
   */
  void delete(String name) throws IOException;
}
