package dev.warren.mirroring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warren.mirroring.ForwardedCommand.Sender;
import dev.warren.storage.RemoteQueue;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What a leader lent to other nodes comes back when their node stops or starts again, and only
 * then.
 */
class LoansTest {
  private static final Sender N2 = new Sender("n2", 1);
  private static final Sender N3 = new Sender("n3", 1);

  /** The requeues a queue was asked for, as id lists; it serves nothing else here. */
  private static final class Requeues implements RemoteQueue {
    final List<List<Long>> requeued = new ArrayList<>();

    @Override
    public CompletableFuture<Void> reject(long[] ids, boolean requeue) {
      List<Long> list = new ArrayList<>();
      for (long id : ids) {
        list.add(id);
      }
      requeued.add(requeue ? list : List.of());
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> publish(ByteBuf metadata, ByteBuf body) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<List<Delivered>> get(
        boolean noAck, int max, long consumer, int priority) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> contend(long consumer, int priority) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> ack(long[] ids, boolean applied) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Counts> counts() {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Integer> purge() {
      throw new UnsupportedOperationException();
    }
  }

  private final Requeues queue7 = new Requeues();
  private final List<String> gone = new ArrayList<>();
  private final Loans loans = new Loans(id -> id == 7 ? queue7 : null, gone::add);

  @Test
  void aStoppedNodesUnsettledMessagesAreRequeuedInIdOrderAndNoOthers() {
    loans.lent(N2, loans.heardFrom(N2), 7, 1, new long[] {12, 10, 11});
    loans.lent(N3, loans.heardFrom(N3), 7, 1, new long[] {20});
    loans.settled("n2", 7, new long[] {11});
    assertEquals(2, loans.recall("n2"));
    assertEquals(List.of(List.of(10L, 12L)), queue7.requeued);
    assertEquals(0, loans.recall("n2"), "nothing twice");
    assertEquals(1, loans.recall("n3"));
    assertEquals(List.of("n2", "n2", "n3"), gone, "each recall says the node is gone");
  }

  @Test
  void aCommandFromANewIncarnationRecallsWhatTheOldOneTook() {
    loans.lent(N2, loans.heardFrom(N2), 7, 1, new long[] {1, 2});
    loans.heardFrom(N2);
    assertEquals(List.of(), queue7.requeued, "the same process");
    assertEquals(List.of(), gone);
    loans.heardFrom(new Sender("n2", 2));
    assertEquals(List.of(List.of(1L, 2L)), queue7.requeued);
    assertEquals(List.of("n2"), gone, "the old incarnation is gone");
  }

  @Test
  void whatAGetTookAfterItsNodeWasRecalledGoesBackAtOnce() {
    long token = loans.heardFrom(N2);
    loans.recall("n2");
    loans.lent(N2, token, 7, 1, new long[] {5});
    assertEquals(List.of(List.of(5L)), queue7.requeued);
    loans.lent(N2, loans.heardFrom(N2), 7, 2, new long[] {6});
    assertEquals(1, queue7.requeued.size(), "a GET after the recall lends as before");
  }

  @Test
  void aCancelledGetGivesBackWhatItTookAndIsStillOut() {
    loans.lent(N2, loans.heardFrom(N2), 7, 1, new long[] {1, 2, 3});
    loans.lent(N2, loans.heardFrom(N2), 7, 2, new long[] {4});
    loans.settled("n2", 7, new long[] {2});
    assertEquals(2, loans.cancel(N2, 1));
    assertEquals(List.of(List.of(1L, 3L)), queue7.requeued);
    assertEquals(0, loans.cancel(N2, 1), "once");
    assertEquals(1, loans.recall("n2"), "the other GET's message is still out");
  }

  @Test
  void aGetCancelledBeforeItCameLendsNothing() {
    long token = loans.heardFrom(N2);
    assertEquals(0, loans.cancel(N2, 9));
    loans.lent(N2, token, 7, 9, new long[] {5});
    assertEquals(List.of(List.of(5L)), queue7.requeued);
    assertEquals(0, loans.recall("n2"));
  }

  @Test
  void aGetFullySettledIsForgotten() {
    loans.lent(N2, loans.heardFrom(N2), 7, 1, new long[] {1});
    loans.settled("n2", 7, new long[] {1});
    assertEquals(0, loans.cancel(N2, 1));
    assertEquals(List.of(), queue7.requeued);
  }

  @Test
  void leadershipLostForgetsTheLoansWithoutRequeueing() {
    loans.lent(N2, loans.heardFrom(N2), 7, 1, new long[] {1});
    loans.clear();
    assertEquals(0, loans.recall("n2"));
    assertEquals(List.of(), queue7.requeued, "the next leader has them back already");
  }
}
