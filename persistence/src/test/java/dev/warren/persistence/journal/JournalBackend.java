package dev.warren.persistence.journal;

import dev.warren.storage.MessageLog;
import dev.warren.storage.SpillStore;
import dev.warren.storage.StorageBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The node journal as the storage contract suites drive it, over real files or over the
 * fault-injecting {@link FaultyFileLayer}. A crash over real files is a kill -9: the files keep
 * what was written (a copy taken once the writer is idle, without the clean-shutdown marker); over
 * the faulty layer it is a power loss: only what was forced survives.
 */
final class JournalBackend implements StorageBackend {
  private final Path directory;
  private FaultyFileLayer faulty;
  private Journal journal;
  private int copies;

  private JournalBackend(Path directory, FaultyFileLayer faulty) throws IOException {
    this.directory = directory;
    this.faulty = faulty;
    this.journal = open();
  }

  static JournalBackend onFiles(Path directory) throws IOException {
    return new JournalBackend(directory, null);
  }

  static JournalBackend onFaultyLayer() throws IOException {
    return new JournalBackend(null, new FaultyFileLayer());
  }

  private Journal open() throws IOException {
    JournalConfig config =
        JournalConfig.defaults(directory == null ? Path.of("faulty") : current());
    return faulty == null
        ? Journal.open(config, Buffers.ALLOCATOR)
        : Journal.open(config, faulty, Buffers.ALLOCATOR);
  }

  private Path current() {
    return directory.resolve("journal-" + copies);
  }

  @Override
  public MessageLog log(long queueId) {
    return journal.log(queueId);
  }

  @Override
  public SpillStore spill(long spillId) {
    return journal.spill(spillId);
  }

  @Override
  public void restart() throws Exception {
    journal.close();
    journal = open();
  }

  @Override
  public void crash() throws Exception {
    if (faulty != null) {
      FaultyFileLayer after = faulty.crash(false);
      journal.close();
      faulty = after;
    } else {
      journal.sync().get(10, TimeUnit.SECONDS);
      Path from = current();
      copies++;
      Path to = current();
      Files.createDirectories(to);
      try (Stream<Path> files = Files.list(from)) {
        for (Path f : files.toList()) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
      journal.close();
    }
    journal = open();
  }

  @Override
  public void close() {
    journal.close();
  }
}
