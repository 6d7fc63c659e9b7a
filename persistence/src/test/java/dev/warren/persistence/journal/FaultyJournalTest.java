package dev.warren.persistence.journal;

/** The journal contract over the in-memory, fault-injecting file layer (no fault injected). */
class FaultyJournalTest extends JournalContractTest {

  private final FaultyFileLayer files = new FaultyFileLayer();

  @Override
  FileLayer files() {
    return files;
  }
}
