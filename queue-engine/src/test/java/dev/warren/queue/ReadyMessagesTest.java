package dev.warren.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ready list of a queue: fresh messages in order, requeued ones back at their place. */
class ReadyMessagesTest {
  private final TrackedMessages messages = new TrackedMessages();
  private final ReadyMessages ready = new ReadyMessages();
  private final List<Entry> taken = new ArrayList<>();

  @AfterEach
  void everyBufferIsReleased() {
    ready.purge(e -> {});
    for (Entry e : taken) {
      e.message().release();
    }
    messages.assertAllReleased();
  }

  /** Adds fresh entries {@code m<from>..m<to>} with ids {@code from..to}. */
  private void add(int from, int to) {
    for (int i = from; i <= to; i++) {
      ready.add(new Entry(i, messages.message("m" + i), 0, 0, Entry.NO_DEADLINE, false));
    }
  }

  private Entry poll() {
    Entry e = ready.poll();
    if (e != null) {
      taken.add(e);
    }
    return e;
  }

  /** Polls {@code n} entries and names them, with a {@code *} for redelivered ones. */
  private List<String> poll(int n) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Entry e = ready.poll();
      names.add(TrackedMessages.name(e.message()) + (e.redelivered() ? "*" : ""));
      taken.add(e);
    }
    return names;
  }

  private void requeue(int id) {
    for (int i = 0; i < taken.size(); i++) {
      if (taken.get(i).id() == id) {
        ready.requeue(taken.remove(i));
        return;
      }
    }
    throw new AssertionError("id " + id + " was not taken");
  }

  @Test
  void emptyListHasNothingToPoll() {
    assertTrue(ready.isEmpty());
    assertEquals(0, ready.size());
    assertNull(poll());
  }

  @Test
  void freshMessagesComeOutInTheOrderTheyWentIn() {
    add(1, 4);

    assertEquals(4, ready.size());
    assertEquals(List.of("m1", "m2", "m3", "m4"), poll(4));
    assertTrue(ready.isEmpty());
    assertNull(poll());
  }

  @Test
  void requeuedMessagesReturnToTheirPlaceAheadOfNewerOnes() {
    add(1, 5);
    poll(5);
    add(6, 7);

    requeue(4);
    requeue(2);

    assertEquals(4, ready.size());
    assertFalse(ready.isEmpty());
    assertEquals(List.of("m2*", "m4*", "m6", "m7"), poll(4));
  }

  @Test
  void aRequeuedMessageGoesAheadOfOlderMessagesNeverDelivered() {
    add(1, 3);
    poll(1);
    requeue(1);

    assertEquals(List.of("m1*", "m2", "m3"), poll(3));
  }

  @Test
  void messagesRequeuedWhileOthersWaitAreServedInQueueOrder() {
    add(1, 6);
    poll(4);
    requeue(3);
    assertEquals(List.of("m3*"), poll(1));
    requeue(1);
    requeue(3);

    assertEquals(List.of("m1*", "m3*", "m5", "m6"), poll(4));
  }

  @Test
  void onlyRequeuedMessagesAreMarkedRedelivered() {
    add(1, 2);
    poll(1);
    requeue(1);

    Entry again = poll();
    Entry fresh = poll();

    assertEquals(1, again.id());
    assertTrue(again.redelivered());
    assertEquals(2, fresh.id());
    assertFalse(fresh.redelivered());
  }

  @Test
  void purgeReleasesFreshAndRequeuedMessagesAndCountsThem() {
    add(1, 4);
    poll(2);
    requeue(2);

    assertEquals(3, ready.purge(e -> {}));

    assertTrue(ready.isEmpty());
    assertNull(poll());
    assertEquals(0, ready.purge(e -> {}));
    assertEquals(1, taken.size(), "only m1 is still out");
    taken.get(0).message().release();
    taken.clear();
    messages.assertAllReleased();
  }
}
