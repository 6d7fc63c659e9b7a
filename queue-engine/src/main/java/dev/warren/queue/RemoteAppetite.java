package dev.warren.queue;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Consumer priorities across nodes, on the node that leads a queue's log. The consumers of another
 * node pull ({@link Forwarding}): each GET names the priority of the consumer it is for, the
 * highest there with room. A node that pulled for priority p within the last {@value
 * #HUNGRY_MILLIS} ms wants messages at p, so consumers of lower priority, here ({@link
 * ConsumerSet}'s floor) or on other nodes (their GETs take nothing), get none while it does, as
 * RabbitMQ serves a higher-priority consumer first while it has room. A node whose consumers are
 * full says so ({@link ConsumerSelection#SATED}) and the others take messages again at once; a node
 * that stops pulling without a word (it stopped) holds them back until the window is over, when a
 * timer dispatches. With equal priorities (the default 0 everywhere) nothing is held back.
 *
 * <p>Owner: the queue's thread; the timer hands off to its mailbox.
 */
final class RemoteAppetite {
  /**
   * How long a pull counts as its node wanting messages: five of a pull loop's longest pauses, so
   * that a node that is slow for a moment does not lose its turn.
   */
  static final long HUNGRY_MILLIS = 5 * Forwarding.POLL_MAX_MILLIS;

  private record Pull(int priority, long atMillis) {}

  private final Scheduler scheduler;
  private final Mailbox mailbox;
  private final Runnable dispatch;
  private final Map<String, Pull> pulls = new HashMap<>(2);
  private Scheduler.Cancellable timer;

  /**
   * @param dispatch offers the ready messages to the consumers here again (the floor dropped)
   */
  RemoteAppetite(Scheduler scheduler, Mailbox mailbox, Runnable dispatch) {
    this.scheduler = scheduler;
    this.mailbox = mailbox;
    this.dispatch = dispatch;
  }

  /**
   * Node {@code node} pulls for a consumer of {@code priority}: returns whether it may take
   * messages now (no other node wants them at a higher priority). Counts it as wanting them.
   */
  boolean pulled(String node, int priority) {
    long now = scheduler.nowMillis();
    pulls.put(node, new Pull(priority, now));
    return priority >= floor(now, node);
  }

  /** Node {@code node}'s consumers have no room: it wants nothing until it pulls again. */
  void sated(String node) {
    if (pulls.remove(node) != null) {
      mailbox.execute(dispatch);
    }
  }

  /** The lowest priority a consumer here must have to take a message now. */
  int floor() {
    // On every delivery: a queue no other node pulls from reads no clock.
    return pulls.isEmpty() ? Integer.MIN_VALUE : floor(scheduler.nowMillis(), null);
  }

  /** The highest priority other nodes than {@code except} want messages at; forgets old pulls. */
  private int floor(long now, String except) {
    int floor = Integer.MIN_VALUE;
    Iterator<Map.Entry<String, Pull>> it = pulls.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Pull> e = it.next();
      if (now - e.getValue().atMillis() >= HUNGRY_MILLIS) {
        it.remove();
      } else if (!e.getKey().equals(except)) {
        floor = Math.max(floor, e.getValue().priority());
      }
    }
    return floor;
  }

  /** This node no longer leads: other nodes' pulls go elsewhere. */
  void clear() {
    pulls.clear();
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  /**
   * A consumer here was held back by the floor: it is offered messages again once the oldest pull
   * ages out (then, if it is still held back, this is called again).
   */
  void heldBack() {
    if (timer != null || pulls.isEmpty()) {
      return;
    }
    long oldest = Long.MAX_VALUE;
    for (Pull p : pulls.values()) {
      oldest = Math.min(oldest, p.atMillis());
    }
    long wait = Math.max(1, oldest + HUNGRY_MILLIS - scheduler.nowMillis());
    timer =
        scheduler.schedule(
            () ->
                mailbox.execute(
                    () -> {
                      timer = null;
                      dispatch.run();
                    }),
            wait);
  }
}
