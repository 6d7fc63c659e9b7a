package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alternate exchanges and mandatory publishing: a message is returned (312 NO_ROUTE) only when
 * neither the exchange, nor its alternate chain, routed it anywhere. Basic cases are in {@link
 * ExchangeTest}.
 */
class AlternateExchangeTest {
  @RegisterExtension final AmqpSession session = new AmqpSession();

  @Test
  void mandatoryMessageIsReturnedWhenTheAlternateExchangeRoutesNowhere() throws Exception {
    String ae = session.declareExchange("fanout");
    String x = withAlternate("direct", ae);
    PublishOutcomes outcomes = PublishOutcomes.attach(session.connection().createChannel());
    outcomes.channel().basicPublish(x, "unbound", true, null, Messages.bytes("m"));
    outcomes.awaitConfirms();
    assertEquals(List.of("312 unbound"), outcomes.returns());
  }

  @Test
  void mandatoryMessageIsReturnedWhenTheAlternateExchangeDoesNotExist() throws Exception {
    String x = withAlternate("direct", session.exchangeName());
    PublishOutcomes outcomes = PublishOutcomes.attach(session.connection().createChannel());
    outcomes.channel().basicPublish(x, "unbound", true, null, Messages.bytes("m"));
    outcomes.awaitConfirms();
    assertEquals(List.of("312 unbound"), outcomes.returns());
  }

  @Test
  void alternateExchangesChain() throws Exception {
    Channel ch = session.channel();
    String last = session.declareExchange("fanout");
    String q = session.declareQueue();
    ch.queueBind(q, last, "");
    String middle = withAlternate("direct", last);
    String x = withAlternate("direct", middle);
    PublishOutcomes outcomes = PublishOutcomes.attach(session.connection().createChannel());
    outcomes.channel().basicPublish(x, "nowhere", true, null, Messages.bytes("m"));
    outcomes.awaitConfirms();
    assertEquals(List.of(), outcomes.returns());
    assertEquals(List.of("m"), Messages.drain(ch, q));
  }

  @Test
  void messageRoutedByTheExchangeDoesNotAlsoGoToTheAlternate() throws Exception {
    Channel ch = session.channel();
    String ae = session.declareExchange("fanout");
    String aeQueue = session.declareQueue();
    ch.queueBind(aeQueue, ae, "");
    String x = withAlternate("direct", ae);
    String q = session.declareQueue();
    ch.queueBind(q, x, "known");
    Channel p = session.publisher();
    p.basicPublish(x, "known", true, null, Messages.bytes("m"));
    p.waitForConfirmsOrDie(5_000);
    assertEquals(List.of("m"), Messages.drain(ch, q));
    assertEquals(List.of(), Messages.drain(ch, aeQueue));
  }

  @Test
  void messageRoutedOnlyThroughItsCcHeaderDoesNotGoToTheAlternate() throws Exception {
    Channel ch = session.channel();
    String ae = session.declareExchange("fanout");
    String aeQueue = session.declareQueue();
    ch.queueBind(aeQueue, ae, "");
    String x = withAlternate("direct", ae);
    String q = session.declareQueue();
    ch.queueBind(q, x, "copied");
    PublishOutcomes outcomes = PublishOutcomes.attach(session.connection().createChannel());
    outcomes
        .channel()
        .basicPublish(
            x, "nowhere", true, Messages.withHeaders(Map.of("CC", List.of("copied"))), bytes("m"));
    outcomes.awaitConfirms();
    assertEquals(List.of(), outcomes.returns());
    assertEquals(List.of("m"), Messages.drain(ch, q));
    assertEquals(List.of(), Messages.drain(ch, aeQueue));
  }

  @Test
  void internalExchangeCanBeAnAlternateExchange() throws Exception {
    Channel ch = session.channel();
    String ae = session.exchangeName();
    ch.exchangeDeclare(ae, "fanout", false, false, true, null);
    String q = session.declareQueue();
    ch.queueBind(q, ae, "");
    String x = withAlternate("direct", ae);
    session.publisher().basicPublish(x, "nowhere", null, Messages.bytes("m"));
    session.publisher().waitForConfirmsOrDie(5_000);
    assertEquals(List.of("m"), Messages.drain(ch, q));
  }

  @Test
  void mandatoryMessageIsReturnedWhenAnExchangeBindingLeadsNowhere() throws Exception {
    Channel ch = session.channel();
    String source = session.declareExchange("fanout");
    String destination = session.declareExchange("fanout");
    ch.exchangeBind(destination, source, "");
    PublishOutcomes outcomes = PublishOutcomes.attach(session.connection().createChannel());
    outcomes.channel().basicPublish(source, "k", true, null, Messages.bytes("m"));
    outcomes.awaitConfirms();
    assertEquals(List.of("312 k"), outcomes.returns());
  }

  private String withAlternate(String type, String alternate) throws IOException {
    String x = session.exchangeName();
    session
        .channel()
        .exchangeDeclare(x, type, false, false, Map.of("alternate-exchange", alternate));
    return x;
  }

  private static byte[] bytes(String text) {
    return Messages.bytes(text);
  }
}
