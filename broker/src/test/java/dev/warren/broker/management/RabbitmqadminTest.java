package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warren.broker.it.AmqpSession;
import dev.warren.broker.it.Messages;
import dev.warren.broker.it.Poll;
import dev.warren.broker.it.TestBroker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code rabbitmqadmin}, RabbitMQ's command-line client for the management API (from Debian's
 * {@code rabbitmq-server} package, or {@code /cli/rabbitmqadmin} of any RabbitMQ node with the
 * management plugin), manages the broker as it manages RabbitMQ. Skipped where it is not installed.
 */
class RabbitmqadminTest {
  @RegisterExtension final AmqpSession amqp = new AmqpSession();

  private static Path rabbitmqadmin() {
    return Stream.of(System.getenv("PATH").split(":"))
        .map(dir -> Path.of(dir, "rabbitmqadmin"))
        .filter(Files::isExecutable)
        .findFirst()
        .orElse(null);
  }

  /** Runs it against the broker under test; fails on a non-zero exit. Returns what it printed. */
  private static String run(Path tool, String... command) throws Exception {
    InetSocketAddress api = TestBroker.managementAddress();
    List<String> args =
        new ArrayList<>(
            List.of(
                tool.toString(),
                "-H",
                api.getHostString(),
                "-P",
                String.valueOf(api.getPort()),
                "-u",
                "guest",
                "-p",
                "guest"));
    args.addAll(List.of(command));
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS), "rabbitmqadmin ended");
    assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
    return out;
  }

  @Test
  void rabbitmqadminDeclaresListsPublishesAndGets() throws Exception {
    Path tool = rabbitmqadmin();
    assertNotNull(
        tool, "rabbitmqadmin is not on the PATH: interop/install installs it (bin/test runs it)");
    String q = amqp.trackQueue(AmqpSession.uniqueName("admin-q"));

    run(tool, "declare", "queue", "name=" + q, "durable=true");
    run(tool, "publish", "routing_key=" + q, "payload=from rabbitmqadmin");
    JsonNode listed = json(run(tool, "-f", "raw_json", "list", "queues", "name", "durable"));
    assertTrue(
        StreamSupport.stream(listed.spliterator(), false)
            .anyMatch(x -> x.get("name").asText().equals(q) && x.get("durable").asBoolean()),
        listed.toString());
    JsonNode got =
        json(run(tool, "-f", "raw_json", "get", "queue=" + q, "ackmode=ack_requeue_true"));
    assertEquals("from rabbitmqadmin", got.get(0).get("payload").asText());
    assertEquals(
        "from rabbitmqadmin",
        Messages.text(Messages.get(amqp.channel(), q, true).getBody()),
        "requeued, then taken over AMQP");
    run(tool, "delete", "queue", "name=" + q);
    assertEquals(
        404,
        ManagementHttp.guest(TestBroker.managementAddress())
            .get("/api/queues/%2F/" + ManagementHttp.segment(q))
            .status());
  }

  @Test
  void rabbitmqadminDeclaresAPolicyThatCapsAQueueThenDeletesIt() throws Exception {
    Path tool = rabbitmqadmin();
    assertNotNull(tool, "rabbitmqadmin is not on the PATH: interop/install installs it");
    String q = amqp.trackQueue(AmqpSession.uniqueName("admin-policy-q"));
    String policy = AmqpSession.uniqueName("admin-policy");
    amqp.channel().queueDeclare(q, false, false, false, null);

    run(
        tool,
        "declare",
        "policy",
        "name=" + policy,
        "pattern=^" + q + "$",
        "definition={\"max-length\":1}",
        "priority=7",
        "apply-to=queues");
    JsonNode listed = json(run(tool, "-f", "raw_json", "list", "policies"));
    JsonNode mine =
        StreamSupport.stream(listed.spliterator(), false)
            .filter(p -> p.get("name").asText().equals(policy))
            .findFirst()
            .orElseThrow(() -> new AssertionError("not listed: " + listed));
    assertEquals(7, mine.get("priority").asInt());
    assertEquals("queues", mine.get("apply-to").asText());
    assertEquals(1, mine.get("definition").get("max-length").asInt());
    try {
      ManagementHttp api = ManagementHttp.guest(TestBroker.managementAddress());
      Poll.until(
          Duration.ofSeconds(15),
          () ->
              policy.equals(
                  api.get("/api/queues/%2F/" + ManagementHttp.segment(q))
                      .json()
                      .path("policy")
                      .asText(null)),
          "the queue shows the policy");
      amqp.publish(q, "first", "second");
      Poll.until(
          Duration.ofSeconds(15),
          () -> amqp.channel().messageCount(q) == 1,
          "max-length 1 drops the head: one message left");
      assertEquals("second", Messages.text(Messages.get(amqp.channel(), q, true).getBody()));
    } finally {
      run(tool, "delete", "policy", "name=" + policy);
    }
    JsonNode after = json(run(tool, "-f", "raw_json", "list", "policies"));
    assertTrue(
        StreamSupport.stream(after.spliterator(), false)
            .noneMatch(p -> p.get("name").asText().equals(policy)),
        after.toString());
  }

  private static JsonNode json(String text) throws IOException {
    return ManagementHttp.JSON.readTree(text);
  }
}
