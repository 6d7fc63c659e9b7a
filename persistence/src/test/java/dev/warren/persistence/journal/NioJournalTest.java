package dev.warren.persistence.journal;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The journal contract over real files in a temporary directory. */
class NioJournalTest extends JournalContractTest {

  @TempDir Path directory;

  @Override
  FileLayer files() throws IOException {
    return new NioFileLayer(directory);
  }
}
