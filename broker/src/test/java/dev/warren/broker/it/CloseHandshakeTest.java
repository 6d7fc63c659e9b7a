package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.it.RawAmqpClient.Args;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The close handshakes (spec 4.2.8 for connections, the channel class for channels): after sending
 * a close, a peer discards what it receives until close-ok, and answers a close that crosses its
 * own with close-ok.
 */
class CloseHandshakeTest {
  private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(5);

  /** (Then RabbitMQ leaves it to the client to close the socket; Warren closes it.) */
  @Test
  void connectionCloseCrossingTheBrokersCloseIsAnsweredWithCloseOk() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.sendFrame(RawAmqpClient.FRAME_HEARTBEAT, 1, new byte[0]);
      raw.expectMethod(10, 50);
      raw.sendMethod(0, connectionClose());
      raw.expectMethod(10, 51);
    }
  }

  @Test
  void framesAfterTheBrokersConnectionCloseAreDiscardedUntilCloseOk() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendFrame(RawAmqpClient.FRAME_HEARTBEAT, 1, new byte[0]);
      raw.expectMethod(10, 50);
      raw.sendMethod(1, passiveDeclare(AmqpSession.uniqueName("missing")));
      raw.sendMethod(2, new Args().method(20, 10).shortStr(""));
      raw.assertNothingReceivedWithin(Duration.ofMillis(500));
      raw.sendMethod(0, new Args().method(10, 51));
      assertTrue(raw.closedByBrokerWithin(CLOSE_DEADLINE));
    }
  }

  /**
   * The broker closed channel 1 and the client closed it at the same time: the broker answers the
   * client's close with close-ok, and the channel is gone once the client's close-ok arrives.
   */
  @Test
  void channelCloseCrossingTheBrokersCloseIsAnsweredWithCloseOk() throws Exception {
    try (RawAmqpClient raw = RawAmqpClient.open(2047, 131072, 0)) {
      raw.openChannel(1);
      raw.sendMethod(1, passiveDeclare(AmqpSession.uniqueName("missing")));
      raw.expectMethod(20, 40);
      raw.sendMethod(1, channelClose());
      assertEquals(1, raw.expectMethod(20, 41).channel());
      raw.sendMethod(1, new Args().method(20, 41));
      raw.assertNothingReceivedWithin(Duration.ofMillis(300));
      raw.openChannel(1);
      raw.sendMethod(1, channelClose());
      raw.expectMethod(20, 41);
    }
  }

  private static Args connectionClose() {
    return new Args().method(10, 50).shortInt(200).shortStr("bye").shortInt(0).shortInt(0);
  }

  private static Args channelClose() {
    return new Args().method(20, 40).shortInt(200).shortStr("bye").shortInt(0).shortInt(0);
  }

  private static Args passiveDeclare(String queue) {
    return new Args()
        .method(50, 10)
        .shortInt(0)
        .shortStr(queue)
        .bits(true, false, false, false, false)
        .table(Map.of());
  }
}
