package dev.warren.persistence.definitions;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link DefinitionStoreCrashTest}: applies the fixture, says "applied" on
 * standard output, and waits, store still open, to be killed.
 */
public final class CrashingWriter {

  private CrashingWriter() {}

  public static void main(String[] args) throws InterruptedException {
    DefinitionStore store = DefinitionStore.open(Path.of(args[0]));
    for (DefinitionCommand command : StoreFixture.all()) {
      store.apply(command);
    }
    System.out.println("applied");
    System.out.flush();
    Thread.sleep(120_000);
    store.close();
  }
}
