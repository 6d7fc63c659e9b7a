package dev.warren.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The check command over logs written by {@link EventLog}: its exit status is the verdict. */
class CheckTest {
  @TempDir Path dir;

  private final StringWriter printed = new StringWriter();

  private int check(String... more) {
    CommandLine cli = new CommandLine(new Check());
    cli.setOut(new PrintWriter(printed));
    String[] args = new String[2 + more.length];
    args[0] = "--events";
    args[1] = dir.toString();
    System.arraycopy(more, 0, args, 2, more.length);
    return cli.execute(args);
  }

  private void publishAndConfirm(String id) {
    try (EventLog p = new EventLog(dir, "p1")) {
      p.write(Event.Type.PUBLISH, id, "node=n1");
      p.write(Event.Type.CONFIRM, id, "");
    }
  }

  @Test
  void exitsZeroWhenEveryConfirmedMessageWasDelivered() {
    publishAndConfirm("p1-0000001");
    try (EventLog c = new EventLog(dir, "c1")) {
      c.write(Event.Type.DELIVER, "p1-0000001", "node=n2 redelivered=false");
      c.write(Event.Type.ACK, "p1-0000001", "");
      c.write(Event.Type.COMMIT, "p1-0000001", "");
    }
    assertEquals(0, check());
    assertTrue(printed.toString().contains("RESULT verdict=pass"), printed.toString());
  }

  @Test
  void exitsOneWhenAConfirmedMessageIsLost() {
    publishAndConfirm("p1-0000001");
    assertEquals(1, check());
    assertTrue(
        printed.toString().contains("FAIL lost: 1 message(s), e.g. p1-0000001"),
        printed.toString());
  }

  @Test
  void exitsOneWhenARedeliveryLacksTheFlagAcrossTwoClientsLogs() {
    publishAndConfirm("p1-0000001");
    try (EventLog c1 = new EventLog(dir, "c1")) {
      c1.write(Event.Type.DELIVER, "p1-0000001", "node=n2 redelivered=false");
    }
    try (EventLog c2 = new EventLog(dir, "c2")) {
      c2.write(Event.Type.DELIVER, "p1-0000001", "node=n3 redelivered=false");
    }
    assertEquals(1, check());
    assertTrue(
        printed.toString().contains("FAIL redelivered-without-flag: 1 message(s)"),
        printed.toString());
  }

  @Test
  void toleratedKindIsReportedButDoesNotFail() {
    publishAndConfirm("p1-0000001");
    try (EventLog c = new EventLog(dir, "c1")) {
      c.write(Event.Type.DELIVER, "p1-0000001", "node=n2 redelivered=false");
      c.write(Event.Type.ACK, "p1-0000001", "");
      c.write(Event.Type.COMMIT, "p1-0000001", "");
      c.write(Event.Type.DELIVER, "p1-0000001", "node=n2 redelivered=true");
    }
    assertEquals(0, check("--tolerate", "delivered-after-commit"));
    assertTrue(
        printed.toString().contains("TOLERATED delivered-after-commit: 1 message(s)"),
        printed.toString());
    assertEquals(1, check("--tolerate", "lost"));
  }
}
