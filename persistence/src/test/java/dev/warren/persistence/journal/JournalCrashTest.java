package dev.warren.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.storage.StoredMessage;
import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Power loss at random moments, with producers running concurrently: the disk keeps only what the
 * last force of each file covered (and, with a torn write, a random prefix of the rest). After each
 * crash the journal is recovered and checked against what the producers were told:
 *
 * <ul>
 *   <li>every message whose enqueue future completed (sync=always) is there exactly once, unless an
 *       ack, purge or delete concerning it was issued;
 *   <li>nothing appears that was never enqueued, and every message reads back byte for byte;
 *   <li>an ack (or purge) followed by a completed sync stays done; one that was not forced may be
 *       lost, and then its message comes back: at least once, never lost;
 *   <li>a delivered mark followed by a completed sync comes back as redelivered=true, and
 *       redelivered=true is never invented.
 * </ul>
 *
 * Segments are tiny (8 KiB), so crashes also hit rolls, deletions and compactions.
 */
class JournalCrashTest {

  private static final int THREADS = 4;
  private static final int ROUNDS = 25;

  private record Key(long queue, long message) {}

  /** What producers know of one message. Written by producers and by future callbacks. */
  private static final class Fate {
    volatile boolean confirmed;
    volatile boolean removeIssued;
    volatile boolean removeDurable;
    volatile boolean deliveredIssued;
    volatile boolean deliveredDurable;
  }

  private final Buffers buffers = new Buffers();
  private final Map<Key, Fate> model = new ConcurrentHashMap<>();
  private final Map<Long, AtomicLong> nextId = new ConcurrentHashMap<>();

  private static JournalConfig config() {
    return JournalConfig.defaults(Path.of("unused"))
        .withSegmentSize(8192)
        .withSync(SyncMode.ALWAYS, Duration.ofMillis(20));
  }

  private static String body(long queue, long message) {
    return "message " + message + " of queue " + queue + " " + "#".repeat((int) (message % 50));
  }

  @ParameterizedTest(name = "tear last write: {0}")
  @ValueSource(booleans = {false, true})
  void confirmedMessagesSurviveEveryCrashAndNothingIsMisread(boolean tear) throws Exception {
    FaultyFileLayer disk = new FaultyFileLayer(tear ? 7 : 3);
    Random random = new Random(tear ? 11 : 13);
    disk.forceLatency(200, TimeUnit.MICROSECONDS);
    Journal journal = Journal.open(config(), disk, Buffers.ALLOCATOR);
    for (int round = 0; round < ROUNDS; round++) {
      int operations = 200 + random.nextInt(1500);
      CountDownLatch progress = new CountDownLatch(operations);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> producers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Producer p = new Producer(journal, t, random.nextLong(), stop, progress, failure);
        Thread thread = new Thread(p, "producer-" + t);
        thread.start();
        producers.add(thread);
      }
      assertTrue(progress.await(60, TimeUnit.SECONDS), "producers made no progress");
      FaultyFileLayer after = disk.crash(tear);
      stop.set(true);
      for (Thread p : producers) {
        p.join(60_000);
        assertFalse(p.isAlive());
      }
      journal.close();
      assertEquals(null, failure.get());
      buffers.assertAllReleased();
      disk = after;
      disk.forceLatency(200, TimeUnit.MICROSECONDS);
      journal = Journal.open(config(), disk, Buffers.ALLOCATOR);
      check(journal, round);
    }
    journal.close();
  }

  /** Checks the recovered journal against the model, then makes the model what was recovered. */
  private void check(Journal journal, int round) throws Exception {
    Recovery recovery = journal.recovery();
    assertTrue(
        recovery.failedQueues().isEmpty(), "round " + round + ": " + recovery.failedQueues());
    Set<Key> present = new HashSet<>();
    Set<Key> redelivered = new HashSet<>();
    for (long queue : recovery.queues().keySet()) {
      long previous = Long.MIN_VALUE;
      for (RecoveredMessage m : RecoveredMessage.of(recovery, queue)) {
        Key key = new Key(queue, m.location().messageId());
        assertTrue(key.message() > previous, "round " + round + ": order or duplicate at " + key);
        previous = key.message();
        assertTrue(model.containsKey(key), "round " + round + ": never enqueued: " + key);
        StoredMessage stored = journal.read(m.location());
        try {
          assertEquals("props " + key.message(), Buffers.text(stored.metadata()));
          assertEquals(body(key.queue(), key.message()), Buffers.text(stored.body()));
        } finally {
          stored.release();
        }
        present.add(key);
        if (m.redelivered()) {
          redelivered.add(key);
        }
      }
    }
    for (Map.Entry<Key, Fate> e : model.entrySet()) {
      Key key = e.getKey();
      Fate f = e.getValue();
      String where = "round " + round + ", " + key;
      if (f.confirmed && !f.removeIssued) {
        assertTrue(present.contains(key), where + ": confirmed message lost");
      }
      if (f.removeDurable) {
        assertFalse(present.contains(key), where + ": forced ack undone");
      }
      if (present.contains(key) && f.deliveredDurable) {
        assertTrue(redelivered.contains(key), where + ": delivered mark lost");
      }
      if (redelivered.contains(key)) {
        assertTrue(f.deliveredIssued, where + ": redelivered but never delivered");
      }
    }
    model.keySet().retainAll(present);
    for (Key key : present) {
      Fate f = new Fate();
      f.confirmed = true;
      f.deliveredIssued = redelivered.contains(key);
      f.deliveredDurable = f.deliveredIssued;
      model.put(key, f);
    }
  }

  /** Runs random operations on two queues of its own until told to stop or the journal fails. */
  private final class Producer implements Runnable {
    private final Journal journal;
    private final long[] queues;
    private final Random random;
    private final AtomicBoolean stop;
    private final CountDownLatch progress;
    private final AtomicReference<Throwable> failure;
    private final List<Key> live = new ArrayList<>();
    private final List<Fate> unforced = new ArrayList<>();
    private final List<Fate> unforcedMarks = new ArrayList<>();

    Producer(
        Journal journal,
        int index,
        long seed,
        AtomicBoolean stop,
        CountDownLatch progress,
        AtomicReference<Throwable> failure) {
      this.journal = journal;
      this.queues = new long[] {index * 2L, index * 2L + 1};
      this.random = new Random(seed);
      this.stop = stop;
      this.progress = progress;
      this.failure = failure;
      for (Key k : model.keySet()) {
        if (k.queue() == queues[0] || k.queue() == queues[1]) {
          live.add(k);
        }
      }
    }

    @Override
    public void run() {
      try {
        while (!stop.get()) {
          if (!step()) {
            return;
          }
          progress.countDown();
        }
      } catch (IllegalStateException closed) {
        // the journal was closed under us: the crash test is over for this round
      } catch (Throwable e) {
        failure.compareAndSet(null, e);
      }
    }

    private boolean step() {
      int dice = random.nextInt(100);
      if (dice < 50) {
        enqueue(queues[random.nextInt(2)]);
      } else if (dice < 75) {
        Key key = confirmed();
        if (key != null) {
          live.remove(key);
          journal.ack(key.queue(), key.message());
          removing(key);
        }
      } else if (dice < 85) {
        Key key = confirmed();
        if (key != null && !model.get(key).deliveredIssued) {
          Fate f = model.get(key);
          journal.delivered(key.queue(), key.message());
          f.deliveredIssued = true;
          unforcedMarks.add(f);
        }
      } else if (dice < 86) {
        long queue = queues[random.nextInt(2)];
        journal.purge(queue);
        for (Key key : new ArrayList<>(live)) {
          if (key.queue() == queue) {
            live.remove(key);
            removing(key);
          }
        }
      } else if (dice < 89) {
        try {
          journal.sync().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          return false;
        }
        unforced.forEach(f -> f.removeDurable = true);
        unforcedMarks.forEach(f -> f.deliveredDurable = true);
        unforced.clear();
        unforcedMarks.clear();
      } else {
        enqueue(queues[random.nextInt(2)]);
      }
      return true;
    }

    private void enqueue(long queue) {
      long id = nextId.computeIfAbsent(queue, q -> new AtomicLong()).incrementAndGet();
      Key key = new Key(queue, id);
      Fate fate = new Fate();
      model.put(key, fate);
      live.add(key);
      ByteBuf props = buffers.of("props " + id);
      ByteBuf body = buffers.of(body(queue, id));
      journal
          .enqueue(queue, id, props, body)
          .whenComplete(
              (location, error) -> {
                props.release();
                body.release();
                if (error == null) {
                  fate.confirmed = true;
                }
              });
    }

    private void removing(Key key) {
      Fate f = model.get(key);
      f.removeIssued = true;
      unforced.add(f);
    }

    private Key confirmed() {
      if (live.isEmpty()) {
        return null;
      }
      Key key = live.get(random.nextInt(live.size()));
      return model.get(key).confirmed ? key : null;
    }
  }
}
