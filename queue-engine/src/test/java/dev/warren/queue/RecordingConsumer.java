package dev.warren.queue;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

/**
 * A consumer that takes as many deliveries as it was granted credit for, writes what it receives to
 * a shared event log, and releases each message at once, as a channel does once it has written the
 * frames. It also fails the test if the queue breaks the reserve-then-deliver contract.
 */
final class RecordingConsumer implements QueueConsumer {
  /** What a delivery looked like when it arrived. */
  record Received(
      long id, String name, boolean redelivered, int messageCount, int refCnt, int deliveryCount) {}

  static final int UNLIMITED = Integer.MAX_VALUE;

  private final String tag;
  private final int priority;
  private final boolean noAck;
  private final List<String> events;
  private final List<Received> received = new ArrayList<>();
  private int credit;
  private boolean reserved;
  private int cancelledByQueue;

  RecordingConsumer(String tag, int priority, boolean noAck, int credit, List<String> events) {
    this.tag = tag;
    this.priority = priority;
    this.noAck = noAck;
    this.credit = credit;
    this.events = events;
  }

  RecordingConsumer(String tag, int credit, List<String> events) {
    this(tag, 0, false, credit, events);
  }

  void grant(int n) {
    credit += n;
  }

  List<Received> received() {
    return received;
  }

  List<String> names() {
    return received.stream().map(Received::name).toList();
  }

  /** The queue's id of the delivery of {@code name} (the latest, if it came more than once). */
  long idOf(String name) {
    for (int i = received.size() - 1; i >= 0; i--) {
      if (received.get(i).name().equals(name)) {
        return received.get(i).id();
      }
    }
    throw new AssertionError(tag + " never received " + name);
  }

  int cancelledByQueue() {
    return cancelledByQueue;
  }

  @Override
  public String tag() {
    return tag;
  }

  @Override
  public boolean noAck() {
    return noAck;
  }

  @Override
  public int priority() {
    return priority;
  }

  @Override
  public boolean tryReserve() {
    assertFalse(reserved, tag + ": reserved twice without a delivery in between");
    if (credit == 0) {
      return false;
    }
    if (credit != UNLIMITED) {
      credit--;
    }
    reserved = true;
    return true;
  }

  @Override
  public void deliver(Delivery delivery) {
    assertTrue(reserved, tag + ": delivery without a reservation");
    reserved = false;
    Message message = delivery.message();
    String name = TrackedMessages.name(message);
    received.add(
        new Received(
            delivery.id(),
            name,
            delivery.redelivered(),
            delivery.messageCount(),
            message.refCnt(),
            delivery.deliveryCount()));
    events.add(tag + ":" + name);
    message.release();
  }

  @Override
  public void cancelledByQueue(MessageQueue queue) {
    cancelledByQueue++;
    events.add(tag + ":cancelled");
  }
}
