package dev.warren.broker.it;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records what a confirm-mode publisher hears back: per sequence number {@code "ack 3"} or {@code
 * "nack 3"} (multiple confirms expanded to every earlier unconfirmed number; RabbitMQ may confirm
 * out of order, e.g. ack 3 before a multiple nack 2), and basic.returns as {@code "312 <routing
 * key>"}. Listeners run on the client's connection thread; the test thread reads after {@link
 * #awaitConfirms()}.
 */
public final class PublishOutcomes {
  private final Channel channel;
  private final long firstSeqNo;
  private final Map<Long, String> confirms = new TreeMap<>();
  private final List<String> returns = new CopyOnWriteArrayList<>();

  private PublishOutcomes(Channel channel, long firstSeqNo) {
    this.channel = channel;
    this.firstSeqNo = firstSeqNo;
  }

  /** Puts {@code channel} in confirm mode and starts recording. */
  public static PublishOutcomes attach(Channel channel) throws IOException {
    channel.confirmSelect();
    PublishOutcomes outcomes = new PublishOutcomes(channel, channel.getNextPublishSeqNo());
    channel.addConfirmListener(
        (tag, multiple) -> outcomes.confirm("ack", tag, multiple),
        (tag, multiple) -> outcomes.confirm("nack", tag, multiple));
    channel.addReturnListener(
        r -> outcomes.returns.add(r.getReplyCode() + " " + r.getRoutingKey()));
    return outcomes;
  }

  private synchronized void confirm(String kind, long tag, boolean multiple) {
    for (long t = multiple ? firstSeqNo : tag; t <= tag; t++) {
      confirms.putIfAbsent(t, kind + " " + t);
    }
  }

  /** The recorded channel, in confirm mode. */
  public Channel channel() {
    return channel;
  }

  /** The sequence number the next publish on the channel gets. */
  public long nextSeqNo() {
    return channel.getNextPublishSeqNo();
  }

  /** Waits until every publish so far is acked or nacked; returns them by sequence number. */
  public List<String> awaitConfirms() throws Exception {
    channel.waitForConfirms(5_000);
    synchronized (this) {
      return new ArrayList<>(confirms.values());
    }
  }

  /** The basic.returns seen so far; complete once {@link #awaitConfirms()} returned. */
  public List<String> returns() {
    return List.copyOf(returns);
  }
}
