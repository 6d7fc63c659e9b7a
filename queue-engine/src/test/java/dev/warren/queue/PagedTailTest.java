package dev.warren.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The compact tail gives back exactly what was paged out, in order: ids (consecutive or not), body
 * sizes (small, then one of 64 KiB or more), deadlines, own-expiry, redelivered and spilled flags.
 */
class PagedTailTest {

  private record Fields(
      long id,
      int bodySize,
      long deadline,
      boolean ownExpiry,
      boolean redelivered,
      boolean spilled) {}

  @Test
  void everyFieldComesBackInOrderAcrossBlocks() {
    PagedTail tail = new PagedTail();
    List<Fields> added = new ArrayList<>();
    long id = 1;
    for (int i = 0; i < 3000; i++) {
      id += i % 700 == 699 ? 5 : 1; // a few gaps
      int size = i == 1500 ? 70_000 : i % 97;
      long deadline = i % 3 == 0 ? Entry.NO_DEADLINE : 10_000 + i;
      Fields f = new Fields(id, size, deadline, i % 5 == 0, i % 7 == 0, i % 11 == 0);
      added.add(f);
      tail.add(entry(f));
    }
    assertEquals(3000, tail.size());
    for (Fields f : added) {
      Entry e = tail.poll(3);
      assertEquals(
          f, new Fields(e.id, e.bodySize, e.deadline, e.ownExpiry, e.redelivered, e.spilled));
      assertEquals(3, e.priority);
      assertEquals(f.redelivered() ? 1 : 0, e.deliveryCount);
      assertTrue(e.pagedOut && e.stored() && e.message() == null, "a paged-out, stored entry");
      assertEquals(!f.spilled(), e.logged, "in the log unless spilled");
    }
    assertNull(tail.poll(3));
    assertTrue(tail.isEmpty());
  }

  private static Entry entry(Fields f) {
    Message message =
        new Message(
            "ex",
            "rk",
            Unpooled.EMPTY_BUFFER,
            Unpooled.wrappedBuffer(new byte[f.bodySize()]),
            true,
            0,
            -1);
    Entry e = new Entry(f.id(), message, 3, 0, f.deadline(), f.ownExpiry());
    e.redelivered = f.redelivered();
    e.spilled = f.spilled();
    e.logged = !f.spilled();
    e.takeMessage().release();
    return e;
  }
}
