package dev.warren.stress;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Does the broker still answer? A fresh connection declares a server-named queue, publishes one
 * message to it with a confirm and takes it back with basic.get. bin/stress runs it after each
 * scenario (under a timeout of its own: a broker that accepts the socket but never answers must not
 * hang the run).
 */
@Command(name = "probe", description = "a declare / publish (confirmed) / get round trip")
final class Probe implements Callable<Integer> {
  private static final long CONFIRM_TIMEOUT_MILLIS = 10_000;

  @Mixin Target target;

  @Override
  public Integer call() throws Exception {
    Report report = new Report("probe");
    byte[] body = ("probe " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
    try (Connection connection = target.connect("stress-probe")) {
      Channel channel = connection.createChannel();
      String queue = channel.queueDeclare().getQueue();
      channel.confirmSelect();
      channel.basicPublish("", queue, new AMQP.BasicProperties(), body);
      channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
      GetResponse got = channel.basicGet(queue, true);
      if (got == null || !Arrays.equals(got.getBody(), body)) {
        report.fail("basic.get did not return the message just published");
      }
    }
    return report.finish();
  }
}
