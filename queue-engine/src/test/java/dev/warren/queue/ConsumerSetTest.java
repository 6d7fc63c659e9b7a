package dev.warren.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which consumer takes the next message: priority first, then round-robin. */
class ConsumerSetTest {
  private final ConsumerSet set = new ConsumerSet();
  private final List<String> events = new ArrayList<>();

  private RecordingConsumer add(String tag, int priority, int credit) {
    RecordingConsumer c = new RecordingConsumer(tag, priority, false, credit, events);
    set.add(c);
    return c;
  }

  /** Reserves {@code n} times and names who got each, "-" for nobody. */
  private List<String> next(int n) {
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      QueueConsumer c = set.reserveNext();
      tags.add(c == null ? "-" : c.tag());
      if (c != null) {
        deliverNothing((RecordingConsumer) c);
      }
    }
    return tags;
  }

  /** Ends a reservation the way the queue would, so the consumer may be asked again. */
  private void deliverNothing(RecordingConsumer c) {
    Message m = new TrackedMessages().message("x");
    c.deliver(new Delivery(null, 0, m, false, 0, 0));
  }

  @Test
  void anEmptySetReservesNobody() {
    assertNull(set.reserveNext());
    assertEquals(0, set.size());
    assertEquals(List.of(), set.all());
  }

  @Test
  void consumersOfOnePriorityTakeTurnsInTheOrderTheyCame() {
    add("a", 0, RecordingConsumer.UNLIMITED);
    add("b", 0, RecordingConsumer.UNLIMITED);
    add("c", 0, RecordingConsumer.UNLIMITED);

    assertEquals(List.of("a", "b", "c", "a", "b", "c", "a"), next(7));
  }

  @Test
  void higherPriorityIsServedFirstWhateverTheOrderOfArrival() {
    add("low", -3, RecordingConsumer.UNLIMITED);
    add("high", 10, 2);
    add("mid", 4, 1);

    assertEquals(List.of("high", "high", "mid", "low", "low"), next(5));
    assertEquals(
        List.of("high", "mid", "low"), set.all().stream().map(QueueConsumer::tag).toList());
  }

  @Test
  void aRefusingConsumerIsPassedOverAndKeepsItsPlace() {
    add("a", 0, RecordingConsumer.UNLIMITED);
    RecordingConsumer b = add("b", 0, 0);
    add("c", 0, RecordingConsumer.UNLIMITED);

    assertEquals(List.of("a", "c", "a", "c"), next(4));
    b.grant(1);
    assertEquals(List.of("a", "b", "c"), next(3));
  }

  @Test
  void nobodyIsReservedWhenEveryoneRefuses() {
    add("a", 1, 1);
    add("b", 0, 1);

    assertEquals(List.of("a", "b", "-", "-"), next(4));
  }

  @Test
  void removeReportsWhetherTheConsumerWasThere() {
    RecordingConsumer a = add("a", 0, RecordingConsumer.UNLIMITED);
    RecordingConsumer b = add("b", 5, RecordingConsumer.UNLIMITED);

    assertTrue(set.remove(b));
    assertFalse(set.remove(b));
    assertEquals(1, set.size());
    assertEquals(List.of("a", "a"), next(2));
    assertTrue(set.remove(a));
    assertEquals(0, set.size());
    assertNull(set.reserveNext());
  }

  @Test
  void removingTheLastOfAPriorityHandsOverToTheNextOne() {
    RecordingConsumer high = add("high", 5, RecordingConsumer.UNLIMITED);
    add("low", 0, RecordingConsumer.UNLIMITED);
    assertEquals(List.of("high", "high"), next(2));

    set.remove(high);

    assertEquals(List.of("low", "low"), next(2));
    set.add(high);
    assertEquals(List.of("high"), next(1));
  }

  @Test
  void removingTheConsumerWhoseTurnItIsPassesTheTurnOn() {
    add("a", 0, RecordingConsumer.UNLIMITED);
    add("b", 0, RecordingConsumer.UNLIMITED);
    RecordingConsumer c = add("c", 0, RecordingConsumer.UNLIMITED);
    assertEquals(List.of("a", "b"), next(2));

    set.remove(c);

    assertEquals(List.of("a", "b", "a"), next(3));
  }

  /** A consumer whose connection is either full (it waits for it) or has room. */
  private static final class OnConnection implements QueueConsumer {
    final String tag;
    final int priority;
    final Object connection;
    boolean full;

    OnConnection(String tag, int priority, Object connection) {
      this.tag = tag;
      this.priority = priority;
      this.connection = connection;
    }

    @Override
    public String tag() {
      return tag;
    }

    @Override
    public boolean noAck() {
      return true;
    }

    @Override
    public int priority() {
      return priority;
    }

    @Override
    public boolean tryReserve() {
      return !full;
    }

    @Override
    public boolean waitsForConnection() {
      return full;
    }

    @Override
    public Object connection() {
      return connection;
    }

    @Override
    public void deliver(Delivery delivery) {}

    @Override
    public void cancelledByQueue(MessageQueue queue) {}
  }

  @Test
  void aConsumerWaitingForItsConnectionHoldsBackTheLowerOnesOfThatConnectionOnly() {
    Object busy = new Object();
    OnConnection high = new OnConnection("high", 1, busy);
    // Its connection drained a little since "high" was refused: it would take the message.
    OnConnection sameConnection = new OnConnection("same-connection", 0, busy);
    OnConnection elsewhere = new OnConnection("elsewhere", -1, new Object());
    set.add(high);
    set.add(sameConnection);
    set.add(elsewhere);
    high.full = true;

    assertEquals("elsewhere", set.reserveNext().tag());

    elsewhere.full = true;
    assertNull(set.reserveNext());
    assertTrue(set.allWaitForConnection(), "the one held back waits for its connection too");

    high.full = false;
    assertEquals("high", set.reserveNext().tag());
  }
}
