package dev.warren.broker.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import dev.warren.broker.Broker;
import dev.warren.broker.it.Poll;
import dev.warren.broker.it.TestBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The web console in a real browser (Debian's headless Chromium through Selenium) against a broker
 * of this class's own, started in-process on port 0: what a person does, checked by what the page
 * then shows and by what the API then answers.
 */
class ConsoleBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where the screenshots for docs/ are written (bin/console-screenshots copies them). */
  static final Path SHOTS = Path.of("target", "console-screenshots");

  private static Path dataDir;
  private static Broker broker;
  private static ConsoleBrowser browser;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    dataDir = Files.createTempDirectory("warren-console-");
    broker = Broker.start(TestBroker.inProcessConfig(dataDir));
    browser = new ConsoleBrowser(base());
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
      try (Stream<Path> paths = Files.walk(dataDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String base() {
    return "http://127.0.0.1:" + broker.managementPort();
  }

  private static Connection amqp() throws IOException, TimeoutException {
    return TestBroker.connectionFactory("127.0.0.1", broker.amqpPort()).newConnection();
  }

  /** The API as guest: status and parsed body. */
  private static JsonNode api(String method, String path, String body, int expectedStatus)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base() + "/api" + path))
            .header("Authorization", basic("guest", "guest"))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("content-type", "application/json");
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(expectedStatus, r.statusCode(), method + " " + path + ": " + r.body());
    return r.body().isEmpty() ? null : JSON.readTree(r.body());
  }

  /** The status of /api/whoami asked with a wrong password: 401, or 429 while held off. */
  private static int wrongLoginStatus() throws IOException, InterruptedException {
    HttpRequest wrong =
        HttpRequest.newBuilder(URI.create(base() + "/api/whoami"))
            .header("Authorization", basic("guest", "wrong"))
            .build();
    return HTTP.send(wrong, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private WebElement field(String formId, String name) {
    return browser.driver.findElement(By.id(formId + "-" + name));
  }

  private void submit(String formId) {
    browser.driver.findElement(By.cssSelector("#" + formId + " button[type=submit]")).click();
  }

  private void waitForStatus(String formId, String text) {
    browser.waitForText(By.cssSelector("#" + formId + " .form-status"), text);
  }

  @Test
  void logInWithTheKeyboardNeedsTheRightPasswordAndLogOutForgetsIt() {
    browser.open("");
    browser.js("sessionStorage.clear()");
    browser.driver.navigate().refresh();
    WebElement user = browser.waitFor(By.id("login-user"));
    user.sendKeys("guest", Keys.TAB, "wrong", Keys.ENTER);
    browser.waitForText(By.id("login-error"), "Login failed");
    assertTrue(browser.driver.findElement(By.id("nav")).getAttribute("hidden") != null);

    // Two more failures from this address (over HTTP, as another tab would make them) hold it off
    // for 800 ms: the right password typed now is at first answered 429, and the console waits
    // the delay out instead of calling the password wrong.
    for (int failure = 0; failure < 2; failure++) {
      Poll.until(Duration.ofSeconds(10), () -> wrongLoginStatus() == 401, "a wrong login checked");
    }
    WebElement password = browser.driver.findElement(By.id("login-password"));
    password.clear();
    password.sendKeys("guest", Keys.ENTER);
    browser.waitForText(By.id("whoami"), "guest (administrator)");
    browser.waitFor(By.id("chart-queued"));
    assertEquals(
        "guest",
        browser.js("return JSON.parse(sessionStorage.getItem('warren.credentials')).user"));

    browser.driver.findElement(By.id("logout")).click();
    browser.waitFor(By.id("login-user"));
    assertEquals(null, browser.js("return sessionStorage.getItem('warren.credentials')"));
  }

  /** The figures a chart draws: uPlot's data, [times, series...]. */
  @SuppressWarnings("unchecked")
  private List<List<Number>> chartData(String id) {
    return (List<List<Number>>)
        browser.js("return document.getElementById(arguments[0]).chart.data", id);
  }

  private static double last(List<Number> column) {
    for (int i = column.size() - 1; i >= 0; i--) {
      if (column.get(i) != null) {
        return column.get(i).doubleValue();
      }
    }
    return 0;
  }

  @Test
  void overviewChartsMoveWhileAPublisherRunsAndTheQueuePageDrawsItsDepth() throws Exception {
    try (Connection conn = amqp()) {
      Channel ch = conn.createChannel();
      ch.queueDeclare("charted", true, false, false, null);
      browser.logIn("guest", "guest");
      browser.waitFor(By.id("chart-queued"));
      List<List<Number>> before = chartData("chart-queued");
      int pointsBefore = before.get(0).size();
      // A steady publisher, a message every 2 ms, until the charts are checked.
      ScheduledExecutorService publisher =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread t = new Thread(task, "console-test-publisher");
                t.setDaemon(true);
                return t;
              });
      publisher.scheduleAtFixedRate(
          () -> {
            try {
              ch.basicPublish(
                  "",
                  "charted",
                  MessageProperties.PERSISTENT_TEXT_PLAIN,
                  "tick".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          },
          0,
          2,
          TimeUnit.MILLISECONDS);
      try {
        // The sampler reads every 5 s and the page asks every 5 s: new points with messages
        // queued and a publish rate above zero appear within a few rounds.
        browser.wait.withTimeout(java.time.Duration.ofSeconds(40));
        browser.wait.until(
            d -> {
              List<List<Number>> q = chartData("chart-queued");
              List<List<Number>> r = chartData("chart-rates");
              return q.get(0).size() > pointsBefore
                  && last(q.get(1)) > 0
                  && r.get(0).size() > 0
                  && last(r.get(1)) > 0;
            });
      } finally {
        browser.wait.withTimeout(ConsoleBrowser.WAIT);
      }
      List<List<Number>> queued = chartData("chart-queued");
      List<List<Number>> rates = chartData("chart-rates");
      assertTrue(last(queued.get(1)) > 0, "ready messages drawn: " + queued);
      assertTrue(last(rates.get(1)) > 0, "publish rate drawn: " + rates);
      assertEquals(
          String.valueOf(queued.get(0).size()),
          browser.driver.findElement(By.id("chart-queued")).getAttribute("data-points"));
      browser.screenshot(SHOTS.resolve("console-overview.png"));

      browser.go("#/queues/%2F/charted");
      browser.wait.until(
          d ->
              chartData("chart-queue-depth").get(0).size() >= 2
                  && last(chartData("chart-queue-depth").get(1)) > 0);
      publisher.shutdown();
      assertTrue(publisher.awaitTermination(10, TimeUnit.SECONDS));
      browser.screenshot(SHOTS.resolve("console-queue.png"));
      ch.queueDelete("charted");
    }
  }

  @Test
  void queueDeclaredPublishedGotAndDeletedThroughTheForms() throws Exception {
    browser.logIn("guest", "guest");
    browser.go("#/queues");
    browser.waitFor(By.id("declare-queue-name")).sendKeys("console-q");
    browser
        .driver
        .findElement(By.xpath("//form[@id='declare-queue']//button[.='x-max-length']"))
        .click();
    browser.driver.findElement(By.cssSelector("#declare-queue .arg-value")).sendKeys("1000");
    submit("declare-queue");
    waitForStatus("declare-queue", "Queue console-q declared in /.");
    JsonNode q = api("GET", "/queues/%2F/console-q", null, 200);
    assertTrue(q.get("durable").asBoolean());
    assertEquals(1000, q.get("arguments").get("x-max-length").asInt());
    assertTrue(q.get("arguments").get("x-max-length").isNumber());

    WebElement filter =
        browser.driver.findElement(By.cssSelector("input[aria-label='Filter queues by name']"));
    filter.sendKeys("console-");
    browser.wait.until(
        ExpectedConditions.attributeToBe(By.cssSelector("table.list"), "data-filtered", "1"));
    browser.waitFor(By.linkText("console-q"));

    browser.go("#/exchanges/%2F/amq.default");
    browser.waitFor(By.id("publish-routing_key")).sendKeys("console-q");
    browser.driver.findElement(By.cssSelector("#publish-headers button")).click();
    browser.driver.findElement(By.cssSelector("#publish-headers .arg-key")).sendKeys("origin");
    browser.driver.findElement(By.cssSelector("#publish-headers .arg-value")).sendKeys("browser");
    field("publish", "content_type").sendKeys("text/plain");
    field("publish", "payload").sendKeys("hello from the console");
    submit("publish");
    waitForStatus("publish", "Message published and routed.");

    browser.go("#/queues/%2F/console-q");
    browser.waitForText(By.id("queue-ready"), "1");
    new org.openqa.selenium.support.ui.Select(field("get-messages", "ackmode"))
        .selectByValue("ack_requeue_false");
    submit("get-messages");
    browser.waitForText(By.cssSelector("#messages .payload"), "hello from the console");
    String shown = browser.driver.findElement(By.id("messages")).getText();
    assertTrue(shown.contains("\"origin\":\"browser\""), shown);
    assertTrue(shown.contains("\"content_type\":\"text/plain\""), shown);
    assertEquals(0, api("GET", "/queues/%2F/console-q", null, 200).get("messages").asInt());

    browser.driver.findElement(By.xpath("//button[.='Delete queue']")).click();
    browser.wait.until(ExpectedConditions.alertIsPresent()).accept();
    browser.wait.until(d -> "#/queues".equals(browser.js("return location.hash")));
    api("GET", "/queues/%2F/console-q", null, 404);
  }

  @Test
  void anErrorFromTheApiIsShownAsItsReason() throws Exception {
    try (Connection conn = amqp()) {
      conn.createChannel().queueDeclare("transient-q", false, false, false, null);
      browser.logIn("guest", "guest");
      browser.go("#/queues");
      browser.waitFor(By.id("declare-queue-name")).sendKeys("transient-q");
      submit("declare-queue");
      waitForStatus("declare-queue", "inequivalent arg 'durable'");
      String status =
          browser.driver.findElement(By.cssSelector("#declare-queue .form-status")).getText();
      assertTrue(status.contains("400 bad_request"), status);
      browser.go("#/queues/%2F/no-such-queue");
      browser.waitForText(By.cssSelector("main .error"), "Not Found");
    } finally {
      api("DELETE", "/queues/%2F/transient-q", null, 204);
    }
  }

  @Test
  void aMonitoringUserSeesThePagesButNoFormThatChangesAnything() throws Exception {
    api("PUT", "/users/watcher", "{\"password\":\"w4tch\",\"tags\":\"monitoring\"}", 201);
    api(
        "PUT",
        "/permissions/%2F/watcher",
        "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}",
        201);
    try (Connection conn = amqp()) {
      Channel ch = conn.createChannel();
      ch.queueDeclare("watched", false, false, false, null);
      ch.basicConsume("watched", true, (tag, m) -> {}, tag -> {});
      browser.logIn("watcher", "w4tch");
      assertFalse(browser.driver.findElement(By.linkText("Queues")).getText().isEmpty());
      assertTrue(
          browser.driver.findElements(By.linkText("Users")).stream()
              .noneMatch(WebElement::isDisplayed));
      String[][] pages = {
        {"#/", "Overview", "chart-queued"},
        {"#/queues", "Queues", null},
        {"#/queues/%2F/watched", "Queue watched", "chart-queue-depth"},
        {"#/exchanges", "Exchanges", null},
        {"#/exchanges/%2F/amq.direct", "Exchange amq.direct", null},
        {"#/connections", "Connections", null},
        {"#/channels", "Channels", null},
        {"#/consumers", "Consumers", null},
        {"#/vhosts", "Virtual hosts", null},
      };
      for (String[] p : pages) {
        browser.go(p[0]);
        browser.waitForText(By.cssSelector("main h1"), p[1]);
        if (p[2] != null) {
          browser.waitFor(By.id(p[2]));
        }
        browser.wait.until(
            d -> browser.driver.findElements(By.cssSelector("main .loading")).isEmpty());
        assertEquals(0L, browser.js("return document.querySelectorAll('main form').length"), p[0]);
        assertEquals(
            0L, browser.js("return document.querySelectorAll('main button.danger').length"), p[0]);
      }
      browser.go("#/consumers");
      browser.waitFor(By.linkText("watched"));
    } finally {
      api("DELETE", "/users/watcher", null, 204);
      api("DELETE", "/queues/%2F/watched", null, 204);
    }
  }

  @Test
  void theConsoleIsReadableInANarrowWindow() {
    browser.logIn("guest", "guest");
    Dimension wide = browser.driver.manage().window().getSize();
    try {
      browser.driver.manage().window().setSize(new Dimension(390, 844));
      for (String page : new String[] {"#/", "#/queues", "#/exchanges/%2F/amq.default"}) {
        browser.go(page);
        browser.waitFor(By.cssSelector("main h1"));
        browser.wait.until(
            d ->
                (Boolean)
                    browser.js(
                        "return document.documentElement.scrollWidth"
                            + " <= document.documentElement.clientWidth + 1"));
      }
    } finally {
      browser.driver.manage().window().setSize(wide);
    }
  }

  @Test
  void aConnectionClosedFromItsPageGetsTheReasonTyped() throws Exception {
    Connection conn = amqp();
    try {
      java.util.concurrent.CompletableFuture<String> closed =
          new java.util.concurrent.CompletableFuture<>();
      conn.addShutdownListener(e -> closed.complete(e.getReason().toString()));
      conn.createChannel();
      browser.logIn("guest", "guest");
      browser.go("#/connections");
      String port = String.valueOf(((com.rabbitmq.client.impl.AMQConnection) conn).getLocalPort());
      browser.waitFor(By.partialLinkText(":" + port + " ->")).click();
      browser.waitForText(By.cssSelector("main h1"), ":" + port);
      browser.waitForText(By.cssSelector("main .scroll"), "(1)");
      WebElement reason = field("close-connection", "reason");
      reason.clear();
      reason.sendKeys("maintenance from the console");
      submit("close-connection");
      String why = closed.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(why.contains("reply-code=320"), why);
      assertTrue(why.contains("maintenance from the console"), why);
      browser.wait.until(d -> "#/connections".equals(browser.js("return location.hash")));
    } finally {
      conn.abort();
    }
  }

  @Test
  void definitionsUploadedThroughTheFormAreImported() throws Exception {
    Path file = Files.createTempFile("definitions-", ".json");
    try {
      Files.writeString(
          file,
          "{\"queues\":[{\"name\":\"imported-q\",\"vhost\":\"/\",\"durable\":true,"
              + "\"auto_delete\":false,\"arguments\":{\"x-max-length\":7}}]}");
      browser.logIn("guest", "guest");
      browser.go("#/definitions");
      browser.waitFor(By.id("download-definitions"));
      field("upload-definitions", "file").sendKeys(file.toAbsolutePath().toString());
      submit("upload-definitions");
      waitForStatus("upload-definitions", "Definitions imported.");
      JsonNode q = api("GET", "/queues/%2F/imported-q", null, 200);
      assertEquals(7, q.get("arguments").get("x-max-length").asInt());
    } finally {
      Files.deleteIfExists(file);
      api("DELETE", "/queues/%2F/imported-q", null, 204);
    }
  }

  @Test
  void aPolicySetInTheFormShowsOnTheQueue() throws Exception {
    try (Connection conn = amqp()) {
      conn.createChannel().queueDeclare("limited-q", true, false, false, null);
      browser.logIn("guest", "guest");
      browser.go("#/policies");
      browser.waitFor(By.id("add-policy-name")).sendKeys("limit-console");
      field("add-policy", "pattern").sendKeys("^limited-");
      new org.openqa.selenium.support.ui.Select(field("add-policy", "apply_to"))
          .selectByValue("queues");
      browser
          .driver
          .findElement(By.xpath("//form[@id='add-policy']//button[.='max-length']"))
          .click();
      browser.driver.findElement(By.cssSelector("#add-policy .arg-value")).sendKeys("5");
      submit("add-policy");
      waitForStatus("add-policy", "Policy limit-console saved.");
      browser.go("#/queues/%2F/limited-q");
      browser.waitForText(By.id("queue-policy"), "limit-console");
    } finally {
      api("DELETE", "/queues/%2F/limited-q", null, 204);
    }
  }
}
