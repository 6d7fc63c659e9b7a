package dev.warren.persistence.journal;

import dev.warren.storage.MessageLogContract;
import dev.warren.storage.SpillStoreContract;
import dev.warren.storage.StorageBackend;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage SPI's contract suites (storage-spi's test-jar) over the node journal: on real files,
 * and on the fault-injecting file layer, where a crash is a power loss.
 */
class JournalStorageContractTest {

  @TempDir Path directory;

  @Nested
  class LogOnFiles extends MessageLogContract {
    @Override
    protected StorageBackend start() throws Exception {
      return JournalBackend.onFiles(directory);
    }
  }

  @Nested
  class LogOnFaultyLayer extends MessageLogContract {
    @Override
    protected StorageBackend start() throws Exception {
      return JournalBackend.onFaultyLayer();
    }
  }

  @Nested
  class SpillOnFiles extends SpillStoreContract {
    @Override
    protected StorageBackend start() throws Exception {
      return JournalBackend.onFiles(directory);
    }
  }

  @Nested
  class SpillOnFaultyLayer extends SpillStoreContract {
    @Override
    protected StorageBackend start() throws Exception {
      return JournalBackend.onFaultyLayer();
    }
  }
}
