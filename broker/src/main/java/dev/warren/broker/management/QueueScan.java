package dev.warren.broker.management;

import dev.warren.broker.vhost.VirtualHost;
import dev.warren.broker.vhost.VirtualHosts;
import dev.warren.management.spi.QueueFigures;
import dev.warren.management.spi.QueueSink;
import dev.warren.management.spi.QueueTotals;
import dev.warren.queue.MessageQueue;
import dev.warren.queue.QueueDefinition;
import dev.warren.queue.QueueStats;
import java.util.function.Predicate;

/**
 * Every queue's published figures at once, for Prometheus scrapes ({@code queueTotals}, {@code
 * forEachQueue} of the SPI): read from each queue's {@link MessageQueue#stats()}, never from its
 * thread. Any thread.
 */
final class QueueScan {
  private final VirtualHosts vhosts;

  QueueScan(VirtualHosts vhosts) {
    this.vhosts = vhosts;
  }

  /**
   * Adds up the published figures of the queues of the accepted vhosts, field by field into locals:
   * nothing is built per queue, so a scrape of 100,000 queues makes no garbage here.
   */
  QueueTotals totals(Predicate<String> accepted) {
    int queues = 0;
    long ready = 0;
    long unacked = 0;
    long readyBytes = 0;
    long unackedBytes = 0;
    int consumers = 0;
    long published = 0;
    long delivered = 0;
    long deliveredNoAck = 0;
    long gets = 0;
    long getsNoAck = 0;
    long redelivered = 0;
    long acked = 0;
    for (VirtualHost v : vhosts.all()) {
      if (!accepted.test(v.name())) {
        continue;
      }
      for (MessageQueue q : v.queues()) {
        if (q.isDeleted()) {
          continue;
        }
        QueueStats s = q.stats();
        queues++;
        ready += s.ready();
        unacked += s.unacked();
        readyBytes += s.readyBytes();
        unackedBytes += s.unackedBytes();
        consumers += s.consumers();
        published += s.published();
        delivered += s.delivered();
        deliveredNoAck += s.deliveredNoAck();
        gets += s.gets();
        getsNoAck += s.getsNoAck();
        redelivered += s.redelivered();
        acked += s.acked();
      }
    }
    return new QueueTotals(
        queues,
        new QueueFigures(
            ready,
            unacked,
            readyBytes,
            unackedBytes,
            0,
            consumers,
            published,
            delivered,
            deliveredNoAck,
            gets,
            getsNoAck,
            redelivered,
            acked,
            0));
  }

  /** Hands each live queue of the accepted vhosts to {@code sink}, with its published figures. */
  void forEach(Predicate<String> accepted, QueueSink sink) {
    for (VirtualHost v : vhosts.all()) {
      if (!accepted.test(v.name())) {
        continue;
      }
      for (MessageQueue q : v.queues()) {
        if (!q.isDeleted()) {
          QueueDefinition d = q.definition();
          sink.queue(v.name(), d.name(), QueueAdmin.type(d), QueueAdmin.figures(q.stats()));
        }
      }
    }
  }
}
