package dev.warren.queue;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A queue whose commands run inline on the test thread (the test thread is its owner and its
 * executor runs tasks in place), the messages it was given, and the queues it reported deleted.
 */
final class QueueFixture {
  final TrackedMessages messages = new TrackedMessages();
  final List<String> events = new ArrayList<>();
  final List<MessageQueue> deleted = new ArrayList<>();
  final ManualScheduler clock = new ManualScheduler();
  final MemoryLedger ledger = MemoryLedger.unlimited();

  /** Dead letters as {@code name:reason}, in the order the queues sent them; each is released. */
  final List<String> deadLetters = new ArrayList<>();

  MessageQueue queue(String name) {
    return queue(name, false);
  }

  MessageQueue queue(String name, boolean autoDelete) {
    return queue(name, autoDelete, QueueSettings.DEFAULT);
  }

  MessageQueue queue(String name, QueueSettings settings) {
    return queue(name, false, settings);
  }

  MessageQueue queue(String name, boolean autoDelete, QueueSettings settings) {
    return new MessageQueue(
        new QueueDefinition(name, false, false, autoDelete, Map.of()),
        settings,
        null,
        new QueueServices(
            Runnable::run,
            () -> true,
            clock,
            (from, message, reason, stored) -> {
              deadLetters.add(TrackedMessages.name(message) + ":" + reason.wireName());
              message.release();
              stored.settle(true);
            },
            deleted::add,
            null,
            null,
            ledger));
  }

  /** Publishes {@code m<from>..m<to>} without confirmation; returns them (borrowed). */
  List<Message> publish(MessageQueue queue, int from, int to) {
    List<Message> published = messages.messages(from, to);
    for (Message m : published) {
      queue.publish(m, null);
    }
    return published;
  }

  /** Publishes one message with a priority and an expiration (-1 for none); returns it. */
  Message publish(MessageQueue queue, String name, int priority, long expirationMillis) {
    Message m = messages.message(name, priority, expirationMillis);
    queue.publish(m, null);
    return m;
  }

  RecordingConsumer consumer(String tag, int credit) {
    return new RecordingConsumer(tag, credit, events);
  }

  /** Adds a consumer and checks that the queue accepted it. */
  RecordingConsumer consume(MessageQueue queue, RecordingConsumer consumer) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.consume(consumer, false, done);
    done(done);
    return consumer;
  }

  /**
   * What a GET that node {@code node} forwarded for its consumer {@code consumer} of {@code
   * priority} took ({@link MessageQueue#getFor}): the message's name, or null for none. Releases
   * it.
   */
  static String pulled(
      MessageQueue queue, boolean noAck, String node, long consumer, int priority) {
    Delivery d = done(queue.getFor(noAck, node, consumer, priority));
    if (d == null) {
      return null;
    }
    String name = TrackedMessages.name(d.message());
    d.message().release();
    return name;
  }

  /** The result of a command that ran inline. */
  static <T> T done(CompletableFuture<T> future) {
    assertTrue(future.isDone(), "the queue command did not run inline");
    return future.join();
  }

  /** The reason a command that ran inline failed. */
  static QueueException.Reason failure(CompletableFuture<?> future) {
    assertTrue(future.isDone(), "the queue command did not run inline");
    CompletionException e = assertThrows(CompletionException.class, future::join);
    return assertInstanceOf(QueueException.class, e.getCause()).reason();
  }

  static QueueCounts counts(MessageQueue queue) {
    return done(queue.counts());
  }
}
