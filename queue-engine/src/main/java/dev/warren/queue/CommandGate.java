package dev.warren.queue;

import dev.warren.queue.QueueException.Reason;
import dev.warren.queue.QueueStats.State;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where a queue's clients' commands go, on the queue's thread: run at once while the queue runs (or
 * is gone, or lost: the command then says so); while another node leads its log, sent there ({@link
 * Forwarding}) or refused at once when they cannot go; held, in order, while it recovers or no node
 * is known to lead its log, then run or handed on once that is settled, or refused once held longer
 * than its log's limit ({@code MessageLog.leaderWaitMillis()}). The timer hands off to the queue's
 * mailbox.
 */
final class CommandGate {
  /**
   * A client's command: run here; how to send it to the leader (null: it cannot go); how to refuse
   * it; when it was held.
   */
  private record Held(
      Runnable task, Runnable forward, Consumer<QueueException> refuse, long since) {}

  private final String queueName;
  private final Supplier<State> state;
  private final Forwarding forwarding;
  private final Scheduler scheduler;
  private final Executor mailbox;
  private final long limitMillis;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private Scheduler.Cancellable timer;

  /**
   * @param state the queue's state, read on its thread
   * @param limitMillis how long a command may wait; {@code Long.MAX_VALUE}: for ever
   */
  CommandGate(
      String queueName,
      Supplier<State> state,
      Forwarding forwarding,
      Scheduler scheduler,
      Executor mailbox,
      long limitMillis) {
    this.queueName = queueName;
    this.state = state;
    this.forwarding = forwarding;
    this.scheduler = scheduler;
    this.mailbox = mailbox;
    this.limitMillis = limitMillis;
  }

  /** A command: {@code task} runs it here, {@code forward} (may be null) sends it to the leader. */
  void submit(Runnable task, Runnable forward, Consumer<QueueException> refuse) {
    State now = state.get();
    if (now == State.STANDBY && forwarding.leaderNode() != null) {
      forwarding.forwardOrRefuse(forward, refuse);
    } else if (now == State.RECOVERING || now == State.STANDBY) {
      held.addLast(new Held(task, forward, refuse, scheduler.nowMillis()));
      arm();
    } else {
      task.run();
    }
  }

  /** The queue serves again (or is gone): the held commands run, in order, while it does. */
  void release() {
    Held h;
    while (state.get() != State.RECOVERING
        && state.get() != State.STANDBY
        && (h = held.poll()) != null) {
      h.task().run();
    }
  }

  /** Another node leads now: every held command goes there, or is refused, in order. */
  void handOver() {
    Held h;
    while ((h = held.poll()) != null) {
      forwarding.forwardOrRefuse(h.forward(), h.refuse());
    }
  }

  /** Makes sure a timer will refuse the oldest held command once it has waited its limit. */
  private void arm() {
    Held oldest = held.peek();
    if (timer != null || oldest == null || limitMillis == Long.MAX_VALUE) {
      return;
    }
    long waited = scheduler.nowMillis() - oldest.since();
    timer =
        scheduler.schedule(
            () -> mailbox.execute(this::refuseOverdue), Math.max(0, limitMillis - waited));
  }

  private void refuseOverdue() {
    timer = null;
    long now = scheduler.nowMillis();
    Held h;
    while ((h = held.peek()) != null && now - h.since() >= limitMillis) {
      held.poll();
      h.refuse()
          .accept(
              new QueueException(
                  Reason.NOT_LEADER,
                  "queue '"
                      + queueName
                      + "' has no leader: none was elected within "
                      + limitMillis
                      + " ms"));
    }
    arm();
  }
}
