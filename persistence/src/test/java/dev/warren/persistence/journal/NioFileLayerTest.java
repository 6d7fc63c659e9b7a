package dev.warren.persistence.journal;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The file layer contract over {@link NioFileLayer} in a temporary directory. */
class NioFileLayerTest extends FileLayerContractTest {
  @TempDir Path directory;

  @Override
  FileLayer files() throws IOException {
    return new NioFileLayer(directory);
  }
}
