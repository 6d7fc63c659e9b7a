package dev.warren.persistence.definitions;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link DefinitionStoreCrashTest}: applies the fixture, says "applied" on
 * standard output (the parent's signal to kill it; stdout is the channel between the two processes,
 * not a log), and waits, store still open, to be killed. Should the parent go away instead, its end
 * of standard input closes and the child ends too.
 */
public final class CrashingWriter {

  private CrashingWriter() {}

  public static void main(String[] args) throws IOException {
    DefinitionStore store = DefinitionStore.open(Path.of(args[0]));
    for (DefinitionCommand command : StoreFixture.all()) {
      store.apply(command);
    }
    System.out.println("applied");
    System.out.flush();
    while (System.in.read() >= 0) {
      // waits for the kill; nothing is expected on standard input
    }
    store.close();
  }
}
