package dev.warren.broker.amqp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A channel's unacked tags: what goes in comes out by tag with its fields, in tag order; the ring
 * stays as small as the number of live deliveries, not the span of their tags, however they are
 * settled.
 */
class UnackedTagsTest {

  @Test
  void deliveriesComeBackByTagWithTheirFieldsInTagOrder() {
    UnackedTags tags = new UnackedTags();
    for (long t = 1; t <= 100; t++) {
      tags.add(t, 1000 + t, (int) (t % 3), (int) t * 10);
    }
    assertTrue(tags.remove(50));
    assertFalse(tags.remove(50), "settled once");
    assertEquals(99, tags.size());
    assertEquals(1042, tags.id(42));
    assertEquals(0, tags.owner(42));
    assertEquals(420, tags.deliveredAt(42));
    assertArrayEquals(new long[] {48, 49, 51, 52}, tags.tags(48, 52));
    assertEquals(1, tags.lowest());
  }

  @Test
  void aStragglerDoesNotKeepTheRingOpenForEverythingSettledAfterIt() {
    UnackedTags tags = new UnackedTags();
    tags.add(1, 1, 0, 0); // never settled
    for (long t = 2; t <= 1_000_000; t++) {
      tags.add(t, t, 0, 0);
      tags.remove(t);
    }
    assertEquals(1, tags.size());
    assertTrue(tags.capacity() <= 64, "ring of " + tags.capacity() + " slots for 1 delivery");
    assertEquals(1, tags.lowest());
    assertEquals(1, tags.id(1));
    assertArrayEquals(new long[] {1}, tags.all());
  }

  @Test
  void everyOtherDeliveryLeftUnackedCostsAboutOneRingSlotEach() {
    UnackedTags tags = new UnackedTags();
    for (long t = 1; t <= 100_000; t++) {
      tags.add(t, t, 0, 0);
      if (t % 2 == 0) {
        tags.remove(t);
      }
    }
    assertEquals(50_000, tags.size());
    assertTrue(tags.capacity() <= 262_144, "ring of " + tags.capacity() + " slots");
  }

  @Test
  void aRandomMixOfSettlementsAndRollbacksMatchesAnOrderedMap() {
    Random random = new Random(7);
    UnackedTags tags = new UnackedTags();
    TreeMap<Long, long[]> model = new TreeMap<>();
    long next = 1;
    for (int step = 0; step < 200_000; step++) {
      int op = random.nextInt(10);
      if (op < 5) {
        long tag = next;
        next += 1 + random.nextInt(2); // no-ack deliveries take tags too
        tags.add(tag, tag * 7, (int) (tag % 5), (int) tag);
        model.put(tag, new long[] {tag * 7, tag % 5, tag});
      } else if (op < 9 && !model.isEmpty()) {
        long tag = random.nextBoolean() ? model.firstKey() : randomKey(model, random);
        long[] was = model.remove(tag);
        assertTrue(tags.remove(tag));
        if (op == 8) { // rolled back
          tags.restore(tag, was[0], (int) was[1], (int) was[2]);
          model.put(tag, was);
        }
      } else if (!model.isEmpty()) {
        long tag = randomKey(model, random);
        assertEquals(model.get(tag)[0], tags.id(tag));
        assertEquals(model.get(tag)[1], tags.owner(tag));
      }
      assertEquals(model.size(), tags.size());
    }
    assertArrayEquals(model.keySet().stream().mapToLong(Long::longValue).toArray(), tags.all());
  }

  private static long randomKey(TreeMap<Long, long[]> model, Random random) {
    long from = model.firstKey();
    long to = model.lastKey();
    Long key = model.ceilingKey(from + (long) (random.nextDouble() * (to - from + 1)));
    return key == null ? to : key;
  }
}
