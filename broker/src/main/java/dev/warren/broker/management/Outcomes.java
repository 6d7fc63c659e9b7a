package dev.warren.broker.management;

import dev.warren.amqp.AmqpException;
import dev.warren.management.spi.ManagementException;
import dev.warren.persistence.definitions.InvalidCommandException;
import dev.warren.queue.QueueException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting, on a management worker, for a change the broker's own threads make (the metadata writer,
 * a queue), and turning their refusals into {@link ManagementException}s with RabbitMQ's texts. A
 * worker never waits without end: a change that takes longer than {@value #WAIT_SECONDS} s fails
 * the request (500) and goes on by itself.
 */
final class Outcomes {
  static final long WAIT_SECONDS = 30;

  private Outcomes() {}

  /** The future's value, or its failure as {@link #refusal} gives it. */
  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the broker", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the broker did not answer within " + WAIT_SECONDS + " s", e);
    } catch (ExecutionException e) {
      throw refusal(e.getCause());
    }
  }

  /**
   * A failure as the API answers it: an AMQP refusal by its reply code (404 for NOT_FOUND, 400 for
   * the others, RabbitMQ's reply text as the reason), a refused change of access definitions as
   * 400; anything else stays a failure of the broker (500).
   */
  static RuntimeException refusal(Throwable failure) {
    if (failure instanceof ManagementException e) {
      return e;
    }
    if (failure instanceof AmqpException e) {
      return switch (e.replyCode()) {
        case NOT_FOUND -> ManagementException.notFound(e.text());
        case INTERNAL_ERROR -> e;
        default -> ManagementException.badRequest(e.text());
      };
    }
    if (failure instanceof QueueException e) {
      return switch (e.reason()) {
        case DELETED, UNAVAILABLE -> ManagementException.notFound(e.getMessage());
        default -> ManagementException.badRequest(e.getMessage());
      };
    }
    if (failure instanceof IllegalArgumentException || failure instanceof InvalidCommandException) {
      return ManagementException.badRequest(failure.getMessage());
    }
    if (failure instanceof RuntimeException e) {
      return e;
    }
    return new IllegalStateException(failure);
  }

  /**
   * A refusal as RabbitMQ's API words those its own AMQP channel meets (publish, get): {@code "404
   * NOT_FOUND - no exchange 'x' in vhost '/'"}, always 400.
   */
  static ManagementException channelRefusal(AmqpException e) {
    return ManagementException.badRequest(e.replyCode().code() + " " + e.getMessage());
  }
}
